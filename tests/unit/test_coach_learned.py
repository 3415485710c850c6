"""The learned flag scorer (coach/learned.py): its weights are fresh, its flags read like the rules' flags
(message, suggestion, module, the words behind it), and it only adds to the rules."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from peersupport.coach import analyze, learned
from peersupport.coach.safety import info

ROOT = Path(__file__).resolve().parents[2]


def _trainer():
    spec = importlib.util.spec_from_file_location("train_flags", ROOT / "benchmarks" / "train_flags.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.timeout(300)
def test_shipped_weights_are_what_the_training_script_writes():
    assert _trainer().main(["--check"]) == 0, "run: python benchmarks/train_flags.py"


def test_model_is_small_and_names_every_family():
    path = ROOT / "src" / "peersupport" / "coach" / "data" / "flag_model.json"
    assert path.stat().st_size < 600_000
    m = learned.model()
    assert set(m["codes"]) == {"leading_suicide_question", "handoff_not_staying", "no_harm_promise",
                               "medication_advice", "dual_relationship", "secrecy_promise", "diagnosing"}
    assert "blind3" in m["trained_on"]  # round 6: blind3 is tuned data; the next blind table stays out
    assert {"train5a", "train5b", "train5c"} <= set(m["trained_on"])  # round 7: the three training tables
    assert {"train6d", "train6e", "train7f", "train7g"} <= set(m["trained_on"])  # rounds 8 and 9
    assert not any(t.startswith("blind6") for t in m["trained_on"])  # the held-out table is never trained on


# Replies the rules' word lists do not cover but the concepts do (a ride in one's own car, a favour).
@pytest.mark.parametrize("context,reply,code", [
    ("I have no way to get to my appointment", "i can swing by and pick u up saturday, no biggie", "dual_relationship"),
])
def test_learned_flag_has_message_suggestion_module_and_words(context, reply, code):
    fb = analyze(reply, context)
    flags = [f for f in fb.flags if f.code == code]
    assert flags
    f, fam = flags[0], info(code)
    assert (f.message, f.suggestion, f.module) == (fam["message"], fam["suggestion"], fam["module"])
    assert f.span.text and reply[f.span.start:f.span.end] == f.span.text
    assert len(f.span.text) < len(reply)  # narrowed to the words that pushed the score up


@pytest.mark.parametrize("reply", ["", "   ", "?", "ok", "Thanks for telling me.", "How has your week been?"])
def test_ordinary_replies_score_low(reply):
    assert all(p < learned.model()["threshold"] for p in learned.scores(reply, None).values())
