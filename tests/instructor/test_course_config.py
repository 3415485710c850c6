"""Course discovery and configuration with nbgrader's own config loading (no kernels: fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peersupport.instructor.autograde.grade import submission_limit
from peersupport.instructor.course import NoCourse, load

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def jupyter_dir(tmp_path, monkeypatch):
    """An empty Jupyter config folder of our own, so settings on this machine do not leak in."""
    d = tmp_path / "jupyter-config"
    d.mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(d))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(d))
    return d


def _course(root: Path, config: str = "") -> Path:
    (root / "source" / "ps1").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n" + config)
    return root


def test_a_standard_course_gets_nbgraders_defaults(tmp_path, jupyter_dir):
    root = _course(tmp_path / "course")
    c = load(cwd=root)
    assert c.root == root.resolve() and c.db_url == f"sqlite:///{root.resolve()}/gradebook.db"
    assert c.timeout == 30 and c.path("submitted") == root.resolve() / "submitted"
    assert c.state_dir == root.resolve() / ".peersupport"


def test_every_place_nbgrader_reads_settings_from_is_honoured(tmp_path, jupyter_dir):
    (jupyter_dir / "nbgrader_config.py").write_text("c = get_config()\nc.ExecutePreprocessor.timeout = 7\n")
    root = _course(tmp_path / "course", 'c.CourseDirectory.course_id = "x"\n')
    assert load(cwd=root).timeout == 7 and load(cwd=root).course_id == "x"
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = 11\n")
    assert load(cwd=root).timeout == 11  # the course's own file wins over the Jupyter path, as in nbgrader
    assert load(cwd=root, timeout=5).timeout == 5  # and the command line over both
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = None\n")
    assert load(cwd=root).timeout is None


def test_course_dir_from_anywhere_and_a_subfolder(tmp_path, jupyter_dir):
    root = _course(tmp_path / "course", 'c.CourseDirectory.submitted_directory = "handed-in"\n')
    away = tmp_path / "elsewhere"
    away.mkdir()
    c = load("../course", cwd=away)
    assert c.root == root.resolve() and c.path("submitted") == root.resolve() / "handed-in"
    sub = root / "source" / "ps1"
    assert load(cwd=sub).root == root.resolve()  # the nearest folder above with a nbgrader_config.py
    with pytest.raises(NoCourse):
        load(cwd=away)


def test_a_jupyter_path_can_name_the_course(tmp_path, jupyter_dir):
    root = _course(tmp_path / "course", 'c.CourseDirectory.course_id = "hub"\n')
    (jupyter_dir / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n")
    away = tmp_path / "home"
    away.mkdir()
    c = load(cwd=away)
    assert c.root == root.resolve() and c.course_id == "hub"  # the course root's own config is read too


def test_this_repository_is_one_ordinary_case(jupyter_dir):
    a, b = load(cwd=REPO), load(cwd=REPO / "autograder")
    assert a.root == b.root == REPO and a.db_url == b.db_url == f"sqlite:///{REPO / 'course' / 'gradebook.db'}"
    assert a.timeout == b.timeout == 120 and a.path("source") == REPO / "exercises"
    assert a.state_dir == REPO / "course" / ".peersupport"


def test_the_whole_submission_limit_never_cuts_a_notebook_nbgrader_grades():
    ex = {"timeout": 90, "startup_timeout": 60, "iopub_timeout": 4, "retries": 0}
    assert submission_limit(ex, 11) > 11 * 90 + 60  # 11 cells of 28 s (or even 90 s each) fit
    assert submission_limit(dict(ex, retries=1), 11) > 2 * (11 * 90 + 60)
    assert submission_limit(dict(ex, timeout=None), 11) is None  # no per-cell limit: none at all
