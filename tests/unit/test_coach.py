"""The response coach's contract and its core judgements (examples here are not in the eval set)."""

from __future__ import annotations

import pytest

from peersupport.coach import BEHAVIOURS, MECHANISMS, Feedback, Flag, analyze, analyze_many


def codes(fb: Feedback) -> set[str]:
    return {f.code for f in fb.flags}


def test_contract_fields_and_types():
    fb = analyze("It sounds like work has been wearing you down.", context="My job is killing me lately, so tired.")
    assert fb.behaviour in BEHAVIOURS
    assert fb.question_type in ("open", "closed", None)
    assert fb.reflection_type in ("simple", "complex", None)
    assert set(fb.empathy) == set(MECHANISMS) and all(v in (0, 1, 2) for v in fb.empathy.values())
    assert isinstance(fb.flags, list) and isinstance(fb.summary, str) and fb.summary
    assert fb.to_dict()["behaviour"] == fb.behaviour


@pytest.mark.parametrize(
    ("response", "context", "behaviour", "qtype"),
    [
        ("What was the drive home like for you?", "I finally visited my brother in prison.", "question", "open"),
        ("how r u holding up since the move", None, "question", "open"),
        ("Did the new schedule start yet?", None, "question", "closed"),
        ("Is anyone staying with you tonight", None, "question", "closed"),
        ("Could you tell me more about the argument?", None, "question", "open"),
        ("Sounds like you're worn out from fighting the insurance company.", "I spent 3 hours on hold again.",
         "reflection", None),
        ("You kept your appointment even after a rough night. That took real commitment.", None, "affirmation", None),
        ("The warming center on Pine Street opens at 7 pm and has cots.", None, "information", None),
        ("You need to stop texting her.", "My ex keeps texting me.", "advice", None),
        ("When I was first out of the hospital I barely left my room for a month.", None, "self_disclosure", None),
        ("Okay, see you Thursday then.", None, "other", None),
        ("Have you thought about what you want to do next?", None, "question", "closed"),
        ("Have you thought about calling her?", None, "advice", "closed"),
        ("I'm wondering what you'd like to get out of today.", None, "question", "open"),
        ("So you're saying the meds help but the side effects are rough?", None, "reflection", None),
        ("you still working at the warehouse?", None, "question", "closed"),
    ],
)
def test_behaviour_and_question_type(response, context, behaviour, qtype):
    fb = analyze(response, context)
    assert fb.behaviour == behaviour
    assert fb.question_type == qtype


def test_reflection_with_a_check_stays_a_reflection():
    fb = analyze("So you're feeling pretty stuck with the housing stuff, is that right?", "The housing list is years long.")
    assert fb.behaviour == "reflection" and fb.question_type is None


def test_simple_vs_complex_reflection():
    ctx = "My landlord raised the rent again and I can't pay it."
    assert analyze("Your landlord raised the rent again.", ctx).reflection_type == "simple"
    assert analyze("It's like the ground keeps shifting under you, and you're scared of losing your home.",
                   ctx).reflection_type == "complex"


def test_empathy_mechanisms():
    fb = analyze("I'm so sorry. That sounds exhausting. What has been the hardest part?", "Caring for my dad is a lot.")
    assert fb.empathy == {"emotional_reactions": 2, "interpretations": 1, "explorations": 2} or (
        fb.empathy["emotional_reactions"] == 2 and fb.empathy["interpretations"] >= 1 and fb.empathy["explorations"] >= 1
    )
    assert analyze("Go to bed earlier.").empathy == {m: 0 for m in MECHANISMS}


@pytest.mark.parametrize(
    ("response", "context", "code"),
    [
        ("Why didn't you call your sponsor?", None, "why_question"),
        ("You should go to a meeting tonight.", "I had a rough day.", "advice_without_permission"),
        ("At least you still have your car.", None, "minimizing"),
        ("Everything happens for a reason.", None, "minimizing"),
        ("Honestly that sounds like bipolar disorder to me.", None, "diagnosing"),
        ("Just stop taking the Zoloft, you don't need it.", None, "medication_advice"),
        ("Don't worry, this stays between us.", None, "secrecy_promise"),
        ("He's a junkie, you can't trust him.", None, "stigma_language"),
        ("It sounds like you're exhausted.", "I can't do this anymore, I want to end it all.", "missed_safety"),
    ],
)
def test_flags(response, context, code):
    fb = analyze(response, context)
    assert code in codes(fb)
    flag = next(f for f in fb.flags if f.code == code)
    assert isinstance(flag, Flag) and flag.message and flag.suggestion
    assert response[flag.span.start : flag.span.end] == flag.span.text


def test_no_flags_on_a_good_response():
    fb = analyze("It sounds like tonight feels really heavy. Are you thinking about suicide?",
                 "I can't do this anymore, I want to end it all.")
    assert fb.flags == []


def test_permission_removes_the_advice_flag():
    fb = analyze("If you're open to it, one thing that helped me was writing the urge down.", "Cravings hit hard at night.")
    assert fb.behaviour == "advice" and "advice_without_permission" not in codes(fb)
    asked = analyze("Maybe try a morning meeting.", "What should I do about the cravings?")
    assert "advice_without_permission" not in codes(asked)


def test_crisis_directive_is_not_advice_without_permission():
    fb = analyze("Call 911 now and give her the Narcan.", "my roommate is not breathing")
    assert "advice_without_permission" not in codes(fb) and "missed_safety" not in codes(fb)


def test_past_abuse_is_not_a_current_risk_cue():
    fb = analyze("That took courage to say.", "I told my group about the abuse when I was a kid.")
    assert "missed_safety" not in codes(fb)


def test_secrecy_with_limits_is_fine():
    fb = analyze("What you share stays private, except if someone's safety is at risk.")
    assert "secrecy_promise" not in codes(fb)


def test_every_label_points_at_words_in_the_response():
    text = "Ugh, I'm sorry. It sounds like the week was brutal. What would help tonight?"
    fb = analyze(text, "This week was brutal.")
    assert fb.evidence
    for e in fb.evidence:
        assert text[e.span.start : e.span.end] == e.span.text
    assert fb.evidence_for("behaviour")


def test_analyze_many_matches_analyze():
    rs = ["What happened?", "You should rest.", "I've been there."]
    cs = [None, "So tired", None]
    assert analyze_many(rs, cs) == [analyze(r, c) for r, c in zip(rs, cs)]
    assert [f.behaviour for f in analyze_many(rs)] == ["question", "advice", "self_disclosure"]
    with pytest.raises(ValueError):
        analyze_many(rs, [None])


def test_summary_is_kind_and_short():
    fb = analyze("Why would you do that?")
    assert len(fb.summary.split(". ")) <= 3 and "stupid" not in fb.summary.lower()
