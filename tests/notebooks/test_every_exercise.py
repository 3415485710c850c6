"""Every exercise, through nbgrader's real generate -> release -> fetch -> submit -> collect -> autograde:
the reference answers (typed, as a trainee who prefers typing would) score full marks, and the
released notebook handed in untouched scores zero."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from peersupport.grading.answers import forget_memory
from peersupport.grading.authoring import load_spec, reference_typed
from harness.roundtrip import Course, type_answers

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
EXERCISES = sorted(p.name for p in (REPO / "exercises").iterdir() if (REPO / "autograder" / "items" / f"{p.name}.yaml").exists())


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    here = os.getcwd()
    scratch = tmp_path_factory.mktemp("every")
    c = Course.copy_of(REPO, scratch)
    api = c.api()
    try:
        for a in EXERCISES:
            spec = load_spec(REPO / "autograder" / "items" / f"{a}.yaml")
            for step in (api.generate_assignment, api.release_assignment):
                r = step(a)
                assert r["success"], f"{a}: {r['log']} {r['error']}"
            for student in ("reference", "blank"):
                home = scratch / "homes" / student
                folder = c.fetch(student, home, a)
                if student == "reference":
                    type_answers(folder / f"{spec.notebook}.ipynb", {i.id: reference_typed(i) for i in spec.items})
                c.submit(student, home, a)
            r = api.collect(a)
            assert r["success"], r["log"]
            for student in ("reference", "blank"):
                r = api.autograde(a, student)
                assert r["success"], f"{a}/{student}: {r['log']} {r['error']}"
    finally:
        os.chdir(here)
        forget_memory()
    return c


def test_there_are_exercises():
    assert "active-listening" in EXERCISES and len(EXERCISES) >= 1


@pytest.mark.parametrize("assignment", EXERCISES)
def test_reference_full_marks_and_blank_zero(course, assignment):
    spec = load_spec(REPO / "autograder" / "items" / f"{assignment}.yaml")
    auto = sum(i.points for i in spec.items)
    assert len(spec.items) >= 8 and len(spec.written) >= 1, "each exercise needs >= 8 autograded items and a written response"
    with Gradebook(course.db_url, "peer-support") as gb:
        ref = gb.find_submission(assignment, "reference")
        blank = gb.find_submission(assignment, "blank")
        assert ref.code_score == pytest.approx(auto), f"{assignment}: reference scored {ref.code_score} of {auto}"
        assert blank.score == 0, f"{assignment}: blank scored {blank.score}"
        assert ref.max_score == pytest.approx(auto + sum(w.points for w in spec.written))
