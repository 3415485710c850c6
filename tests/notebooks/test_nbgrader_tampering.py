"""Tampering gains nothing: nbgrader restores test and read-only cells from the gradebook.

Each case is the freshly released Module 01 notebook, edited as a trainee might (built at test time
from the current release, so the cases never go stale when items are added; copies are written to
test-artifacts/tampering/ for inspection):
- tampered-test-cell: the al-q1 test replaced by `1` (claims full points), the al-m1 test by `pass`;
- deleted-test-cell: the al-q2 and al-s1 tests deleted;
- deleted-answer-cells: the al-q4 widget and typed-answer cells deleted (grading still runs);
- changed-readonly-cell: the setup cell patched so every mark_* returns 1, and the al-q3
  widget cell replaced by a typed right answer.
Each is submitted with the same answers file as an untampered copy and must score exactly the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from harness.course import make_course
from peersupport.grading.answers import AnswerStore
from peersupport.grading.authoring import load_spec

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "tampering"
A = "active-listening"
SPEC = {i.id: i for i in load_spec(REPO / "autograder" / "items" / f"{A}.yaml").items}


def _wrong(item):
    """An option that earns nothing: not the key, no partial credit."""
    return next(o for o in item.options if o != item.key and not (item.partial or {}).get(o))


# wrong answers on every tampered item, and one item fully right (al-c2)
ANSWERS = {"al-q1": _wrong(SPEC["al-q1"]), "al-q2": _wrong(SPEC["al-q2"]), "al-q3": _wrong(SPEC["al-q3"]),
           "al-m1": [next(o for o in SPEC["al-m1"].options if o not in SPEC["al-m1"].key)],
           "al-c2": dict(SPEC["al-c2"].key)}
RIGHT = SPEC["al-c2"].points
CHEAT = ("from peersupport.grading import choose, answer, check\nimport peersupport.grading.marking as m\n"
         "m.mark_single = m.mark_multiple = m.mark_scenario = lambda *a, **k: 1")


def _edit(nb, changes: dict[str, str | None]):
    """Replace (or, with None, delete) cells by nbgrader grade_id."""
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in changes:
            if changes[gid] is None:
                continue
            cell.source = changes[gid]
        cells.append(cell)
    nb.cells = cells
    return nb


TAMPER = {
    "tampered-test-cell": lambda nb: _edit(nb, {"al-q1-test": "1", "al-m1-test": "pass"}),
    "deleted-test-cell": lambda nb: _edit(nb, {"al-q2-test": None, "al-s1-test": None}),
    "deleted-answer-cells": lambda nb: _edit(nb, {"al-q4-typed": None, "al-q4-choose": None}),
    "changed-readonly-cell": lambda nb: _edit(nb, {"setup": CHEAT, "al-q3-choose": 'answer("al-q3", "B")'}),
}
CASES = list(TAMPER)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("tamper"))  # Module 01 generated and released once per session
    api = course.api()
    release = course.root / "course" / "release" / A
    for student in ["untampered", *CASES]:
        folder = course.root / "course" / "submitted" / student / A
        shutil.copytree(release, folder)
        if student != "untampered":
            nb = TAMPER[student](nbformat.read(release / f"{A}.ipynb", as_version=4))
            nbformat.write(nb, folder / f"{A}.ipynb")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, ARTIFACTS / f"{student}.ipynb")
        store = AnswerStore(folder, persist=True)
        for item_id, value in ANSWERS.items():
            store.set(item_id, value)
        r = api.autograde(A, student)
        assert r["success"], r["log"]
    return course


def scores(course, student):
    with Gradebook(course.db_url, "peer-support") as gb:
        nb = gb.find_submission_notebook(A, A, student)
        return {g.name: g.score for g in nb.grades}


def test_untampered_baseline(graded):
    s = scores(graded, "untampered")
    assert s["al-c2-test"] == RIGHT and sum(s.values()) == RIGHT


@pytest.mark.parametrize("case", CASES)
def test_tampering_gains_nothing(graded, case):
    assert scores(graded, case) == scores(graded, "untampered")


@pytest.mark.parametrize("case", CASES)
def test_tampered_cells_are_restored_from_the_source(graded, case):
    source = nbformat.read(REPO / "exercises" / A / f"{A}.ipynb", as_version=4)
    graded_nb = nbformat.read(graded.root / "course" / "autograded" / case / A / f"{A}.ipynb", as_version=4)
    want = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
            if c.metadata["nbgrader"].get("locked")}
    got = {c.metadata["nbgrader"]["grade_id"]: c.source for c in graded_nb.cells if "nbgrader" in c.metadata}
    for grade_id in ["al-q1-test", "al-m1-test", "al-q2-test", "al-s1-test", "setup", "al-q3-choose"]:
        # restored exactly (a deleted cell is re-added with a one-line note on top)
        assert got[grade_id] == want[grade_id] or got[grade_id].endswith("\n" + want[grade_id])
