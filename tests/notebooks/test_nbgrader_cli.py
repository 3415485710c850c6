"""nbgrader's real CLI, run from autograder/ exactly as the README's instructor section says,
in a scratch copy of the repository with a scratch exchange."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.roundtrip import Course
from peersupport.grading.answers import ANSWER_FILE, AnswerStore
from peersupport.grading.authoring import load_spec
from peersupport.instructor.course import repo_assignments as assignments

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
EXERCISES = assignments(REPO)


def nbgrader(course: Course, *args: str) -> str:
    env = dict(os.environ, PEERSUPPORT_EXCHANGE=str(course.exchange), PYTHONUNBUFFERED="1",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    # one stream, unbuffered, so log lines and results stay in order
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], check=False, cwd=course.root / "autograder",
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert run.returncode == 0, run.stdout
    return run.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    c = Course.copy_of(REPO, tmp_path_factory.mktemp("cli"))
    for a in EXERCISES:
        nbgrader(c, "generate_assignment", a)
    return c


def _by_notebook(output: str) -> dict[str, str]:
    """Split one `nbgrader validate a.ipynb b.ipynb ...` run into each notebook's part of the output."""
    parts: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if "Validating '" in line:
            current = Path(line.split("Validating '", 1)[1].rstrip("'")).resolve()
            parts[str(current)] = ""
        elif current is not None:
            parts[str(current)] += line + "\n"
    return parts


@pytest.fixture(scope="module")
def validated(course):
    """One validate run over every source notebook and one over every released one (start-up is ~3 s a run)."""
    sources = sorted(str(nb.resolve()) for a in EXERCISES for nb in (course.root / "exercises" / a).glob("*.ipynb"))
    released = sorted(str(nb.resolve()) for a in EXERCISES for nb in (course.root / "course" / "release" / a).glob("*.ipynb"))
    return _by_notebook(nbgrader(course, "validate", *sources)), _by_notebook(nbgrader(course, "validate", *released))


def test_every_exercise_generates(course):
    assert EXERCISES, "no exercises found"
    for a in EXERCISES:
        released = list((course.root / "course" / "release" / a).glob("*.ipynb"))
        assert released, a


@pytest.mark.parametrize("assignment", EXERCISES)
def test_validate_passes_on_source_and_fails_on_release(course, validated, assignment):
    on_source, on_release = validated
    for nb in (course.root / "exercises" / assignment).glob("*.ipynb"):
        out = on_source[str(nb.resolve())]
        assert "Success! Your notebook passes all the tests." in out and "FAILED" not in out
        released = course.root / "course" / "release" / assignment / nb.name
        assert "VALIDATION FAILED" in on_release[str(released.resolve())]
    # validating the source never leaves an answer file (with the key) in the source folder
    assert not (course.root / "exercises" / assignment / ANSWER_FILE).exists()


@pytest.mark.parametrize("assignment", EXERCISES)
def test_released_folder_holds_no_answer_key(course, assignment):
    spec = load_spec(REPO / "autograder" / "items" / f"{assignment}.yaml")
    release = course.root / "course" / "release" / assignment
    assert sorted(p.name for p in release.iterdir()) == sorted([f"{spec.notebook}.ipynb", "items.yaml"])
    text = "\n".join(p.read_text(encoding="utf-8") for p in release.iterdir())
    for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "mark_single", "decisions=", "key="):
        assert marker not in text
    for item in spec.items:
        for piece in ([item.why] if isinstance(item.why, str) else list((item.why or {}).values())):
            assert piece[:60] not in text, item.id
    for w in spec.written:
        assert w.model_answer[:60] not in text
    released_items = yaml.safe_load((release / "items.yaml").read_text())["items"]
    assert all(set(i) <= {"id", "kind", "competency", "title", "prompt", "quote", "options", "statements",
                          "categories", "scenario"} for i in released_items)


def test_readme_round_trip_with_the_cli(course, tmp_path):
    """release -> fetch -> answer -> submit -> collect -> autograde -> generate_feedback -> release_feedback."""
    a = "active-listening"
    nbgrader(course, "release_assignment", a)
    folder = course.fetch("casey", tmp_path / "casey", a)
    spec = {i.id: i for i in load_spec(REPO / "autograder" / "items" / f"{a}.yaml").items}
    store = AnswerStore(folder, persist=True)
    store.set("al-q1", spec["al-q1"].key)  # the key, by id (the trainee saw it under a letter of their own)
    store.set("al-m2", sorted(spec["al-m2"].key))
    expected = spec["al-q1"].points + spec["al-m2"].points
    course.submit("casey", tmp_path / "casey", a)
    nbgrader(course, "collect", a)
    nbgrader(course, "autograde", a)
    nbgrader(course, "generate_feedback", a)
    nbgrader(course, "release_feedback", a)
    with __import__("nbgrader.api", fromlist=["Gradebook"]).Gradebook(course.db_url, "peer-support") as gb:
        assert gb.find_submission(a, "casey").score == expected
    feedback = list((course.root / "course" / "feedback" / "casey" / a).glob("*.html"))
    assert feedback and "well done, that is the best answer" in feedback[0].read_text()
    assert list(course.exchange.rglob("feedback/*.html"))
    saved = json.loads((course.root / "course" / "autograded" / "casey" / a / ANSWER_FILE).read_text())
    assert saved["answers"]["al-q1"] == spec["al-q1"].key
