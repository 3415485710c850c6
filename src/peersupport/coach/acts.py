"""Sentence-level acts: what each sentence of a response does (ask, reflect, affirm, inform, advise, share).

Every act keeps the span of the words that triggered it, so labels are explainable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Span
from .resources import patterns
from .text import FILLERS, Sentence, clauses

_P = "cues.yaml"
_LEAD = re.compile(r"^(?:[^\w]*(?:[\w']+)[^\w]*)")
_YOU = re.compile(r"\b(?:you|your|yours|yourself|u|ur|ya|y'all)\b", re.IGNORECASE)
_SELF_START = re.compile(r"^(?:i|i'm|i\u2019m|im|i've|i'll|i'd|we|we're|we'll|let me|thank|thanks|see you|bye|hi|hello|hey)\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Act:
    kind: str  # question | reflection | affirmation | information | advice | self_disclosure | reassure | sympathy | other
    span: Span  # the words that triggered the act
    sentence: Sentence
    detail: str = ""  # question: open/closed; question subtype: genuine/permission/advice/check; reflection: strong/weak


@lru_cache(maxsize=2048)
def core(sentence: Sentence) -> tuple[str, int]:
    """The sentence without leading fillers ('so', 'um', 'okay'), and its offset in the sentence."""
    text, pos = sentence.text, 0
    while True:
        m = _LEAD.match(text, pos)
        if not m:
            break
        word = m.group().strip(" \t,.!?-\u2026").lower()
        if word not in FILLERS or m.end() >= len(text):
            break
        pos = m.end()
    return text[pos:], pos


@lru_cache(maxsize=2048)  # cleared at the start of every analyze() call: a memo within one call only
def find(key: str, sentence: Sentence) -> Span | None:
    """First match of cue `key` in the sentence (anchored cues are tried on the filler-free core too)."""
    pat = patterns(_P)[key]
    m = pat.search(sentence.text)
    base = sentence.start
    if m is None:
        core_text, core_at = core(sentence)
        if core_at:
            m = pat.search(core_text)
            base = sentence.start + core_at
    if m is None:
        return None
    s, e = m.span()
    if s == e:  # zero-width: point at the whole sentence
        return sentence.span
    off = base - sentence.start
    return Span(sentence.text[off + s : off + e], base + s, base + e)


def question_of(sentence: Sentence, context_stems: frozenset[str] = frozenset(), stems_of=None) -> Act | None:
    """If the sentence asks something, the question act with its type and subtype. With the person's words,
    a statement said with a question mark that gives back their own words ("So the move changed everything?")
    is a reflection voiced as a check, as MI coders count it."""
    text = sentence.text
    ctext, _cat = core(sentence)
    marked = "?" in text
    f = lambda key: find(key, sentence)
    lowered = ctext.lower()
    starts_open = patterns(_P)["q_open_start"].match(lowered)
    starts_closed_wh = patterns(_P)["q_closed_wh"].match(lowered)
    starts_aux = patterns(_P)["q_aux_start"].match(lowered) or patterns(_P)["q_you_or"].match(lowered)
    open_request = patterns(_P)["q_open_request"].match(lowered)
    if patterns(_P)["procedural"].match(lowered):
        return None
    if not marked:
        if patterns(_P)["exclamation"].match(lowered) or patterns(_P)["not_question_start"].match(lowered):
            return None
        if not (starts_open or starts_closed_wh or starts_aux or open_request):
            return None
    elif not (starts_open or starts_closed_wh or starts_aux or open_request):
        later_clause_asks = any(_asks(piece) for piece in clauses(sentence)[1:])
        loose = patterns(_P)["q_loose_start"].match(lowered)
        if not later_clause_asks and (not loose or (lowered.startswith(("you", "u ")) and f("reflect_strong"))) \
                and not patterns(_P)["q_wh_end"].search(lowered):
            # a declarative said with a question mark: a reflection if it reflects, else a closed question
            tag = f("check_tag")
            refl = f("reflect_strong")
            if tag and not refl and (f("reassure") or f("sympathy")):
                return None  # "Could be worse, right?": a remark with a tag, not a question
            if refl or (tag and _YOU.search(text) and len(text.split()) > 4):
                return Act("question", (tag or refl), sentence, "closed:check")
    if marked and f("check_tag") and f("reassure") and not (starts_open or starts_closed_wh or open_request):
        return None  # "Could be worse, right?": a remark with a tag, not a question
    if marked and context_stems and stems_of and not (starts_open or starts_closed_wh or starts_aux or open_request) \
            and not _AUX_FIRST.match(text) and not any(_asks(piece) for piece in clauses(sentence)[1:]) \
            and _echoes(text, context_stems, stems_of):
        return Act("question", sentence.span, sentence, "closed:check")
    # the last clause that is itself a question decides the type ("X, are you safe?")
    qtype, cue = _qtype(sentence)
    for key, kind in (("q_permission", "permission"), ("q_advice", "advice")):
        span = f(key)
        if span:
            return Act("question", span, sentence, f"{qtype}:{kind}")
    tag = f("check_tag")
    if tag and not (starts_open or starts_closed_wh or open_request) and f("reflect_strong"):
        return Act("question", tag, sentence, "closed:check")
    return Act("question", cue, sentence, f"{qtype}:genuine")


_AUX_FIRST = re.compile(r"\W*(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|am|shall|may|might)\b",
                        re.IGNORECASE)


def _echoes(text: str, context_stems: frozenset[str], stems_of) -> bool:
    """At least two content words, and at most one of them new to the person's words (first four letters)."""
    mine = stems_of(text)
    said = {w[:4] for w in context_stems}
    return len(mine) >= 2 and len({w for w in mine if w[:4] not in said}) <= 1


