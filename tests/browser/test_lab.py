"""Click through a real JupyterLab in headless Chromium (Debian's package, driven by Playwright).

The test starts its own JupyterLab on 127.0.0.1 over a temporary copy of modules/ and scenarios/,
opens Module 01, runs it, plays a scenario to an ending with the mouse and the keyboard, and checks
that hostile scenario text is shown as text and never runs. Screenshots go to test-artifacts/.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"

pytestmark = [pytest.mark.slow, pytest.mark.browser]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing in CI: .ci/run should have installed Debian's chromium package.")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it.", allow_module_level=True)

HOSTILE = """id: hostile-text
title: Hostile <img src=x onerror="window.__pwned=1"> title
summary: A test scenario whose text tries to run code; it must show as plain text.
persona:
  name: "<script>window.__pwned=2</script>Sam"
  age: 40
  pronouns: they/them
  setting: "test **bold** [link](javascript:window.__pwned=3)"
  background: This text is hostile on purpose. It must never run.
competencies: [attending]
start: opening
nodes:
  opening:
    says: "<b onmouseover=\\"window.__pwned=4\\">bold?</b> & <i>italic</i>"
    choices:
      - id: a
        text: "<img src=x onerror=\\"window.__pwned=5\\">Reply"
        quality: helpful
        feedback: "<script>window.__pwned=6</script>Feedback."
        competency: attending
        next: end
