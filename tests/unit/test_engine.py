"""The engine: paths, scoring, restart, progress and JSON save/restore."""

import json
from pathlib import Path

import pytest

from peersupport.scenarios import Engine, ProgressError, load_library, load_scenario_file

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scenario():
    return load_library(REPO / "scenarios").scenario("active-listening/first-visit")


def all_paths(s, ref=None, seen=()):
    """Every choice sequence from the start to an ending (each node at most once per path)."""
    ref = ref or s.start
    if ref in s.endings:
        yield []
        return
    for c in s.nodes[ref].choices:
        if (ref, c.id) in seen:
            continue
        for rest in all_paths(s, c.next, (*seen, (ref, c.id))):
            yield [c.id, *rest]


def test_start_state(scenario):
    e = Engine(scenario)
    assert e.current_id == "opening" and not e.finished and e.history == []
    assert [c.id for c in e.choices] == ["a", "b", "c"]
    assert e.progress() == (0, 3)


def test_best_path_scores_full_marks(scenario):
    e = Engine(scenario)
    for cid in ["a", "a", "a"]:
        e.choose(cid)
    assert e.finished and e.current_id == "end-connected"
    s = e.score()
    assert (s.points, s.max_points, s.percent) == (6, 6, 100.0)
    assert s.by_quality == {"helpful": 3, "partly": 0, "unhelpful": 0, "harmful": 0}
    assert e.choices == [] and e.progress() == (3, 3)
    with pytest.raises(RuntimeError, match="restart"):
        e.choose("a")


def test_harmful_path(scenario):
    e = Engine(scenario)
    e.choose("b")  # harmful: a labelling closed question
    assert e.current_id == "guarded"
    e.choose(1)  # harmful again, by position
    assert e.current_id == "end-leaves" and e.ending.outcome == "difficult"
    assert e.score().points == 0 and e.score().max_points == 4


def test_every_path_of_every_scenario_reaches_an_ending():
    lib = load_library(REPO / "scenarios")
    assert lib.scenarios, "the repository should have scenarios"
    for ref, s in lib.scenarios.items():
        paths = list(all_paths(s))
        assert paths, ref
        for path in paths:
            e = Engine(s)
            for cid in path:
                e.choose(cid)
            assert e.finished, (ref, path)
            assert 0 <= e.score().points <= e.score().max_points


def test_restart(scenario):
    e = Engine(scenario)
    e.choose("a")
    e.restart()
    assert e.current_id == "opening" and e.history == [] and e.score().max_points == 0


def test_bad_choices(scenario):
    e = Engine(scenario)
    with pytest.raises(KeyError, match="No choice 'z' at node 'opening'"):
        e.choose("z")
    with pytest.raises(IndexError, match="pick 0 to 2"):
        e.choose(7)


def test_save_and_restore(scenario):
    e = Engine(scenario)
    e.choose("a")
    e.choose("b")
    text = e.to_json()
    assert json.loads(text) == {"version": 1, "scenario": "first-visit", "history": [["opening", "a"], ["son", "b"]]}
    back = Engine.from_json(scenario, text)
    assert back.current_id == e.current_id == "opens-up"
    assert back.score() == e.score()
    assert [s.choice.id for s in back.history] == ["a", "b"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"version": 1, "scenario": "other", "history": []}', "not for the scenario 'first-visit'"),
        ('{"version": 9, "scenario": "first-visit", "history": []}', "version 9"),
        ('{"version": 1, "scenario": "first-visit", "history": [["son", "a"]]}', "was at 'son'"),
        ('{"version": 1, "scenario": "first-visit", "history": [["opening", "q"]]}', "cannot be replayed"),
        ('{"version": 1, "scenario": "first-visit", "history": [1]}', "not a \\[node, choice\\] pair"),
        ("{not json", "not valid JSON"),
    ],
)
def test_restore_rejects_progress_that_does_not_fit(scenario, data, message):
    with pytest.raises(ProgressError, match=message):
        Engine.from_json(scenario, data)


def test_transcript_is_plain_text(scenario):
    e = Engine(scenario)
    assert "Marisol: My son said I should come." in e.transcript()
    assert "  A. Thanks for coming in." in e.transcript()
    for cid in ["a", "a", "a"]:
        e.choose(cid)
    t = e.transcript()
    assert "Feedback [helpful]:" in t and "Key point: Listening first earns the chance to help later." in t


def test_engine_does_not_import_widgets():
    import subprocess
    import sys

    code = "import sys, peersupport.scenarios.engine; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_cycles_with_an_exit_are_allowed(tmp_path):
    text = (REPO / "tests/fixtures/scenarios/valid-minimal.yaml").read_text()
    text = text.replace("id: valid-minimal", "id: loop-ok").replace(
        "        competency: open-questions\n        next: end-good\n      - id: a",
        "        competency: open-questions\n        next: opening\n      - id: a",
    )
    path = tmp_path / "loop-ok.yaml"
    path.write_text(text)
    s, errors = load_scenario_file(path, None)
    assert errors == []
    e = Engine(s)
    e.choose("b")
    e.choose("b")
    assert e.current_id == "opening" and e.progress() == (2, 3)
    e.choose("a")
    assert e.finished
