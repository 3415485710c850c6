"""The whole nbgrader round trip on the Module 01 exercise, in a scratch course and exchange.

generate -> release -> fetch as trainees -> answer by clicking widgets (or typing) -> save ->
submit -> collect -> autograde -> manual grades -> generate_feedback -> export.
"""

from __future__ import annotations

import csv
import json
import os
import time
from html import unescape
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from peersupport.grading.answers import ANSWER_FILE, AnswerStore, forget_memory
from peersupport.grading.authoring import load_spec, reference_typed
from peersupport.grading.decision_widget import DecisionView
from peersupport.instructor.reports.exports import items_csv
from peersupport.instructor.reports.pseudonym import Namer
from peersupport.grading.items import load_items
from harness.roundtrip import Course, type_answers
from peersupport.grading.views import ItemView

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
A = "active-listening"
SPEC = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
AUTO_POINTS = sum(i.points for i in SPEC.items)
WRITTEN_POINTS = sum(w.points for w in SPEC.written)

REFERENCE = {i.id: (i.key if i.kind != "scenario" else reference_typed(i)) for i in SPEC.items}
# A known mix of right, half-right and wrong answers, and the points each earns.
MIX = {
    "al-q1": ("d", 0.5),                                                       # near miss: partial credit
    "al-c1": ({"s1": "open", "s2": "closed", "s3": "closed", "s4": "closed"}, 1.5),  # 3 of 4 labels
    "al-q2": ("a", 0.0),
    "al-c2": ({"s1": "content", "s2": "feeling", "s3": "feeling", "s4": "content"}, 2.0),
    "al-c3": (None, 0.0),                                                      # left blank
    "al-m1": (["a", "c"], 1.0),                                                # 2 of 4 right, none wrong
    "al-q3": ("b", 1.0),
    "al-m2": (["a", "b", "c", "d"], 1.0),                                      # 3 of 3 right, 1 of 2 wrong
    "al-q4": ("b", 1.0),
    "al-q5": (None, 0.0),                                                      # left blank
    "al-q6": ("a", 0.0),                                                       # picked a good reflection, not the barrier
    "al-s1": ("B, A, B, A", 1.5),                                              # opening 0, son 0.5, opens-up 1
}


def click(folder: Path, answers: dict) -> None:
    """Answer like a trainee: open each widget in the assignment folder and click."""
    os.chdir(folder)
    forget_memory()
    items = load_items(folder)
    for item_id, value in answers.items():
        if value is None:
            continue
        item = items.get(item_id)
        store = AnswerStore(folder)
        if item.kind == "scenario":
            view = DecisionView(item, store)
            for letter in value.replace(",", " ").split():
                view.buttons.children[ord(letter) - 65].click()
        elif item.kind == "single":
            ItemView(item, store).picker.value = value
        elif item.kind == "multiple":
            view = ItemView(item, store)
            for o in value:
                view.boxes[o].value = True
        else:
            view = ItemView(item, store)
            for sid, cid in value.items():
                view.pickers[sid].value = cid


def write_answers(folder: Path, written: dict[str, str]) -> None:
    path = folder / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("-answer") and grade_id[: -len("-answer")] in written:
            cell.source = written[grade_id[: -len("-answer")]]
    nbformat.write(nb, path)


def typed_form(item, value) -> str:
    if item.kind == "single":
        return item.letter(value)
    if item.kind == "multiple":
        return ", ".join(item.letter(o) for o in value)
    if item.kind == "classify":
        return ", ".join(value[s] for s in item.statements)
    return value


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    here = os.getcwd()
    scratch = tmp_path_factory.mktemp("lifecycle")
    course = Course.copy_of(REPO, scratch)
    api = course.api()
    timings = {}
    t0 = time.perf_counter()
    for step, result in [("generate", lambda: api.generate_assignment(A)), ("release", lambda: api.release_assignment(A))]:
        r = result()
        assert r["success"], r["log"] + str(r["error"])
    timings["generate+release"] = time.perf_counter() - t0

    items = load_items(course.root / "course" / "release" / A)
    trainees = {"ref-clicker": "click-reference", "blank": "blank", "mixed": "click-mix", "typist": "type-reference",
                "mixed-typist": "type-mix"}
    homes = {}
    try:
        for student, how in trainees.items():
            home = scratch / "homes" / student
            folder = course.fetch(student, home, A)
            homes[student] = folder
            if how == "click-reference":
                click(folder, REFERENCE)
                write_answers(folder, {w.id: w.model_answer for w in SPEC.written})
            elif how == "click-mix":
                click(folder, {k: v for k, (v, _) in MIX.items()})
            elif how == "type-reference":
                type_answers(folder / f"{A}.ipynb", {i.id: reference_typed(i) for i in SPEC.items})
            elif how == "type-mix":
                type_answers(folder / f"{A}.ipynb",
                             {k: typed_form(items.get(k), v) if v is not None else "" for k, (v, _) in MIX.items()})
            course.submit(student, home, A)
    finally:
        os.chdir(here)
        forget_memory()

    r = api.collect(A)
    assert r["success"], r["log"]
    t0 = time.perf_counter()
    for student in trainees:
        r = api.autograde(A, student)
        assert r["success"], r["log"] + str(r["error"])
    timings["autograde per notebook"] = (time.perf_counter() - t0) / len(trainees)
    # manual grading, as an instructor does in formgrader: full marks for the reference trainee's writing
    with Gradebook(course.db_url, "peer-support") as gb:
        for w in SPEC.written:
            grade = gb.find_grade(f"{w.id}-answer", A, A, "ref-clicker")
            grade.manual_score = w.points
        gb.db.commit()
    t0 = time.perf_counter()
    for student in trainees:
        r = api.generate_feedback(A, student)
        assert r["success"], r["log"] + str(r["error"])
    timings["feedback per notebook"] = (time.perf_counter() - t0) / len(trainees)
    print("\nTIMINGS", {k: round(v, 2) for k, v in timings.items()})
    return course, homes, trainees


