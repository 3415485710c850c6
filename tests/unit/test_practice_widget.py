"""The free-text practice widget: type, press "Get feedback", see escaped, highlighted feedback; try again."""

from __future__ import annotations

import re

import ipywidgets as w

from peersupport import practice as public_practice
from peersupport.widgets.practice import PracticeWidget, practice

CONTEXT = "I keep messing up. I missed group again & I feel like <b>trash</b>."


def type_and_click(widget: PracticeWidget, text: str) -> str:
    widget.textarea.value = text
    widget.button.click()
    return widget.output.value


def test_public_api_returns_the_widget():
    wdg = public_practice(CONTEXT)
    assert isinstance(wdg, PracticeWidget) and isinstance(wdg, w.Widget)
    assert wdg.button.description == "Get feedback"
    assert isinstance(wdg.textarea, w.Textarea)
    assert wdg.textarea.description == "Your reply" and "Get feedback" in wdg.label.value


def test_context_is_shown_escaped():
    wdg = practice(CONTEXT)
    assert "&lt;b&gt;trash&lt;/b&gt;" in wdg.intro.value and "<b>trash</b>" not in wdg.intro.value
    assert "&amp;" in wdg.intro.value
    assert "They say" not in practice().intro.value


def test_feedback_shows_labels_highlights_and_suggestions():
    wdg = practice(CONTEXT)
    out = type_and_click(wdg, "Why did you skip it? You should just go next week.")
    assert wdg.feedback is not None and wdg.feedback.behaviour in ("question", "advice")
    assert '<mark class="ps-mark ps-flagged" title="&quot;Why&quot; question">Why did you</mark>' in out
    assert "Suggestion:" in out and "Advice without asking" in out
    assert wdg.attempt_label.value == "Attempt 1"


def test_try_again_replaces_the_feedback():
    wdg = practice(CONTEXT)
    first = type_and_click(wdg, "You should just go next week.")
    second = type_and_click(wdg, "It sounds like you're being really hard on yourself about missing group.")
    assert first != second
    assert "Reflection" in second and "Advice without asking" not in second
    assert wdg.attempt_label.value == "Attempt 2"


def test_hostile_input_is_never_rendered_as_html():
    wdg = practice(CONTEXT)
    out = type_and_click(wdg, "<script>alert(1)</script> <img src=x onerror=alert(2)> why did you **do** that?")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(2)&gt;" in out
    assert "**do**" in out  # markdown is shown as typed, not interpreted


def test_markup_in_the_highlighted_words_is_escaped_too():
    wdg = practice(None)
    out = type_and_click(wdg, 'He is an "addict" <i>addict</i>')
    marks = re.findall(r'<mark class="ps-mark ps-flagged" title="[^"]*">(.*?)</mark>', out)
    assert marks and any("addict" in m for m in marks), out  # the labelling is highlighted...
    assert all("<" not in m for m in marks)  # ...and any markup inside a highlight stays escaped text
    assert "&lt;i&gt;" in out and "<i>addict" not in out and "<i><mark" not in out


def test_very_long_input():
    wdg = practice(CONTEXT)
    out = type_and_click(wdg, ("you should try harder. " * 5000)[:100_000])
    assert "more characters not shown" in out
    assert len(out) < 400_000


def test_empty_input_asks_for_a_reply():
    wdg = practice(CONTEXT)
    out = type_and_click(wdg, "   ")
    assert "Type a response" in out and wdg.attempts == 0


def test_text_fallback():
    wdg = practice(CONTEXT)
    type_and_click(wdg, "What happened at group?")
    bundle = wdg._repr_mimebundle_()
    assert "They say" in bundle["text/plain"] and "Question" in bundle["text/plain"]


def test_exchange_check_counts_questions_and_reflections_and_escapes_text():
    from peersupport import exchange_check

    box = exchange_check()
    box.text.value = ("Them: I keep saying I'll cut down and then Friday comes.\n"
                      "Me: What do you like about Fridays? It sounds like being with people matters a lot to you.\n"
                      "Them: <script>x</script> yeah\n"
                      "Me: Did you drink last night?")
    box.button.click()
    out = box.result.value
    assert "Reflections to questions: 1 to 2" in out and "MITI calls 1:1 fair and 2:1 good" in out
    assert "below the fair level" in out and "not a MITI rating" in out
    assert "open question" in out and "closed question" in out
    box.text.value = "no labels here"
    box.button.click()
    assert "Me:" in box.result.value and "<script>" not in box.result.value
