"""The item-writing standard: each rule fails with a named error on content that breaks it."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from peersupport.grading.rubrics import Rubric
from peersupport.scenarios import load_library
from peersupport.scenarios.standards import check_standards

REPO = Path(__file__).resolve().parents[2]
MINIMAL = yaml.safe_load((REPO / "tests/fixtures/scenarios/valid-minimal.yaml").read_text())


def library(tmp_path: Path, scenarios: dict[str, dict], knowledge: dict | None = None):
    root = tmp_path / "scenarios"
    (root / "demo").mkdir(parents=True)
    shutil.copy(REPO / "scenarios/vocabulary.yaml", root)
    for sid, data in scenarios.items():
        data = {**data, "id": sid}
        (root / "demo" / f"{sid}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    if knowledge:
        (root / "knowledge-checks").mkdir()
        (root / "knowledge-checks" / "demo.yaml").write_text(yaml.safe_dump(knowledge, sort_keys=False))
    lib = load_library(root)
    assert lib.errors == [], lib.errors
    return lib


def scenario(**changes) -> dict:
    data = copy.deepcopy(MINIMAL)
    choices = data["nodes"]["opening"]["choices"]
    for cid, fields in changes.items():
        for c in choices:
            if c["id"] == cid:
                c.update(fields)
    return data


def messages(lib, root=None) -> str:
    return "\n".join(str(e) for e in check_standards(lib, root))


def test_the_minimal_fixture_meets_the_standard(tmp_path):
    assert messages(library(tmp_path, {"valid-minimal": scenario()})) == ""


def test_two_replies_at_a_node(tmp_path):
    data = scenario()
    data["nodes"]["opening"]["choices"].pop()  # drop the unhelpful reply (and its ending)
    del data["endings"]["end-unheard"]
    out = messages(library(tmp_path, {"two-replies": data}))
    assert "scenarios/demo/two-replies.yaml:" in out and "offers 2 option(s); the standard asks for at least 3" in out


def test_no_near_miss(tmp_path):
    out = messages(library(tmp_path, {"no-near-miss": scenario(b={"quality": "unhelpful", "next": "end-unheard"})}))
    assert "only 0 of 1 offer a near miss ('partly' reply)" in out and "Fix: Add a 'partly' reply" in out


def test_key_is_the_longest(tmp_path):
    long_key = scenario(a={"text": "I'm really glad you called tonight. What's on your mind, and where would you like to start?"})
    out = messages(library(tmp_path, {"key-longest": long_key}))
    assert "the key is the longest option in 1 of 1" in out and "Make the options about equal in length" in out


def test_key_always_first_in_the_file(tmp_path):
    first = scenario()
    choices = first["nodes"]["opening"]["choices"]
    choices.insert(0, choices.pop(1))  # the helpful reply first
    out = messages(library(tmp_path, {f"key-first-{i}": first for i in range(5)}))
    assert "the key is in position 1 in 5 of 5" in out and "the file order must carry no signal" in out


def test_unrepaired_harm_reaches_a_good_ending(tmp_path):
    data = scenario(c={"next": "end-good"})
    del data["endings"]["end-unheard"]
    out = messages(library(tmp_path, {"unrepaired": data}))
    assert "The path opening:c[unhelpful] -> end-good reaches a good ending" in out
    assert "scenarios/demo/unrepaired.yaml:" in out and "repair: true" in out


def test_a_repair_node_clears_the_harm(tmp_path):
    data = scenario(c={"next": "repair"})
    data["nodes"]["repair"] = {
        "says": "That felt like you weren't listening.", "repair": True,
        "choices": [
            {"id": "a", "text": "You're right, I jumped ahead. What's up?", "quality": "helpful",
             "feedback": "Naming the miss repairs it.", "competency": "open-questions", "next": "end-good"},
            {"id": "b", "text": "Sorry. Are you okay though, really, tonight?", "quality": "partly",
             "feedback": "A kind but closed question.", "competency": "open-questions", "next": "end-unheard"},
            {"id": "c", "text": "I was only trying to help you out here.", "quality": "unhelpful",
             "feedback": "Defending yourself keeps the rupture open.", "competency": "open-questions", "next": "end-unheard"},
        ]}
    assert messages(library(tmp_path, {"repaired": data})) == ""


def test_knowledge_check_single_question_rules(tmp_path):
    kc = {"id": "demo", "title": "Demo check", "questions": [{
        "id": "three-options", "prompt": "Which is an open question?", "competency": "open-questions",
        "options": [{"text": "What brings you in?", "correct": True, "feedback": "Open."},
                    {"text": "Are you okay?", "feedback": "Closed."},
                    {"text": "Did you sleep?", "feedback": "Closed."}]}]}
    out = messages(library(tmp_path, {"valid-minimal": scenario()}, kc))
    assert "scenarios/knowledge-checks/demo.yaml:" in out
    assert "question 'three-options' offers 3 option(s); the standard asks for at least 4" in out
    assert "question 'three-options' has no plausible near miss" in out


def test_exercise_and_rubric_rules(tmp_path):
    lib = library(tmp_path, {"valid-minimal": scenario()})
    root = tmp_path
    (root / "autograder/items").mkdir(parents=True)
    (root / "autograder/rubrics").mkdir(parents=True)
    spec = yaml.safe_load((REPO / "autograder/items/active-listening.yaml").read_text())
    item = next(i for i in spec["items"] if i["kind"] == "single")
    item["options"] = dict(list(item["options"].items())[:3])
    item["key"] = next(iter(item["options"]))
    item.pop("partial", None), item.pop("near_miss", None), item.pop("notes", None)
    spec["items"] = [item]
    (root / "autograder/items/demo.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    rubric = yaml.safe_load((REPO / "autograder/rubrics/active-listening.yaml").read_text())
    for ex in rubric["items"][0]["examples"]:
        ex.pop("meets", None)
    (root / "autograder/rubrics/demo.yaml").write_text(yaml.safe_dump(rubric, sort_keys=False))
    out = messages(lib, root)
    assert f"item '{item['id']}' offers 3 option(s); the standard asks for at least 4" in out
    assert f"item '{item['id']}' has no plausible near miss" in out
    assert "autograder/rubrics/demo.yaml:" in out and "does not list the criteria it meets" in out


def test_rubric_example_points_must_equal_the_criteria_it_meets():
    data = yaml.safe_load((REPO / "autograder/rubrics/active-listening.yaml").read_text())
    item = data["items"][0]
    example = next(e for e in item["examples"] if e["level"] == "partial")
    example["meets"] = [item["criteria"][0]["id"]]
    example["points"] = item["criteria"][0]["points"] + 1
    with pytest.raises(ValueError, match="worth .* but is scored"):
        Rubric.model_validate(data)