def _item_scores(course, student) -> dict[str, float]:
    with Gradebook(course.db_url, "peer-support") as gb:
        nb = gb.find_submission_notebook(A, A, student)
        return {g.name[: -len("-test")]: g.score for g in nb.grades if g.name.endswith("-test")}


def _total(course, student) -> float:
    with Gradebook(course.db_url, "peer-support") as gb:
        return gb.find_submission(A, student).score


def test_reference_answers_score_full_marks(graded):
    course, _, _ = graded
    scores = _item_scores(course, "ref-clicker")
    assert scores == {i.id: i.points for i in SPEC.items}
    assert _total(course, "ref-clicker") == AUTO_POINTS + WRITTEN_POINTS == 25


def test_blank_notebook_scores_zero(graded):
    course, _, _ = graded
    assert _total(course, "blank") == 0
    assert set(_item_scores(course, "blank").values()) == {0}


def test_known_mix_scores_exactly_the_expected_points(graded):
    course, _, _ = graded
    scores = _item_scores(course, "mixed")
    assert scores == {k: pts for k, (_, pts) in MIX.items()}
    assert _total(course, "mixed") == pytest.approx(9.5)


def test_typed_answers_score_the_same_as_clicked_ones(graded):
    course, _, _ = graded
    assert _item_scores(course, "typist") == _item_scores(course, "ref-clicker")
    assert _item_scores(course, "mixed-typist") == _item_scores(course, "mixed")


def test_clicked_answers_persist_and_travel_with_the_submission(graded):
    course, homes, _ = graded
    saved = json.loads((homes["mixed"] / ANSWER_FILE).read_text())["answers"]
    assert saved["al-m1"] == ["a", "c"] and "al-c3" not in saved
    autograded = course.root / "course" / "autograded" / "mixed" / A / ANSWER_FILE
    assert json.loads(autograded.read_text())["answers"] == saved
    # the re-run notebook shows the trainee's choice again
    nb = nbformat.read(autograded.parent / f"{A}.ipynb", as_version=4)
    shown = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    text = "".join(o.get("data", {}).get("text/plain", "") for o in shown["al-q2-choose"].outputs)
    assert "your saved answer is A" in text


def test_feedback_says_the_better_answer_and_never_shows_hidden_tests(graded):
    course, _, _ = graded
    raw = (course.root / "course" / "feedback" / "mixed" / A / f"{A}.html").read_text()
    html = unescape(raw)
    assert "You chose A. You should talk to your professor about an extension." in html
    assert "Advice moves to fixing before she feels heard." in html
    assert "The best answer is B. You're feeling discouraged, like all that effort still doesn't measure up. It names" in html
    assert "well done, that is the best answer" in html  # al-q3 was right
    assert "A stronger reply:" in html  # the scenario names better replies
    assert "BEGIN HIDDEN TESTS" not in html and "mark_single(" not in html and "key=" not in html
    assert "Traceback (most recent" not in html and "Cell In[" not in html
    blank = (course.root / "course" / "feedback" / "blank" / A / f"{A}.html").read_text()
    assert "NotAnsweredYet" in blank and "mark_scenario" not in blank and "decisions=" not in blank


def test_export_has_one_row_per_item_with_its_competency(graded, tmp_path):
    course, _, trainees = graded
    out = tmp_path / "grades.csv"
    n = items_csv(course.db_url, course.root / "exercises", "peer-support", Namer(None), out)
    with open(out, newline="") as fh:
        data = list(csv.DictReader(fh))
    assert n == len(data) == len(trainees) * (len(SPEC.items) + len(SPEC.written))
    mixed = {r["item"]: r for r in data if r["student"] == "mixed"}
    assert mixed["al-m1"]["competency"] == "barriers-to-listening" and float(mixed["al-m1"]["score"]) == 1.0
    # an untouched written answer scores 0 without manual grading; the reference one was graded by hand
    assert mixed["al-w1"]["kind"] == "written" and float(mixed["al-w1"]["score"]) == 0
    ref = {r["item"]: r for r in data if r["student"] == "ref-clicker"}
    assert float(ref["al-w2"]["score"]) == 3 and ref["al-w2"]["competency"] == "summarizing"
