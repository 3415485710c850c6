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

from harness.roundtrip import Course, type_answers
from peersupport.grading.answers import ANSWER_FILE, AnswerStore, forget_memory
from peersupport.grading.authoring import load_spec, reference_ids, reference_typed
from peersupport.grading.decision_widget import DecisionView
from peersupport.grading.items import load_items
from peersupport.grading.views import ItemView
from peersupport.instructor.reports.exports import items_csv
from peersupport.instructor.reports.pseudonym import Namer
from peersupport.scenarios import Engine, load_library

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
A = "active-listening"
SPEC = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
AUTO_POINTS = sum(i.points for i in SPEC.items)
WRITTEN_POINTS = sum(w.points for w in SPEC.written)

REFERENCE = {i.id: reference_ids(i) for i in SPEC.items}


def _mix() -> dict:
    """A known mix of near misses, half-right and wrong answers (and two blanks), with the points each
    earns by the rules the exercise states (computed here independently of the marking code)."""
    mix = {}
    lib = load_library()
    for n, i in enumerate(SPEC.items):
        if n in (2, 9):
            mix[i.id] = (None, 0.0)
        elif i.kind == "single":
            near = sorted(set(i.near_miss or []) | set(i.partial or {}))
            pick = near[0] if near else next(o for o in i.options if o != i.key)
            mix[i.id] = (pick, i.points * (i.partial or {}).get(pick, 0.0))
        elif i.kind == "multiple":
            wrong = [o for o in i.options if o not in i.key]
            pick = sorted([i.key[0], *wrong[:1]])
            frac = 1 / len(i.key) - (1 / len(wrong) if wrong else 0)
            mix[i.id] = (pick, i.points * max(frac, 0.0))
        elif i.kind == "classify":
            half = list(i.statements)[: len(i.statements) // 2 or 1]
            other = {s: next(c for c in i.categories if c != i.key[s]) for s in i.statements}
            mix[i.id] = ({s: i.key[s] if s in half else other[s] for s in i.statements}, i.points * len(half) / len(i.statements))
        else:
            engine, earned, seen = Engine(lib.scenario(i.scenario)), 0.0, set()
            while not engine.finished:
                here = i.decisions.get(engine.current_id, {})
                best = max(engine.choices, key=lambda c: here.get(c.id, 0.0))
                pick = next((c for c in engine.choices if c.id != best.id), best)
                if engine.current_id in i.decisions and engine.current_id not in seen:
                    earned += i.points / len(i.decisions) * here.get(pick.id, 0.0)
                seen.add(engine.current_id)
                engine.choose(pick.id)
            mix[i.id] = ([s.choice.id for s in engine.history], earned)
    return mix


MIX = _mix()


def click(folder: Path, answers: dict, student: str) -> None:
    """Answer like a trainee: open each widget in the assignment folder and click. The trainee's identity
    (the OS or JupyterHub user on a real machine) decides the order they see and is saved with the answers."""
    os.environ["PEERSUPPORT_TRAINEE"] = student
    os.chdir(folder)
    forget_memory()
    items = load_items(folder)
    for item_id, value in answers.items():
        if value is None:
            continue
        item = items.get(item_id)
        store = AnswerStore(folder)
        if item.kind == "scenario":
            view = DecisionView(item.arranged(store.who), store)
            for choice_id in value:  # click the button showing that reply, wherever this trainee sees it
                view.buttons.children[[c.id for c in view.engine.choices].index(choice_id)].click()
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


def typed_form(item, value, who: str) -> str:
    """What trainee `who` types for this answer: the letters as they see them."""
    item = item.arranged(who)
    if item.kind == "single":
        return item.letter(value)
    if item.kind == "multiple":
        return ", ".join(item.letter(o) for o in item.options if o in value)
    if item.kind == "classify":
        return ", ".join(value[s] for s in item.statements)
    engine, letters = Engine(load_library().scenario(item.scenario).arranged(who)), []
    for cid in value:
        letters.append(chr(65 + [c.id for c in engine.choices].index(cid)))
        engine.choose(cid)
    return ", ".join(letters)


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
    trainees = {"ref-clicker": "click-reference", "blank": "blank", "mixed": "click-mix", "mixed-typist": "type-mix"}
    homes = {}
    try:
        for student, how in trainees.items():
            home = scratch / "homes" / student
            folder = course.fetch(student, home, A)
            homes[student] = folder
            if how == "click-reference":
                click(folder, REFERENCE, student)
                write_answers(folder, {w.id: w.model_answer for w in SPEC.written})
            elif how == "click-mix":
                click(folder, {k: v for k, (v, _) in MIX.items()}, student)
            elif how == "type-reference":
                type_answers(folder / f"{A}.ipynb", {i.id: reference_typed(i, student) for i in SPEC.items})
            elif how == "type-mix":
                type_answers(folder / f"{A}.ipynb",
                             {k: typed_form(items.get(k), v, student) if v is not None else "" for k, (v, _) in MIX.items()})
            course.submit(student, home, A)
    finally:
        os.environ.pop("PEERSUPPORT_TRAINEE", None)
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
    assert _total(course, "ref-clicker") == AUTO_POINTS + WRITTEN_POINTS


def test_known_mix_scores_exactly_the_expected_points(graded):
    course, _, _ = graded
    scores = _item_scores(course, "mixed")
    assert scores == pytest.approx({k: pts for k, (_, pts) in MIX.items()})
    assert _total(course, "mixed") == pytest.approx(sum(pts for _, pts in MIX.values()))


def test_typed_answers_score_the_same_as_clicked_ones(graded):
    """Typed reference answers score full marks in test_every_exercise (every exercise, blank ones zero);
    here the same known mix, once clicked and once typed."""
    course, _, _ = graded
    assert _item_scores(course, "mixed-typist") == _item_scores(course, "mixed")


def test_clicked_answers_persist_and_travel_with_the_submission(graded):
    course, homes, _ = graded
    saved = json.loads((homes["mixed"] / ANSWER_FILE).read_text())["answers"]
    multiple = next(i.id for i in SPEC.items if i.kind == "multiple" and MIX[i.id][0])
    blank = next(k for k, (v, _) in MIX.items() if v is None)
    assert saved[multiple] == MIX[multiple][0] and blank not in saved
    autograded = course.root / "course" / "autograded" / "mixed" / A / ANSWER_FILE
    assert json.loads(autograded.read_text())["answers"] == saved
    # the re-run notebook shows the trainee's choice again
    nb = nbformat.read(autograded.parent / f"{A}.ipynb", as_version=4)
    shown = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    single = next(k for k, (v, _) in MIX.items() if isinstance(v, str))
    text = "".join(o.get("data", {}).get("text/plain", "") for o in shown[f"{single}-choose"].outputs)
    letter = load_items(autograded.parent).get(single).arranged("mixed").letter(MIX[single][0])
    assert f"your saved answer is {letter}." in text and "The options as you saw them:" in text


def test_feedback_says_the_better_answer_and_never_shows_hidden_tests(graded):
    course, _, _ = graded
    raw = (course.root / "course" / "feedback" / "mixed" / A / f"{A}.html").read_text()
    html = unescape(raw)
    # feedback names the options with the letters this trainee saw, and the better answer and why
    released = load_items(course.root / "course" / "release" / A)
    single = next(i for i in SPEC.items if i.kind == "single" and MIX[i.id][0] not in (None, i.key))
    shown = released.get(single.id).arranged("mixed")
    picked = MIX[single.id][0]
    assert f"You chose {shown.letter(picked)}. {shown.options[picked]}" in html
    assert f"The best answer is {shown.letter(single.key)}. {shown.options[single.key]}" in html
    assert single.why.split(".")[0] in html
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
    multiple = next(i for i in SPEC.items if i.kind == "multiple" and MIX[i.id][0])
    assert mixed[multiple.id]["competency"] == multiple.competency
    assert float(mixed[multiple.id]["score"]) == pytest.approx(MIX[multiple.id][1])
    # an untouched written answer scores 0 without manual grading; the reference one was graded by hand
    assert mixed["al-w1"]["kind"] == "written" and float(mixed["al-w1"]["score"]) == 0
    ref = {r["item"]: r for r in data if r["student"] == "ref-clicker"}
    assert float(ref["al-w2"]["score"]) == 3 and ref["al-w2"]["competency"] == "summarizing"
