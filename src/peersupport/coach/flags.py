"""The coach's flags: each points at the words that caused it, says why in one kind sentence, and
suggests a rewrite. Codes: stigma_language, why_question, advice_without_permission, minimizing,
diagnosing, medication_advice, secrecy_promise, missed_safety."""

from __future__ import annotations

import re
from functools import lru_cache

from .acts import Act, core, find
from .language import check_language
from .learned import find as learned_hits
from .model import Flag, Span
from .resources import load_yaml, patterns
from .safety import find_all as safety_hits
from .safety import flag as safety_flag
from .safety import info as safety_info
from .text import Sentence

_F = "flags.yaml"
RISKS = ("risk_suicide", "risk_self_harm", "risk_harm_others", "risk_abuse", "risk_overdose", "risk_voices")
ORDER = ("missed_safety", "leading_suicide_question", "handoff_not_staying", "no_harm_promise", "secrecy_promise",
         "medication_advice", "dual_relationship", "diagnosing", "stigma_language", "minimizing",
         "advice_without_permission", "why_question")
_FEELING = re.compile(r"\b(scared|afraid|anxious|terrified|sad|lonely|angry|frustrated|ashamed|guilty|hurt|exhausted|"
                      r"tired|overwhelmed|stuck|worthless|hopeless|raw|numb|lost|useless|alone|nervous|like a failure|"
                      r"like a fraud|judged|drowning|done)\b", re.IGNORECASE)


def _msg(code: str) -> dict:
    return load_yaml("messages.yaml")["flags"][code]


def _flag(code: str, span: Span, **fields) -> Flag:
    if safety_info(code):
        return safety_flag(code, span)
    m = _msg(code)
    return Flag(code, span, m["message"].format(**fields), m["suggestion"].format(**fields))


def reflection_hint(context: str | None) -> str:
    msgs = load_yaml("messages.yaml")
    m = _FEELING.search(context or "")
    return msgs["reflection_with_feeling"].format(feeling=m.group().lower()) if m else msgs["reflection_fallback"]


def muted_sentences(sents: list[Sentence], response: str = "", context: str | None = None) -> tuple[set[int], list]:
    """Sentences that diagnose or promise secrecy: flagged, and not counted as reflections; with the other
    safety and boundary flags (safety.yaml), found once here."""
    muted, flags = set(), []
    hits = safety_hits(response, context, sents)
    hits += learned_hits(response, context, sents, {code for code, _ in hits})
    for code, span in hits:
        flags.append((code, span))
        if code in ("diagnosing", "secrecy_promise"):
            muted.update(s.start for s in sents if s.start <= span.start < s.end)
    return muted, flags


def _find(file: str, key: str, s: Sentence) -> Span | None:
    m = patterns(file)[key].search(s.text)
    return Span(s.text[m.start() : m.end()], s.start + m.start(), s.start + m.end()) if m and m.end() > m.start() else None


@lru_cache(maxsize=512)  # a cohort often answers the same words: check each context once
def risk_in(context: str | None) -> tuple[str, ...]:
    if not context:
        return ()
    pats = patterns(_F)
    return tuple(key for key in RISKS if pats[key].search(context))


@lru_cache(maxsize=512)
def context_asks(context: str | None) -> bool:
    return bool(context and patterns("cues.yaml")["context_asks_advice"].search(context))


@lru_cache(maxsize=512)
def context_mentions_medication(context: str | None) -> bool:
    return bool(context and patterns(_F)["medication_term"].search(context))


def collect(response: str, context: str | None, sents: list[Sentence], acts: list[Act], early: list,
            behaviour_act: Act | None, language_text: str | None = None) -> list[Flag]:
    pats = patterns(_F)
    cues = patterns("cues.yaml")
    flags: list[Flag] = []
    hint = reflection_hint(context)
    for code, span in early:
        flags.append(_flag(code, span, reflection=hint))
    flags.extend(check_language(response if language_text is None else language_text))
    permission = bool(cues["advice_permission"].search(response)) or context_asks(context)
    advice_acts = [a for a in acts if a.kind == "advice" or a.detail.endswith(":advice")]
    for a in advice_acts:
        s = a.sentence
        if not permission and not cues["crisis_directive"].search(s.text):
            flags.append(_flag("advice_without_permission", a.span))
    for a in acts:
        if a.kind == "question" and a.detail.endswith(":genuine"):
            text, at = core(a.sentence)
            m = pats["why_question"].search(text)
            if m:
                flags.append(_flag("why_question", Span(text[m.start() : m.end()], a.sentence.start + at + m.start(),
                                                        a.sentence.start + at + m.end()), rewrite=_why_rewrite(text)))
    muted = {span.start for code, span in early if code == "secrecy_promise"}
    in_muted = lambda a: any(a.sentence.start <= m < a.sentence.end for m in muted)
    reassure = next((a for a in acts if a.kind == "reassure" and not in_muted(a)), None)
    if reassure is None:
        for s in sents:
            if any(s.start <= m < s.end for m in muted):
                continue
            span = find("reassure", s)
            if span:
                reassure = Act("reassure", span, s)
                break
    if reassure is not None:
        flags.append(_flag("minimizing", reassure.span, reflection=hint))
    risks = risk_in(context)
    asked = {a.sentence.start for a in acts if a.kind == "question"}
    addressed = any(pats["safety_any"].search(s.text) or (s.start in asked and pats["safety_question"].search(s.text))
                    for s in sents)
    if risks and sents and not addressed:
        msgs = load_yaml("messages.yaml")
        where = behaviour_act.sentence.span if behaviour_act else sents[0].span
        flags.append(_flag("missed_safety", where, risk=", ".join(msgs["risk_names"][r] for r in risks),
                           ask=msgs["safety_questions"][risks[0]]))
    return _dedupe(flags)


def _why_rewrite(question: str) -> str:
    for pattern, repl in load_yaml("messages.yaml")["why_rewrites"]:
        new, n = re.subn(pattern, repl, question, count=1, flags=re.IGNORECASE)
        if n:
            new = new.strip()
            return (new[:1].upper() + new[1:]) if new else new
    return question


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen, out = set(), []
    for f in flags:
        key = (f.code, f.span.start) if not safety_info(f.code) else f.code  # one note per safety family
        if key not in seen:
            seen.add(key)
            out.append(f)
    rank = {c: i for i, c in enumerate(ORDER)}
    out.sort(key=lambda f: (rank.get(f.code, len(ORDER)), f.span.start))
    return out
