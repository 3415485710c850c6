"""Trainee and instructor modes (src/peersupport/modes/): what each role's JupyterLab offers of nbgrader."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from peersupport import modes

REPO = Path(__file__).resolve().parents[2]


def test_trainee_mode_turns_off_every_instructor_tool_and_keeps_the_assignment_list():
    disabled = modes.page_config("trainee")["disabledExtensions"]
    assert set(disabled) == set(modes.INSTRUCTOR_PLUGINS)
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    server = json.loads((modes.config_dir("trainee") / "jupyter_server_config.json").read_text())
    off = server["ServerApp"]["jpserver_extensions"]
    assert off == {ext: False for ext in modes.INSTRUCTOR_SERVER_EXTENSIONS}
    assert "nbgrader.server_extensions.assignment_list" not in off


def test_instructor_mode_keeps_nbgrader_and_links_formgrader_in_a_new_tab(monkeypatch):
    assert modes.page_config("instructor")["disabledExtensions"] == {}
    assert not (modes.config_dir("instructor") / "jupyter_server_config.json").exists()
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    items = modes.lab_settings("instructor")["@jupyterlab/mainmenu-extension:plugin"]["menus"][0]["items"]
    link = next(i for i in items if i["command"] == "help:open")
    assert link["args"] == {"url": "/formgrader", "text": "Formgrader (opens in a new tab)", "newBrowserTab": True}
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/")
    items = modes.lab_settings("instructor")["@jupyterlab/mainmenu-extension:plugin"]["menus"][0]["items"]
    assert next(i for i in items if i["command"] == "help:open")["args"]["url"] == "/services/peer-support/formgrader"


def test_both_modes_turn_off_the_news_pop_up():
    for mode in modes.MODES:
        assert modes.lab_settings(mode)["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    with pytest.raises(ValueError):
        modes.config_dir("student")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("mode", modes.MODES)
def test_a_real_jupyterlab_in_each_mode(mode, tmp_path):
    """JupyterLab started as `make lab` starts it (the mode's folder first on JUPYTER_CONFIG_PATH)."""
    port, token = _free_port(), secrets.token_hex(8)
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(modes.config_dir(mode)), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    env.pop("JUPYTERHUB_API_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}{'&' if '?' in path else '?'}token={token}",
                                        timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, ""

    try:
        deadline = time.time() + 90
        while True:
            try:
                if get("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.time() < deadline, "JupyterLab did not start"
            time.sleep(0.5)
        status, page = get("/lab")
        assert status == 200
        page_config = json.loads(page.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1].split("</script>")[0])
        disabled = page_config.get("disabledExtensions", [])
        assert (set(modes.INSTRUCTOR_PLUGINS) <= set(disabled)) == (mode == "trainee"), disabled
        assert get("/formgrader")[0] == (404 if mode == "trainee" else 200)
        assert get("/assignments?course_id=peer-support")[0] == 200    # the Assignments list works in both
        notes = json.loads(get("/lab/api/settings/@jupyterlab/apputils-extension:notification")[1])
        assert notes["schema"]["properties"]["fetchNews"]["default"] == "false"   # overrides are the defaults
        menu = json.loads(get("/lab/api/settings/@jupyterlab/mainmenu-extension:plugin")[1])
        assert any(m["id"] == "jp-mainmenu-course" for m in menu["schema"]["properties"]["menus"]["default"])
    finally:
        proc.terminate()
        proc.wait(20)
