"""What a trainee and an instructor see on the hub, in Debian's Chromium driven by Playwright.

The trainee logs in and lands on Module 01, with the Assignments list and none of nbgrader's instructor
tools (Create Assignment, Validate, the Nbgrader menu, formgrader) and no news pop-up. The instructor
has the instructor tools, and Course > Formgrader opens formgrader of the course's grader service in a
new tab. Screenshots go to test-artifacts/ (the README's copies are in docs/img/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, A

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow, pytest.mark.browser]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing in CI: .ci/run should have installed Debian's chromium package.")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it.", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def _login(browser, hub, name):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    # the hub sends each person to their own server, opened at Module 01
    page.wait_for_url(f"**/user/{name}/lab/**", timeout=90_000)
    expect(page.locator(".jp-Notebook")).to_contain_text("Module 01", timeout=90_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    return ctx, page


def _open_course_menu(page):
    page.get_by_role("menuitem", name="Course", exact=True).click()


def test_trainee_sees_module_and_assignments_without_instructor_tools(released, browser):
    hub = released
    ctx, page = _login(browser, hub, hub.trainees[1])
    try:
        menubar = page.locator("#jp-menu-panel")
        expect(menubar).to_contain_text("Course")
        assert "Nbgrader" not in menubar.inner_text()
        assert page.get_by_text("Create Assignment").count() == 0
        assert page.locator(".jp-Toolbar").get_by_text("Validate", exact=True).count() == 0
        page.wait_for_timeout(2000)  # the news pop-up, when it comes, comes a moment after the page is ready
        assert page.get_by_text("official Jupyter news", exact=False).count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hub-trainee-module.png"))
        _open_course_menu(page)
        items = page.locator(".lm-Menu-content").last.inner_text()
        assert "Assignment List" in items and "Formgrader" not in items, items
        page.get_by_text("Assignment List", exact=True).click()
        listing = page.locator("#nbgrader-assignment-list")
        expect(listing).to_contain_text(A, timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "hub-trainee-assignments.png"))
        # formgrader's endpoints are not served to a trainee at all
        r = page.request.get(f"{hub.url}/user/{hub.trainees[1]}/formgrader")
        assert r.status == 404
    finally:
        ctx.close()


def test_instructor_opens_formgrader_in_a_new_tab(released, browser):
    hub = released
    ctx, page = _login(browser, hub, hub.instructor)
    try:
        # the instructor tools the trainee must not see are here (so the trainee test looks for the right things)
        expect(page.locator("#jp-menu-panel")).to_contain_text("Nbgrader")
        expect(page.locator(".jp-Toolbar").get_by_text("Validate", exact=True)).to_be_visible()
        assert page.get_by_text("Create Assignment").count() >= 1
        _open_course_menu(page)
        with ctx.expect_page(timeout=60_000) as new_tab:
            page.get_by_text("Formgrader (opens in a new tab)", exact=True).click()
        fg = new_tab.value
        fg.wait_for_load_state()
        assert "/services/peer-support/formgrader" in fg.url, fg.url
        expect(fg.locator("body")).to_contain_text("Manage Assignments", timeout=60_000)
        expect(fg.get_by_text("Loading, please wait...")).to_have_count(0, timeout=60_000)
        expect(fg.locator("table").get_by_text(A, exact=True).first).to_be_visible(timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        fg.screenshot(path=str(ARTIFACTS / "hub-instructor-formgrader.png"))
        page.bring_to_front()
        page.keyboard.press("Escape")
        page.screenshot(path=str(ARTIFACTS / "hub-instructor-lab.png"))
    finally:
        ctx.close()
