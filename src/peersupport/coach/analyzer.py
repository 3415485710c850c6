"""analyze(response, context) -> Feedback: the response coach's single entry point."""

from __future__ import annotations

from collections.abc import Iterable

from .acts import core, find
from .confidence import confidence
from .decide import context_stems, decide, stems
from .empathy import empathy
from .flags import collect, muted_sentences
from .model import Evidence, Feedback
from .summary import empty_summary, summarize
from .text import sentences

#: Labels come from the first MAX_CHARS characters (a response is a few sentences); the language check
#: still reads all of the text. Both stay linear in the length of the input.
MAX_CHARS = 10_000
_ZERO = {"emotional_reactions": 0, "interpretations": 0, "explorations": 0}


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def analyze(response: str, context: str | None = None) -> Feedback:
    """Label a trainee's response (MITI 4.2.1 behaviour, EPITOME empathy) and flag what to look at.

    Never raises on any string; `context` is what the person said just before (optional).
    """
    response, context = _text(response), _text(context) or None
    if not response.strip():
        return Feedback("other", None, None, dict(_ZERO), [], empty_summary(), [])
    full = response
    truncated = len(response) > MAX_CHARS
    if truncated:
        response = response[:MAX_CHARS]
    if context is not None and len(context) > MAX_CHARS:
        context = context[-MAX_CHARS:]
    find.cache_clear()
    core.cache_clear()
    sents = sentences(response)
    muted, early = muted_sentences(sents, response, context)
    d = decide(response, context, muted)
    ctx = context_stems(context) if context else frozenset()
    levels, evidence = empathy(d, ctx, stems)
    if d.behaviour_act is not None:
        evidence.insert(0, Evidence(f"behaviour={d.behaviour}", d.behaviour_act.span))
        if d.behaviour_act.kind in ("reassure", "encourage"):
            evidence.append(Evidence("reassurance", d.behaviour_act.span))
    if d.question_act is not None:
        evidence.append(Evidence(f"question_type={d.question_type}", d.question_act.span))
    if d.reflection_type and d.behaviour_act is not None:
        evidence.append(Evidence(f"reflection_type={d.reflection_type}", d.behaviour_act.sentence.span))
    flags = collect(response, context, sents, d.all_acts, early, d.behaviour_act, language_text=full)
    shown, noticed = confidence(d)
    summary = summarize(d.behaviour, d.question_type, d.reflection_type, levels, flags, noticed if shown is None else "")
    if truncated:
        summary += f" (Only the first {MAX_CHARS:,} characters were labelled; the language check read it all.)"
    return Feedback(d.behaviour, d.question_type, d.reflection_type, levels, flags, summary, evidence, shown, noticed)


def analyze_many(responses: Iterable[str], contexts: Iterable[str | None] | None = None) -> list[Feedback]:
    """analyze() over a whole cohort; `contexts` (if given) pairs up with `responses` one to one."""
    responses = list(responses)
    ctxs = list(contexts) if contexts is not None else [None] * len(responses)
    if len(ctxs) != len(responses):
        raise ValueError(f"got {len(responses)} responses but {len(ctxs)} contexts")
    return [analyze(r, c) for r, c in zip(responses, ctxs)]
