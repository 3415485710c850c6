"""`peersupport grade` as a drop-in for a plain nbgrader course that nobody here wrote.

The course is laid out as nbgrader's documentation and JupyterHub deployments lay it out:
``nbgrader_config.py`` at the course root (no ``db_url``: nbgrader's default gradebook), and the
cell timeout set only as ``ExecutePreprocessor.timeout`` in a Jupyter config path
(``$JUPYTER_CONFIG_DIR/nbgrader_config.py``). Its assignments are nbgrader's own: the user guide's
``ps1`` with the ``bitdiddle`` and ``hacker`` submissions, and the fixtures of nbgrader's autograde
tests (unchanged, changed, two cheat attempts, edited grade and read-only cells, side effects, a
relative file, an infinite loop; BSD licence in tests/fixtures/nbgrader/LICENSE), plus a notebook
whose cell outlives the configured timeout, plus this project's Module 01 exercise copied in as an
ordinary assignment. One copy is graded by ``nbgrader autograde``, one by ``peersupport grade`` in
the course folder, one by ``peersupport grade --course-dir`` from another working directory; every
cell's score must be the same in all three.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from harness.course import REPO, SPEC, A
from harness.synthetic import write_submission
from peersupport.instructor.course import alembic_on_path, load

pytestmark = pytest.mark.slow
FIX = REPO / "tests" / "fixtures" / "nbgrader"
BIN = Path(sys.executable).parent
TIMEOUT = 3  # ExecutePreprocessor.timeout in the Jupyter config path; nbgrader's default would be 30
APPS = {  # trainee -> the fixture submitted as p1.ipynb (nbgrader's test_nbgrader_autograde.py)
    "unchanged": "submitted-unchanged.ipynb", "changed": "submitted-changed.ipynb",
    "cheat": "submitted-cheat-attempt.ipynb", "cheat-alt": "submitted-cheat-attempt-alternative.ipynb",
    "grade-cell-changed": "submitted-grade-cell-changed.ipynb",
    "locked-cell-changed": "submitted-locked-cell-changed.ipynb",
}
ASSIGNMENTS = ("ps1", "apps", "effects", A)
FAR = ("ps1", A)  # graded again from another working directory with --course-dir
SLOW_CELL = 5  # seconds: more than TIMEOUT, well under nbgrader's default of 30


def _graded_cell(source: str, grade_id: str, points: float | None = None, solution: bool = False):
    meta = {"grade": points is not None, "solution": solution, "locked": not solution, "grade_id": grade_id,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return new_code_cell(source, metadata={"nbgrader": meta})


def slow_notebook():
    """A cell that takes SLOW_CELL seconds: 0/1 under a 3 s timeout, 1/1 under nbgrader's default."""
    nb = new_notebook(cells=[
        _graded_cell(f"import time\ntime.sleep({SLOW_CELL})\ndone = True", "slow-answer", solution=True),
        _graded_cell("assert done", "slow-test", points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run(cmd: list[str], cwd: Path, env: dict) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out.stdout + out.stderr


@contextlib.contextmanager
def _environ(env: dict):
    old = dict(os.environ)
    os.environ.update(env)
    alembic_on_path()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(old)


def scores(course_dir: Path, env: dict) -> dict:
    """(assignment, trainee, notebook, cell) -> score, read through the course's own configuration."""
    from nbgrader.api import Gradebook

    with _environ(env):
        c = load(cwd=course_dir)
    out = {}
    with Gradebook(c.db_url, c.course_id) as gb:
        for a in gb.assignments:
            for sub in gb.assignment_submissions(a.name):
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(a.name, sub.student_id, nb.name, g.name)] = g.score
    return out


@pytest.fixture(scope="session")
def standard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("standard")
    jcfg = tmp / "jupyter-config"
    jcfg.mkdir()
    (jcfg / "nbgrader_config.py").write_text(f"c = get_config()\nc.ExecutePreprocessor.timeout = {TIMEOUT}\n")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(jcfg), PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "standard-course"\n')
    shutil.copytree(FIX / "user_guide" / "source" / "ps1", course / "source" / "ps1")
    (course / "source" / "apps").mkdir()
    shutil.copy(FIX / "apps" / "submitted-unchanged.ipynb", course / "source" / "apps" / "p1.ipynb")
    effects = course / "source" / "effects"
    effects.mkdir()
    for name in ("side-effects.ipynb", "open_relative_file.ipynb", "data.txt", "infinite-loop.ipynb"):
        shutil.copy(FIX / "apps" / name, effects / name)
    nbformat.write(slow_notebook(), effects / "slow.ipynb")
    shutil.copytree(REPO / "exercises" / A, course / "source" / A)
    with _environ(env):  # nbgrader's generate_assignment, in this process (one start-up less per assignment)
        from nbgrader.apps import NbGraderAPI

        api = NbGraderAPI(config=load(cwd=course).config)
        for a in ASSIGNMENTS:
            result = api.generate_assignment(a)
            assert result["success"], result["log"]
    sub = course / "submitted"
    shutil.copytree(FIX / "user_guide" / "submitted", sub)
    for trainee, fixture in APPS.items():
        (sub / trainee / "apps").mkdir(parents=True)
        shutil.copy(FIX / "apps" / fixture, sub / trainee / "apps" / "p1.ipynb")
        (sub / trainee / "apps" / "timestamp.txt").write_text("2026-11-20 17:00:00.000000 UTC")
    # as nbgrader's tests submit these: the source notebook itself
    shutil.copytree(effects, sub / "unchanged" / "effects")
    (sub / "unchanged" / "effects" / "timestamp.txt").write_text("2026-11-20 17:00:00.000000 UTC")
    release_nb = course / "release" / A / f"{A}.ipynb"
    for trainee, profile in (("unchanged", "full"), ("changed", "partial"), ("cheat", "blank"), ("hacker", "tamper")):
        write_submission(sub, trainee, SPEC, release_nb, profile, seed=3)
    theirs, ours, elsewhere = tmp / "nbgrader", course, tmp / "course-3"
    for copy in (theirs, elsewhere):
        shutil.copytree(course, copy)
    for a in ASSIGNMENTS:
        run([str(BIN / "nbgrader"), "autograde", a], theirs, env)
    logs = {a: run([sys.executable, "-m", "peersupport.cli", "grade", a, "--no-collect"], ours, env) for a in ASSIGNMENTS}
    away = tmp / "somewhere-else"
    away.mkdir()
    for a in FAR:
        run([sys.executable, "-m", "peersupport.cli", "grade", a, "--no-collect", "--course-dir", "../course-3"], away, env)
    return {"env": env, "theirs": theirs, "ours": ours, "elsewhere": elsewhere, "away": away, "logs": logs}


def test_the_course_is_configured_as_nbgrader_configures_it(standard):
    with _environ(standard["env"]):
        c = load(cwd=standard["ours"])
        assert c.root == standard["ours"].resolve() and c.course_id == "standard-course"
        assert c.db_url == f"sqlite:///{standard['ours'].resolve()}/gradebook.db"  # nbgrader's default
        assert c.timeout == TIMEOUT  # from ExecutePreprocessor.timeout in the Jupyter config path
        assert c.state_dir == standard["ours"].resolve() / ".peersupport"
        far = load("../course-3", cwd=standard["away"])
        assert far.root == standard["elsewhere"].resolve() and far.timeout == TIMEOUT
    assert not (standard["away"] / "gradebook.db").exists() and not (standard["away"] / ".peersupport").exists()


def test_every_cell_scores_as_nbgrader_scores_it_from_either_folder(standard):
    theirs = scores(standard["theirs"], standard["env"])
    ours = scores(standard["ours"], standard["env"])
    far = scores(standard["elsewhere"], standard["env"])
    assert {k[0] for k in theirs} == set(ASSIGNMENTS)
    assert {k[1] for k in theirs if k[0] == "ps1"} == {"bitdiddle", "hacker"}
    assert len(theirs) > 40
    assert ours == theirs
    assert far == {k: v for k, v in theirs.items() if k[0] in FAR}
    # the timeout is nbgrader's, read from the Jupyter config path: the slow cell was stopped after TIMEOUT s
    assert theirs[("effects", "unchanged", "slow", "slow-test")] == 0
    # nbgrader's own expectations for its fixtures (test_nbgrader_autograde.py, test_grade_timestamp…)
    p1 = {t: sum(v for k, v in theirs.items() if k[:3] == ("apps", t, "p1")) for t in APPS}
    assert (p1["unchanged"], p1["changed"], p1["cheat"], p1["cheat-alt"]) == (1, 2, 1, 1)


def test_side_effects_stay_in_the_graded_copy(standard):
    for root in (standard["theirs"], standard["ours"]):
        assert (root / "autograded" / "unchanged" / "effects" / "side-effect.txt").is_file()
        assert not (root / "submitted" / "unchanged" / "effects" / "side-effect.txt").exists()


def test_every_trainee_has_a_state_and_edits_are_noted(standard):
    def lines(log):
        return {ln.split()[0]: ln for ln in log.splitlines() if ln.split() and ln.split()[0] in {*APPS, "bitdiddle", "hacker"}}

    apps = lines(standard["logs"]["apps"])
    assert set(apps) == {*APPS, "bitdiddle", "hacker"}
    assert " missing " in apps["bitdiddle"] and " missing " in apps["hacker"]  # they did not submit "apps"
    assert "test cells were edited" in apps["grade-cell-changed"]
    assert "read-only cells were edited and restored" in apps["locked-cell-changed"]
    assert "edited" not in apps["unchanged"] and "edited" not in apps["changed"]
    assert "2 cell(s) ran past the 3 s limit" in lines(standard["logs"]["effects"])["unchanged"]
    # a plain second run grades nothing again, and says so for everyone
    again = run([sys.executable, "-m", "peersupport.cli", "grade", "apps", "--no-collect"], standard["ours"], standard["env"])
    assert f"0 failed, 0 graded, {len(APPS)} unchanged, 2 missing" in again


def test_suggest_report_and_export_work_from_elsewhere_and_stay_inside_the_course(standard):
    far, away, env = standard["elsewhere"], standard["away"], standard["env"]
    for args in (["suggest", A], ["report", "ps1"], ["export", "--real-names"]):
        run([sys.executable, "-m", "peersupport.cli", *args, "--course-dir", "../course-3"], away, env)
    assert (far / "reports" / "ps1" / "report.html").is_file()
    rows = (far / "exports" / "grades-by-item.csv").read_text().splitlines()
    assert len(rows) == 1 + len(scores(far, env)) and any(",bitdiddle," in r or r.startswith("bitdiddle,") for r in rows)
    assert sorted(p.name for p in away.iterdir()) == []  # nothing written where the command was run
