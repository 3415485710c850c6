"""Issue 15: the six replies trainees tried in modules 04-07 get the right flag, message, suggestion and
module in the practice widget (driven through the widget API, as a trainee would)."""

from __future__ import annotations

import pytest

from peersupport.coach.safety import info
from peersupport.widgets.practice import FLAG_NAMES, practice

CASES = [  # (what the person said, the trainee's reply, expected flag, module)
    ("Honestly, I don't see the point anymore. Nothing is going to change.",
     "You're not thinking of hurting yourself, are you?", "leading_suicide_question", "07"),
    ("Honestly, I don't see the point anymore. Nothing is going to change.",
     "Here's the 988 number, call them when you get home.", "handoff_not_staying", "07"),
    ("Honestly, I don't see the point anymore. Nothing is going to change.",
     "Promise me you won't hurt yourself.", "no_harm_promise", "07"),
    ("My cousin says my pills are poison. Should I just quit them?",
     "Yeah, I quit mine. Just taper off slowly.", "medication_advice", "04"),
    ("My cousin says my pills are poison. Should I just quit them?",
     "I stopped my meds cold turkey and it was the best thing I did.", "medication_advice", "04"),
    ("Let me take you out for lunch this week. My treat.",
     "I'd love that! Let's go Friday", "dual_relationship", "05"),
]


@pytest.mark.parametrize("context,reply,code,module", CASES)
def test_issue_table_reply_gets_flag_message_and_suggestion_in_the_widget(context, reply, code, module):
    wdg = practice(context)
    wdg.textarea.value = reply
    wdg.button.click()
    fb = wdg.feedback
    flags = [f for f in fb.flags if f.code == code]
    assert flags, [f.code for f in fb.flags]
    flag = flags[0]
    fam = info(code)
    assert flag.message == fam["message"] and flag.suggestion == fam["suggestion"]
    assert flag.module.startswith(module) and flag.span.text and flag.span.text in reply
    out = wdg.output.value
    assert f"<b>{FLAG_NAMES[code]}</b>" in out
    assert "Suggestion:" in out and "Revisit:</i> module " + module in out
    assert "ps-mark ps-flagged" in out  # the words that triggered it are highlighted
    text = wdg._repr_mimebundle_()["text/plain"]
    assert FLAG_NAMES[code] in text and "Revisit: module " + module in text
    if code == "leading_suicide_question":  # no longer praised as "useful for a safety check"
        assert fb.summary.startswith(("You asked a closed question", "The coach")) and "leans toward" in fb.summary


def test_unsure_reply_names_no_category():
    wdg = practice("I've been so tired since the move.")
    wdg.textarea.value = "ok you know what i mean"
    wdg.button.click()
    assert wdg.feedback.shown_behaviour is None and wdg.feedback.noticed
    assert "not sure" in wdg.output.value
