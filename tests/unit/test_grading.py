"""Fast checks of the grading pieces: persistence, typed answers, scoring, feedback, rubrics, content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from peersupport.grading import answer, check
from peersupport.grading.answers import ANSWER_FILE, AnswerStore, forget_memory, is_source_folder
from peersupport.grading.authoring import build_notebook, load_spec
from peersupport.grading.feedback import scrub_cell
from peersupport.grading.items import BadAnswer, load_items, parse_typed
from peersupport.grading.marking import mark_classify, mark_multiple, mark_scenario, mark_single
from peersupport.grading.rubrics import RubricItem, load_rubric
from peersupport.grading.trainee import NotAnsweredYet
from peersupport.scenarios import load_library

REPO = Path(__file__).resolve().parents[2]
A = "active-listening"
SPEC = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
ALL = sorted(p.stem for p in (REPO / "autograder" / "items").glob("*.yaml"))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A trainee's assignment folder holding the released items.yaml."""
    shutil.copy(REPO / "exercises" / A / "items.yaml", tmp_path / "items.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    forget_memory()
    yield tmp_path
    forget_memory()


def test_answers_persist_to_the_folder_and_reload(folder):
    AnswerStore().set("al-q1", "b")
    assert json.loads((folder / ANSWER_FILE).read_text())["answers"] == {"al-q1": "b"}
    assert AnswerStore().get("al-q1") == "b"


def test_corrupt_file_is_set_aside_and_never_crashes(folder):
    (folder / ANSWER_FILE).write_text("{not json")
    store = AnswerStore()
    assert store.get("al-q1") is None and "not valid JSON" in store.problem
    assert mark_single("al-q1", key="b", points=1, why="x").points == 0
    store.set("al-q2", "b")
    assert (folder / (ANSWER_FILE + ".unreadable")).read_text() == "{not json"
    assert AnswerStore().get("al-q2") == "b"


def test_one_items_bad_data_never_zeros_the_others(folder):
    (folder / ANSWER_FILE).write_text(json.dumps({"version": 1, "answers": {
        "al-q1": ["not", "a", "letter"], "al-q2": "b", "al-m1": "zzz", "al-s1": {"history": "oops"}}}))
    assert mark_single("al-q1", key="b", points=1, why="x").points == 0
    assert mark_single("al-q2", key="b", points=1, why="x").points == 1
    assert mark_multiple("al-m1", key=["a"], points=2, why="x").points == 0
    assert mark_scenario("al-s1", decisions={"opening": {"a": 1.0}}, points=3).points == 0
    with pytest.raises(NotAnsweredYet):
        check("al-q1")


def test_missing_file_scores_zero_and_check_says_what_to_do(folder):
    result = mark_single("al-q1", key="b", points=1, why="Because.")
    assert result.points == 0 and repr(result) == "0"
    with pytest.raises(NotAnsweredYet, match="Click an answer above"):
        check("al-q1")


def test_source_folder_keeps_answers_in_memory(tmp_path):
    src = tmp_path / "exercises" / A
    src.mkdir(parents=True)
    (tmp_path / "autograder").mkdir()
    (tmp_path / "autograder" / "nbgrader_config.py").write_text("")
    assert is_source_folder(src)
    store = AnswerStore(src)
    store.set("al-q1", "b")
    assert not (src / ANSWER_FILE).exists() and AnswerStore(src).get("al-q1") == "b"
    forget_memory()


def test_typed_answers_use_the_same_shape_as_clicks(folder):
    items = load_items()
    assert parse_typed(items.get("al-q1"), " b ") == "b"
    assert parse_typed(items.get("al-m1"), "A, C") == parse_typed(items.get("al-m1"), "ca") == ["a", "c"]
    assert parse_typed(items.get("al-c1"), "open, closed, Open, closed") == {"s1": "open", "s2": "closed", "s3": "open", "s4": "closed"}
    with pytest.raises(BadAnswer):
        parse_typed(items.get("al-q1"), "Z")
    assert "could not save" in repr(answer("al-q1", "Z"))
    assert "stands" in repr(answer("al-q1", ""))
    shown = items.get("al-q1").arranged(AnswerStore().who)  # the letters this trainee sees
    answer("al-q1", shown.letter("b"))
    assert "Marisol: My son said I should come" in repr(answer("al-s1", ""))
    from peersupport.grading.authoring import load_spec, reference_ids, reference_typed

    spec = {i.id: i for i in load_spec(REPO / "autograder/items/active-listening.yaml").items}
    path = reference_ids(spec["al-s1"])
    letters = reference_typed(spec["al-s1"], AnswerStore().who)
    assert "conversation has ended" in repr(answer("al-s1", letters))
    saved = AnswerStore().all()
    assert saved["al-q1"] == "b" and [c for _, c in saved["al-s1"]["history"]] == path
    answer("al-s1", ids=path)  # the instructor's reference form: by id, the same for every trainee
    assert [c for _, c in AnswerStore().all()["al-s1"]["history"]] == path


def test_multiple_select_partial_credit_is_fair(folder):
    def score(ticked):
        AnswerStore().set("al-m1", ticked)
        return mark_multiple("al-m1", key=["a", "c", "d", "e"], points=2, why="x").points

    assert score(["a", "c", "d", "e"]) == 2
    assert score(["a", "c"]) == 1
    assert score(["a", "b"]) == 0  # 1/4 right - 1/2 wrong floors at 0
    assert score(["a", "b", "c", "d", "e", "f"]) == 0  # ticking everything earns nothing
    assert score(["a", "c", "d", "e", "f"]) == 1


def test_classify_and_feedback_text(folder):
    AnswerStore().set("al-c1", {"s1": "open", "s2": "open"})
    result = mark_classify("al-c1", key={"s1": "open", "s2": "closed", "s3": "open", "s4": "closed"}, points=2,
                           why={"s2": "It asks for a yes or no."})
    assert result.points == 0.5
    html = result._repr_html_()
    assert "this one is Closed question. It asks for a yes or no." in html and "0.5 of 2" in html


def test_feedback_scrub_removes_hidden_tests_and_tracebacks():
    cell = nbformat.v4.new_code_cell('check("x")\n### BEGIN HIDDEN TESTS\nmark_single("x", key="b")\n### END HIDDEN TESTS')
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="key b",
                                           traceback=['mark_single("x", key="b")', "AssertionError"]),
                    nbformat.v4.new_output("stream", name="stderr", text="key=b")]
    scrub_cell(cell)
    assert cell.source == 'check("x")'
    assert cell.outputs[0].traceback == ["AssertionError: key b"] and len(cell.outputs) == 1


