"""Issue 15, round 2: double-sided and short simple reflections (module 08), and safety flags on typed and
spoken style (normalized copy)."""

import pytest

from peersupport.coach import analyze
from peersupport.coach.safety import normalize


def test_double_sided_reflection_is_a_complex_reflection():
    fb = analyze("So part of you wants to cut down, and Fridays pull you the other way.",
                 context="I know I should drink less, but Fridays with the guys are the best part of my week.")
    assert fb.behaviour == "reflection" and fb.reflection_type == "complex"
    fb = analyze("On one hand you want the job, but you are also scared of failing.")
    assert fb.behaviour == "reflection" and fb.reflection_type == "complex"


def test_short_restatement_is_a_simple_reflection():
    fb = analyze("Evenings are the hardest part.", context="I do OK in the day but evenings...")
    assert fb.behaviour == "reflection" and fb.reflection_type == "simple"


def test_new_feeling_is_still_complex():
    assert analyze("You feel abandoned.", context="My brother stopped calling.").reflection_type == "complex"


@pytest.mark.parametrize("typed, spelled", [
    ("ok but ur not gonna hurt urself tho", "okay but you're not going to hurt yourself though"),
    ("Um, so, you're- you're not gonna do anything, right?", "you're not going to do anything right?"),
    ("dw nothing u say leaves this chat", "don't worry nothing you say leaves this chat"),
    ("ya i can spot u 50", "yeah i can spot you 50"),
])
def test_normalize_spells_out_typed_and_spoken_style(typed, spelled):
    assert normalize(typed) == spelled


@pytest.mark.parametrize("reply, code", [
    ("so ur not thinkin of doing anything to urself right", "leading_suicide_question"),
    ("idk what to say tbh, maybe google a crisis line later", "handoff_not_staying"),
    ("just say u wont hurt urself and we're good", "no_harm_promise"),
    ("i went from 50 to 25 on my own, easy, try it", "medication_advice"),
    ("aw thank u!! ill keep it on my desk", "dual_relationship"),
    ("um, nobody's- nobody's gonna hear this from me, promise", "secrecy_promise"),
    ("thats straight up ptsd bro", "diagnosing"),
])
def test_typed_and_spoken_mistakes_are_flagged(reply, code):
    assert code in {f.code for f in analyze(reply).flags}


@pytest.mark.parametrize("reply, code", [
    ("I'm not going anywhere. Can we text 988 together, right now?", "handoff_not_staying"),
    ("I won't ask you to promise anything. What would help you stay safe tonight?", "no_harm_promise"),
    ("Only you and your prescriber can decide about the dose. Want to write down your questions?", "medication_advice"),
    ("Thank you, that's kind. I can't accept gifts, but I'd love to hear how you made it.", "dual_relationship"),
    ("What you share stays private unless someone is in danger; then I'd tell you first.", "secrecy_promise"),
])
def test_good_moves_are_not_flagged(reply, code):
    assert code not in {f.code for f in analyze(reply).flags}
