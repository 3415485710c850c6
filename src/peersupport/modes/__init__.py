"""Trainee and instructor modes of JupyterLab: what each role sees of nbgrader.

A mode is a Jupyter config folder (``trainee/`` or ``instructor/`` beside this file) put first on
``JUPYTER_CONFIG_PATH``: ``make lab`` does it (``MODE=instructor make lab`` for the instructor) and the
hub's spawner does it per role (deploy/jupyterhub/jupyterhub_config.py).

- **trainee**: the curriculum and the Assignments list (fetch, submit, feedback). nbgrader's instructor
  tools are off: the Create Assignment sidebar, Validate, the Nbgrader menu, formgrader and the course
  list (their lab plugins and their server endpoints alike).
- **instructor**: everything nbgrader offers, plus a Course menu whose Formgrader item opens in a new
  browser tab (inside JupyterLab on JupyterHub 4.1 and later formgrader's panel stays blank).

Both: no "Jupyter news" pop-up and no update checks (nothing is fetched from the network).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MODES = ("trainee", "instructor")
HERE = Path(__file__).resolve().parent

# nbgrader 0.9.6's lab plugins that only instructors use; the trainee keeps "@jupyter/nbgrader:assignment-list".
INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:menu",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
)
# ... and their server endpoints (turned off in trainee/jupyter_server_config.json).
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.course_list",
)
ASSIGNMENT_LIST = "nbgrader:open-assignment-list"


def config_dir(mode: str) -> Path:
    """The folder to put first on JUPYTER_CONFIG_PATH for `mode`."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    return HERE / mode


def formgrader_url() -> str:
    """Where formgrader lives: the course's grader service on a hub, else this server's own /formgrader."""
    if os.environ.get("JUPYTERHUB_API_URL"):
        course = os.environ.get("PEERSUPPORT_COURSE", "peer-support")
        hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/")
        return f"{hub_prefix.rstrip('/')}/services/{course}/formgrader"
    return "/formgrader"


def lab_settings(mode: str) -> dict:
    """Settings overrides (defaults the user may still change) for the mode's JupyterLab."""
    items = [{"command": ASSIGNMENT_LIST, "rank": 1}]
    if mode == "instructor":
        items.append({"command": "help:open", "rank": 2, "args": {
            "url": formgrader_url(), "text": "Formgrader (opens in a new tab)", "newBrowserTab": True}})
    return {
        # no "Would you like to receive official Jupyter news?" pop-up, and no fetching of news
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/mainmenu-extension:plugin": {
            "menus": [{"id": "jp-mainmenu-course", "label": "Course", "rank": 90, "items": items}]},
    }


def page_config(mode: str) -> dict:
    disabled = {p: True for p in INSTRUCTOR_PLUGINS} if mode == "trainee" else {}
    return {"disabledExtensions": disabled}


def write_settings(mode: str, where: Path | None = None) -> Path:
    """Write the mode's JupyterLab app settings (overrides.json, page_config.json) and return the folder."""
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(where or jupyter_runtime_dir()) / f"peersupport-{mode}-lab-settings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "overrides.json").write_text(json.dumps(lab_settings(mode), indent=1), encoding="utf-8")
    (folder / "page_config.json").write_text(json.dumps(page_config(mode), indent=1), encoding="utf-8")
    return folder


def apply(c, mode: str) -> None:
    """Fill the traitlets config `c` of a Jupyter server for `mode` (called from the mode's config file)."""
    config_dir(mode)
    c.LabApp.app_settings_dir = str(write_settings(mode))
    c.LabApp.news_url = None
    c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