def _asks(piece: Sentence) -> bool:
    low = core(piece)[0].lower()
    pats = patterns(_P)
    return bool(pats["q_aux_start"].match(low) or pats["q_closed_wh"].match(low) or pats["q_open_request"].match(low)
                or (pats["q_open_start"].match(low) and not pats["exclamation"].match(low)
                    and not pats["not_question_start"].match(low)))


def _qtype(sentence: Sentence) -> tuple[str, Span]:
    pats = patterns(_P)
    chosen = None
    for piece in clauses(sentence):
        ctext, cat = core(piece)
        low = ctext.lower()
        start = piece.start + cat
        word = Span(ctext.split()[0] if ctext.split() else ctext, start, start + len(ctext.split()[0]) if ctext.split() else start)
        if pats["q_open_request"].match(low):
            chosen = ("open", word)
        elif pats["q_closed_wh"].match(low):
            chosen = ("closed", word)
        elif pats["q_open_start"].match(low) and not pats["exclamation"].match(low):
            chosen = ("open", word)
        elif pats["q_aux_start"].match(low) or pats["q_you_or"].match(low) or (pats["q_loose_start"].match(low) and "?" in piece.text):
            chosen = ("closed", word)
        elif pats["q_wh_end"].search(ctext):  # offsets into ctext: lower() can change the length ("İ")
            m = pats["q_wh_end"].search(ctext)
            chosen = ("open" if m.group().split()[0].lower() in ("what", "how", "why") else "closed",
                      Span(ctext[m.start() : m.end()], start + m.start(), start + m.end()))
    if chosen is None:
        ctext, cat = core(sentence)
        first = ctext.split()[0] if ctext.split() else ctext
        chosen = ("closed", Span(first, sentence.start + cat, sentence.start + cat + len(first)))
    return chosen


def statement_acts(sentence: Sentence, context_stems: set[str], stems_of) -> list[Act]:
    """All statement acts a (non-question) sentence carries, strongest first."""
    ctext, _cat = core(sentence)
    f = lambda key: find(key, sentence)
    acts = []
    for key, kind in (("advice", "advice"), ("info_strong", "information"), ("disclosure", "self_disclosure"),
                      ("affirm", "affirmation"), ("reassure", "reassure"), ("encourage", "encourage"),
                      ("sympathy", "sympathy")):
        span = f(key)
        if span:
            acts.append(Act(kind, span, sentence))
    if not any(a.kind == "information" for a in acts):
        domain = f("info_domain")
        if domain and not f("info_blockers") and not f("reflect_strong"):
            acts.append(Act("information", domain, sentence, "weak"))
    two_sided = f("double_sided")
    if two_sided:  # "part of you wants to cut down, and Fridays pull you the other way": a reflection
        acts = [a for a in acts if a.kind not in ("information", "advice", "reassure")]
        return [Act("reflection", two_sided, sentence, "strong")] + acts
    generic = f("generic_hard")
    refl = None if generic else f("reflect_strong")
    if refl:
        acts.append(Act("reflection", refl, sentence, "strong"))
    elif not generic and not _SELF_START.match(ctext):
        you = _YOU.search(sentence.text)
        overlap = len(stems_of(sentence.text) & context_stems)
        if (you or overlap >= 1) and len(ctext.split()) >= 4:  # "You too!", "you're welcome" are not reflections
            span = Span(you.group(), sentence.start + you.start(), sentence.start + you.end()) if you else sentence.span
            acts.append(Act("reflection", span, sentence, "weak"))
    if generic:
        acts.append(Act("sympathy", generic, sentence))
    return acts