endings:
  end:
    outcome: good
    debrief:
      went_well: "<svg onload=\\"window.__pwned=7\\"></svg>well"
      try_next: Nothing.
      key_point: Text stays text.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "modules", root / "modules")
    shutil.copytree(REPO / "scenarios", root / "scenarios")
    shutil.copytree(REPO / "exercises" / "active-listening", root / "exercise")
    (root / "scenarios" / "zz-test").mkdir()
    (root / "scenarios" / "zz-test" / "hostile-text.yaml").write_text(HOSTILE, encoding="utf-8")
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": 'from peersupport import play; play("zz-test/hostile-text")'}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "hostile.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    # Render every cell (no virtual scrolling) so widgets off-screen stay in the page; no news pop-up.
    settings = root / ".lab-settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "PEERSUPPORT_CONTENT": str(root / "scenarios"),
           "PEERSUPPORT_PROGRESS_DIR": str(root / ".progress"), "JUPYTER_CONFIG_DIR": str(root / ".jupyter"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces")}
    log = open(root / "lab.log", "w")  # noqa: SIM115 - stays open while the server runs; closed after the tests
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("JupyterLab did not start:\n" + (root / "lab.log").read_text())
            time.sleep(0.5)
    yield base, token, root
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


def _open_and_run_all(browser, base, token, path):
    """Open a notebook, wait for its kernel, and run all cells (retrying if the first click was too early)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    # a workspace of its own, so tabs from earlier tests are not restored behind this one
    page.goto(f"{base}/lab/workspaces/t{secrets.token_hex(4)}/tree/{path}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    for _attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.locator(".jp-InputPrompt", has_text="[1]").first.wait_for(state="attached", timeout=30_000)
            break
        except PlaywrightTimeout:  # the kernel was not connected yet: try again
            page.keyboard.press("Escape")
    return page


@pytest.fixture
def shots(request):
    """Pages registered here get a screenshot in test-artifacts/ when the test fails."""
    pages = []
    yield pages
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else True:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, page in enumerate(pages):
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}-{i}.png"), full_page=True)


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def _first_scenario(lab, browser, shots, path, persona):
    """Open `path`, run all cells, and return the first scenario widget once it shows `persona`."""
    base, token, _root = lab
    page = _open_and_run_all(browser, base, token, path)
    shots.append(page)
    box = page.locator(".ps-scenario").first
    box.wait_for(state="attached", timeout=90_000)
    box.scroll_into_view_if_needed()
    expect(box).to_contain_text(persona, timeout=30_000)
    return page, box


def test_module_01_scenario_plays_to_an_ending(lab, browser, shots):
    page, first = _first_scenario(lab, browser, shots, "modules/01-active-listening.ipynb", "Marisol")
    # replies are shown in this trainee's own order, so find them by their words (the best path), not a letter
    from peersupport.scenarios import Engine, load_library

    engine = Engine(load_library().scenario("active-listening/first-visit"))
    best = []
    while not engine.finished:
        choice = next(c for c in engine.choices if c.quality == "helpful")
        best.append(choice.text)
        engine.choose(choice.id)
    first.locator("button", has_text=best[0][:40]).click()
    first.locator("text=Helpful.").wait_for()
    # the next reply by keyboard: focus the button and press Enter
    reply = first.locator("button", has_text=best[1][:40])
    reply.focus()
    page.keyboard.press("Enter")
    first.locator(f"text=You said: “{best[1][:30]}").wait_for()
    for text in best[2:]:
        first.locator("button", has_text=text[:40]).click()
    first.locator("text=Full transcript").wait_for()
    text = first.inner_text()
    assert "Debrief" in text and f"{2 * len(best)} of {2 * len(best)} points" in text and "Key point:" in text
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "module01-scenario-ending.png"))
    first.locator("button", has_text="Restart").click()
    first.locator("button", has_text=best[0][:40]).wait_for()


def test_hostile_scenario_text_never_runs(lab, browser, shots):
    page, box = _first_scenario(lab, browser, shots, "hostile.ipynb", "Sam")
    box.locator("button", has_text='<img src=x onerror="window.__pwned=5">Reply').click()
    box.locator("text=Full transcript").wait_for()
    text = box.inner_text()
    assert "<script>window.__pwned=2</script>Sam" in text
    assert "<b onmouseover=" in text and "**bold**" in text
    box.hover()
    assert page.evaluate("window.__pwned") is None
    assert box.locator("script, img, svg, iframe").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    box.screenshot(path=str(ARTIFACTS / "hostile-scenario.png"))


def test_graded_item_click_is_saved_with_the_submission(lab, browser, shots):
    base, token, root = lab
    answers = root / "exercise" / "my-answers.json"
    answers.unlink(missing_ok=True)
    page = _open_and_run_all(browser, base, token, "exercise/active-listening.ipynb")
    shots.append(page)
    picker = page.locator(".widget-toggle-buttons").first
    picker.wait_for(state="attached", timeout=90_000)
    picker.scroll_into_view_if_needed()
    picker.get_by_role("button", name="B", exact=True).click()
    deadline = time.time() + 30
    while time.time() < deadline and not (answers.exists() and '"al-q1"' in answers.read_text()):
        time.sleep(0.5)
    data = json.loads(answers.read_text(encoding="utf-8"))
    from peersupport.grading.items import load_items

    # B is the second option in this trainee's own order; the answer is saved by its id with the trainee
    shown = load_items(root / "exercise").get("al-q1").arranged(data["trainee"])
    assert data["answers"]["al-q1"] == list(shown.options)[1]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".jp-Cell", has=picker).first.screenshot(path=str(ARTIFACTS / "graded-item-clicked.png"))


def test_make_lab_opens_module_01(browser, tmp_path):
    """`make lab`, exactly as the README says, serves JupyterLab on 127.0.0.1 opened at Module 01."""
    port = _free_port()
    env = {**os.environ, "BROWSER": "true", "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    log = open(tmp_path / "make-lab.log", "w+")  # noqa: SIM115 - read while make lab runs; closed in finally
    proc = subprocess.Popen(["make", "lab", f"PORT={port}"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = None
        deadline = time.time() + 120
        while url is None and time.time() < deadline and proc.poll() is None:
            time.sleep(0.5)
            log.seek(0)
            for line in log.read().splitlines():
                if f"http://127.0.0.1:{port}/lab/tree/modules/01-active-listening.ipynb?token=" in line:
                    url = line[line.index("http://"):].split()[0]
                    break
        log.seek(0)
        assert url, "make lab did not print the Module 01 address:\n" + log.read()[-3000:]
        assert "0 error(s)" in log.read(), "make lab checks the content before starting"
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(url)
        expect(page.locator(".jp-Notebook")).to_contain_text("Module 01 · Active listening", timeout=60_000)
        page.close()
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()