def test_every_spec_has_a_built_exercise():
    assert A in ALL
    assert ALL == sorted(p.name for p in (REPO / "exercises").iterdir() if p.is_dir())


@pytest.mark.parametrize("assignment", ALL)
def test_exercise_has_tagged_items_and_matches_its_spec(assignment):
    vocab = load_library().vocabulary
    spec = load_spec(REPO / "autograder" / "items" / f"{assignment}.yaml")
    nb = nbformat.read(REPO / "exercises" / assignment / f"{spec.notebook}.ipynb", as_version=4)
    grade_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    auto = [c for c in grade_cells if c.cell_type == "code"]
    written = [c for c in grade_cells if c.cell_type == "markdown" and c.metadata["nbgrader"]["solution"]]
    assert len(auto) >= 8 and len(written) >= (2 if assignment == A else 1)
    for c in grade_cells:
        assert c.metadata["peersupport"]["competency"] in vocab.competency_ids
    for c in nb.cells:  # committed with outputs stripped, nbgrader metadata intact
        assert "nbgrader" in c.metadata and not c.get("outputs")
        if c.cell_type == "code" and not c.metadata["nbgrader"]["grade"]:
            visible = c.source.split("### BEGIN SOLUTION")[0].strip()
            assert "\n" not in visible  # trainee-facing code cells are one short line
    names = {cid: vocab.name_of(cid) for cid in vocab.competency_ids}
    assert build_notebook(spec, names) == nb, f"rebuild with: python -m peersupport.grading.authoring autograder/items/{assignment}.yaml"


@pytest.mark.parametrize("assignment", ALL)
def test_rubric_matches_the_written_items(assignment):
    spec = load_spec(REPO / "autograder" / "items" / f"{assignment}.yaml")
    rubric = load_rubric(REPO / "autograder" / "rubrics" / f"{assignment}.yaml")
    assert {(r.item, r.points, r.competency) for r in rubric.items} == {(w.id, w.points, w.competency) for w in spec.written}


def test_rubric_rejects_points_that_do_not_add_up():
    with pytest.raises(ValueError, match="add up"):
        RubricItem.model_validate({"item": "x", "competency": "summarizing", "points": 3,
                                   "criteria": [{"id": "a", "points": 1, "description": "Something worth a point."}],
                                   "examples": [{"level": "full", "points": 3, "text": "Full one.", "why": "Meets everything."},
                                                {"level": "partial", "points": 1, "text": "Partial.", "why": "Misses a part."}]})


def test_grading_code_does_not_import_widgets():
    """A grading kernel shows plain summaries, so it never pays for importing ipywidgets."""
    import subprocess
    import sys

    code = ("import sys, peersupport.grading, peersupport.grading.marking, peersupport.grading.decisions, "
            "peersupport.grading.summary; print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
