"""Every exercise, through nbgrader's real generate -> release -> fetch -> submit -> collect -> autograde:
the reference answers (typed, as a trainee who prefers typing would) score full marks, and the
released notebook handed in untouched scores zero."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from harness.roundtrip import Course, type_answers
from peersupport.grading.answers import forget_memory
from peersupport.grading.authoring import load_spec, reference_typed
from testwise import STRATEGIES, answers_for, score

BOTS = {f"bot-{s}": s for s in STRATEGIES}


def bots_for(n: int) -> list[str]:
    """Two test-wise trainees per exercise, the strategies rotating across exercises (all four are
    covered; tests/content/test_testwise.py scores every strategy on every exercise in-process)."""
    names = list(BOTS)
    return [names[(2 * n) % len(names)], names[(2 * n + 1) % len(names)]]

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
EXERCISES = sorted(p.name for p in (REPO / "exercises").iterdir() if (REPO / "autograder" / "items" / f"{p.name}.yaml").exists())


BOT_ANSWERS: dict = {}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    here = os.getcwd()
    scratch = tmp_path_factory.mktemp("every")
    c = Course.copy_of(REPO, scratch)
    api = c.api()
    try:
        for n, a in enumerate(EXERCISES):
            spec = load_spec(REPO / "autograder" / "items" / f"{a}.yaml")
            for step in (api.generate_assignment, api.release_assignment):
                r = step(a)
                assert r["success"], f"{a}: {r['log']} {r['error']}"
            for student in ("reference", "blank", *bots_for(n)):
                home = scratch / "homes" / student
                folder = c.fetch(student, home, a)
                if student == "reference":
                    type_answers(folder / f"{spec.notebook}.ipynb", {i.id: reference_typed(i, student) for i in spec.items})
                elif student in BOTS:  # clicks by a test-wise trainee, saved as the widgets save them
                    answers = answers_for(spec, folder, student, BOTS[student], random.Random(7))
                    (folder / "my-answers.json").write_text(json.dumps({"version": 1, "trainee": student, "answers": answers}))
                    BOT_ANSWERS[(a, student)] = answers
                c.submit(student, home, a)
            r = api.collect(a)
            assert r["success"], r["log"]
            for student in ("reference", "blank", *bots_for(n)):
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


@pytest.mark.parametrize("assignment", EXERCISES)
def test_nbgrader_scores_test_wise_trainees_as_the_marking_functions_do(course, assignment):
    """The bots' answers, shuffled in their own order and submitted through nbgrader, score exactly what
    tests/testwise.py computes (so the test-wise table is what nbgrader would give)."""
    spec = load_spec(REPO / "autograder" / "items" / f"{assignment}.yaml")
    items = REPO / "exercises" / assignment / "items.yaml"
    with Gradebook(course.db_url, "peer-support") as gb:
        for student in bots_for(EXERCISES.index(assignment)):
            got = gb.find_submission(assignment, student).code_score
            assert got == pytest.approx(score(spec, items, BOT_ANSWERS[(assignment, student)], student)), student
