"""Safety of crisis content, checked by walking every path with the engine (independently of the
loader's own risk check): once a person discloses risk, no path ends without a safe action."""

from pathlib import Path

import pytest

from peersupport.scenarios import Engine, load_library

REPO = Path(__file__).resolve().parents[2]
LIB = load_library(REPO / "scenarios")
RISKY = sorted(ref for ref, s in LIB.scenarios.items() if any(n.risk for n in s.nodes.values()))


def simple_paths(s, ref=None, seen=frozenset()):
    ref = ref or s.start
    if ref in s.endings:
        yield []
        return
    for c in s.nodes[ref].choices:
        if c.next in seen:
            continue
        for rest in simple_paths(s, c.next, seen | {ref}):
            yield [c.id, *rest]


def test_crisis_and_scope_modules_have_risk_scenarios():
    modules = {ref.split("/")[0] for ref in RISKY}
    assert {"crisis-support", "scope-of-care"} <= modules


@pytest.mark.parametrize("ref", RISKY)
def test_every_path_after_a_disclosure_takes_a_safe_action(ref):
    s = LIB.scenarios[ref]
    n = 0
    for path in simple_paths(s):
        e = Engine(s)
        disclosed = safe = False
        for cid in path:
            node = s.nodes[e.current_id]
            disclosed = disclosed or node.risk
            step = e.choose(cid)
            safe = safe or (disclosed and step.choice.safe_action)
        assert e.finished
        assert safe or not disclosed, f"{ref}: path {path} ends at '{e.current_id}' after a disclosure without a safe action"
        n += 1
    assert n > 0


@pytest.mark.parametrize("ref", RISKY)
def test_risk_scenarios_name_the_way_to_help(ref):
    s = LIB.scenarios[ref]
    text = " ".join(
        [c.text + " " + c.feedback for n in s.nodes.values() for c in n.choices]
        + [e.debrief.try_next + " " + e.debrief.key_point + " " + e.debrief.went_well for e in s.endings.values()]
    )
    assert any(k in text for k in ("988", "911", "supervisor", "emergency")), ref
    assert s.content_note, f"{ref} discloses risk and needs a content note"


@pytest.mark.parametrize("ref", RISKY)
def test_safe_actions_are_marked_helpful_or_partly(ref):
    for nid, node in LIB.scenarios[ref].nodes.items():
        for c in node.choices:
            if c.safe_action:
                assert c.quality in ("helpful", "partly"), f"{ref} node {nid} choice {c.id}"
