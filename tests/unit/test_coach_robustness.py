"""Any string in, a result out: never an exception, spans always inside the text, time linear in length."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersupport.coach import BEHAVIOURS, analyze, check_language

ODD = ["", " ", "\n\n\t", "<script>alert(1)</script>", "**bold** _it_ `code` # head", "😀🎉❤️🫂", "ñandú ¿qué?",
       "私は大丈夫です。", "مرحبا كيف حالك؟", "Привет, как дела?", "\u200b\u200d\ufeff", "İİİ ß ﬁ", "?!?!...,,,",
       "\"'`*_\u201c\u2018", "a" * 5000]


def check(fb, text):
    assert fb.behaviour in BEHAVIOURS
    assert fb.question_type in ("open", "closed", None)
    assert all(v in (0, 1, 2) for v in fb.empathy.values())
    assert isinstance(fb.summary, str) and fb.summary
    for span in [f.span for f in fb.flags] + [e.span for e in fb.evidence]:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=200)))
def test_any_text_gives_a_result(response, context):
    check(analyze(response, context), response)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(ODD + ["you should", "why did you", "at least", "what", "?", "addict", "clean",
                                       "sounds like", "I'm sorry", "988", " ", "\n"]), max_size=40))
def test_word_salad_and_odd_inputs(parts):
    text = " ".join(parts)
    check(analyze(text, text[:300]), text)
    for f in check_language(text):
        assert text[f.span.start : f.span.end] == f.span.text


def test_fixed_odd_inputs():
    for text in ODD:
        check(analyze(text, text), text)
    check(analyze(None), "")  # type: ignore[arg-type]


def test_hundred_thousand_characters_and_linear_time():
    unit = "It sounds like you feel stuck, so what happened? You should try <b>this</b> 😀 at least. "
    small, big = unit * 120, unit * 1200  # ~10k and ~100k characters
    analyze(small)

    def best(text):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fb = analyze(text)
            times.append(time.perf_counter() - t)
        return min(times), fb

    t_small, _ = best(small)
    t_big, fb = best(big)
    check(fb, big)
    assert t_big < 5.0
    assert t_big < 10 * t_small * 3 + 0.05  # roughly linear: 10x the text costs well under 30x the time
    flags = check_language("addict " * 15000)
    assert len(flags) == 15000
