"""Loader and integrity checks: every broken fixture gives exactly the error an author needs."""

from pathlib import Path

import pytest

from peersupport.scenarios import load_scenario_file
from peersupport.scenarios.loader import load_vocabulary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
REPO = Path(__file__).resolve().parents[2]

EXPECTED = {
    'bad-id': [
        "scenarios/bad-id.yaml:1: 'id' at the top level is 'Bad_ID', which is not a valid id. Fix: Use lowercase letters, digits and single hyphens only, for example 'first-visit'.",
    ],
    'bad-quality': [
        "scenarios/bad-quality.yaml:24: 'quality' in choice 2 of node 'opening': Input should be 'helpful', 'partly', 'unhelpful' or 'harmful'. Fix: How well the reply helps: one of helpful, partly, unhelpful, harmful.",
    ],
    'bad-yaml-syntax': [
        'scenarios/bad-yaml-syntax.yaml:14: The YAML cannot be read: mapping values are not allowed in this context. Fix: Check the indentation (spaces, not tabs) and put quotes around text that contains a colon followed by a space, or starts with a special character such as *, &, !, [ or {.',
    ],
    'dangling-next': [
        "scenarios/dangling-next.yaml:21: Choice 'a' in node 'opening' goes to 'end-gud', which is neither a node nor an ending. Fix: Point 'next' at one of: end-good, opening; or add a node or ending called 'end-gud'.",
    ],
    'duplicate-choice-id': [
        "scenarios/duplicate-choice-id.yaml:22: Choice id 'a' is used twice in node 'opening'. Fix: Give each choice in a node its own id, such as a, b, c.",
    ],
    'duplicate-node': [
        "scenarios/duplicate-node.yaml:28: The key 'opening' appears twice in the same block; the second one would silently replace the first. Fix: Give each node, ending or field a unique name.",
    ],
    'empty-file': [
        "scenarios/empty-file.yaml:1: The file does not hold a mapping of fields (it is empty or a plain list or value). Fix: Start the file with the fields of a Scenario, such as 'id: ...'.",
    ],
    'id-mismatch': [
        "scenarios/id-mismatch.yaml:1: The id 'another-name' does not match the file name 'id-mismatch.yaml'. Fix: Set 'id: id-mismatch' or rename the file to 'another-name.yaml' (ids never change once released).",
    ],
    'loop-without-exit': [
        "scenarios/loop-without-exit.yaml:38: Ending 'end-good' cannot be reached from the start. Fix: Point some choice's 'next' at it, or delete it.",
        "scenarios/loop-without-exit.yaml:28: From node 'loop' no path leads to an ending: the conversation would loop forever. Fix: Give at least one choice in this loop a 'next' that leads to an ending.",
        "scenarios/loop-without-exit.yaml:13: From node 'opening' no path leads to an ending: the conversation would loop forever. Fix: Give at least one choice in this loop a 'next' that leads to an ending.",
    ],
    'missing-feedback': [
        "scenarios/missing-feedback.yaml:22: 'feedback' is missing in choice 2 of node 'opening'. Fix: Add 'feedback:'. One to three sentences that explain why this reply helps or does not.",
    ],
    'misspelled-field': [
        "scenarios/misspelled-field.yaml:22: 'quality' is missing in choice 2 of node 'opening'. Fix: Add 'quality:'. How well the reply helps: one of helpful, partly, unhelpful, harmful.",
        "scenarios/misspelled-field.yaml:24: Unknown field 'qualty' in choice 2 of node 'opening'. Fix: Did you mean 'quality'? Remove it or correct its name. Allowed fields here: competency, feedback, id, next, quality, safe_action, text.",
    ],
    'no-helpful-choice': [
        "scenarios/no-helpful-choice.yaml:15: Node 'opening' has no helpful choice. Fix: Mark the best reply 'quality: helpful' so every step has a model answer.",
    ],
    'node-and-ending-same-id': [
        "scenarios/node-and-ending-same-id.yaml:29: 'opening' is used both as a node id and as an ending id. Fix: Give the ending a different id, such as 'end-opening'.",
    ],
    'not-utf8': [
        'scenarios/not-utf8.yaml: The file is not UTF-8 text (invalid continuation byte). Fix: Save the file as UTF-8.',
    ],
    'risk-without-safe-action': [
        "scenarios/risk-without-safe-action.yaml:15: After the risk disclosure at node 'opening', the path opening -> end-good ends without a safe action. Fix: Mark the replies that ask directly, stay with the person, connect to 988 or emergency help, or involve a supervisor with 'safe_action: true', and send other replies to a node that gives the trainee another chance.",
    ],
    'start-not-a-node': [
        "scenarios/start-not-a-node.yaml:11: 'start' names 'beginning', which is not a node. Fix: Set 'start' to one of the nodes: opening.",
    ],
    'too-many-sentences': [
        "scenarios/too-many-sentences.yaml:19: 'feedback' in choice 1 of node 'opening': feedback has 4 sentence(s); write 1 to 3. Fix: One to three sentences that explain why this reply helps or does not.",
    ],
    'unknown-competency': [
        "scenarios/unknown-competency.yaml:20: Unknown competency 'mind-reading' in choice 'a' of node 'opening'. Fix: Use an id from scenarios/vocabulary.yaml, or add it there first.",
    ],
    'unreachable-node': [
        "scenarios/unreachable-node.yaml:28: Node 'side-room' cannot be reached from the start. Fix: Point some choice's 'next' at it, or delete it.",
    ],
}


@pytest.fixture(scope="module")
def vocab():
    errors = []
    v = load_vocabulary(REPO / "scenarios", errors)
    assert errors == []
    return v


def test_every_fixture_has_an_expectation():
    names = {p.stem for p in FIXTURES.glob("*.yaml")} - {"valid-minimal"}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_gives_exact_errors(name, vocab):
    scenario, errors = load_scenario_file(FIXTURES / f"{name}.yaml", vocab, FIXTURES)
    assert scenario is None
    assert [str(e) for e in errors] == EXPECTED[name]
    for e in errors:  # every error names the file, the problem and a fix
        assert e.file == f"scenarios/{name}.yaml" and e.problem and e.fix


def test_valid_fixture_loads(vocab):
    scenario, errors = load_scenario_file(FIXTURES / "valid-minimal.yaml", vocab, FIXTURES)
    assert errors == []
    assert scenario.persona.name == "Ana"
    assert [c.id for c in scenario.nodes["opening"].choices] == ["b", "a", "c"]
