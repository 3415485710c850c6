"""EPITOME empathy levels (Sharma et al., EMNLP 2020): 0 none, 1 weak, 2 strong, for
emotional reactions, interpretations and explorations, each with the words that show it."""

from __future__ import annotations

from .acts import find
from .decide import Decision
from .model import Evidence, Span
from .resources import patterns

_P = "cues.yaml"


def _first(key: str, d: Decision, skip_muted: bool = False) -> Span | None:
    for s in d.sentences:
        if skip_muted and s.start in d.muted:
            continue
        span = find(key, s)
        if span:
            return span
    return None


def emotional_reactions(d: Decision) -> tuple[int, Span | None]:
    strong = _first("er_strong", d)
    if strong:
        return 2, strong
    weak = _first("er_weak", d) or _first("reassure", d, skip_muted=True)
    return (1, weak) if weak else (0, None)


def interpretations(d: Decision, context_stems: set[str]) -> tuple[int, Span | None]:
    feeling = patterns(_P)["feeling_words"]
    level, span = 0, None
    for act in d.main_acts + [a for a in d.all_acts if a.detail == "in_sympathy"]:
        if act.kind == "self_disclosure":
            return 2, act.span
        if act.kind == "reflection":
            if act.detail == "weak" and d.behaviour != "reflection":
                continue  # a passing "you ..." inside advice or an affirmation is not an interpretation
            specific = act.detail == "strong" or feeling.search(act.sentence.text)
            lvl = 2 if specific and len(act.sentence.text.split()) > 3 else 1
            if act.detail == "in_sympathy" and not feeling.search(act.sentence.text):
                lvl = 1
            if lvl > level:
                level, span = lvl, act.sentence.span
    for q in d.questions:
        if q.detail.endswith(":check"):
            return 2, q.sentence.span
    if level == 0:
        for key in ("understand", "generic_hard"):
            hit = _first(key, d)
            if hit:
                return 1, hit
    return level, span


def explorations(d: Decision, context_stems: set[str], stems) -> tuple[int, Span | None]:
    feeling = patterns(_P)["feeling_words"]
    level, span = 0, None
    for q in d.questions:
        kind = q.detail.split(":")[1]
        if kind != "genuine":
            continue
        text = q.sentence.text
        specific = feeling.search(text) or len(stems(text) & context_stems) > 0 or len(stems(text)) >= 3
        lvl = 2 if specific else 1
        if lvl > level:
            level, span = lvl, q.sentence.span
    return level, span


def empathy(d: Decision, context_stems: set[str], stems) -> tuple[dict[str, int], list[Evidence]]:
    out, evidence = {}, []
    for name, (lvl, span) in (
        ("emotional_reactions", emotional_reactions(d)),
        ("interpretations", interpretations(d, context_stems)),
        ("explorations", explorations(d, context_stems, stems)),
    ):
        out[name] = lvl
        if lvl and span is not None:
            evidence.append(Evidence(f"{name}={lvl}", span))
    return out, evidence
