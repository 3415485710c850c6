"""The safety and boundary flags the modules teach (data/safety.yaml): leading suicide questions, handing
off instead of staying, no-harm promises, medication advice, dual relationships, promising secrecy and
diagnosing. Each finding keeps the words that triggered it, why it matters, a better move and the module
to revisit."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .model import Flag, Span
from .resources import Cue, join, load_yaml
from .text import Sentence

_FILE = "safety.yaml"
_NAME = re.compile(r"\{([a-z_]+)\}")


@cache
def families() -> dict[str, dict]:
    """Every family with its patterns compiled (fragments such as {risk} substituted first)."""
    data = load_yaml(_FILE)
    frags = data["fragments"]
    sub = lambda src: _NAME.sub(lambda m: frags[m.group(1)] if m.group(1) in frags else m.group(0), src)
    out = {}
    for key, fam in data["families"].items():
        compiled = dict(fam)
        compiled["code"] = fam.get("code", key)
        for part in ("match", "unless", "unless_reply", "unless_not", "require_any", "require_any_reply"):
            if part in fam:
                compiled[part] = Cue(sub(join(fam[part])))
        compiled["reply_all"] = [[Cue(sub(p)) for p in group] for group in fam.get("reply_all", [])]
        if "context_match" in fam:
            compiled["context_match"] = {k: Cue(sub(join(v))) for k, v in fam["context_match"].items()}
        out[key] = compiled
    for code, groups in data.get("broad", {}).items():
        fam = next(f for f in out.values() if f["code"] == code)
        fam["broad"] = [[Cue(sub(p)) for p in group] for group in groups]
        fam["broad_unless"] = Cue(sub(join(data["broad_unless"][code])))
    return out


def info(code: str) -> dict:
    """Name, message, suggestion and module for a flag code (or {} if it is not a safety family)."""
    for fam in families().values():
        if fam["code"] == code:
            return fam
    return {}


def _exempt(fam: dict, text: str) -> bool:
    if "unless" in fam and fam["unless"].search(text):
        return not ("unless_not" in fam and fam["unless_not"].search(text))
    return False


# Spoken style: fillers and false starts ("uh", "I- I'd", "like,") are dropped from a copy that is matched
# when the words as typed do not match; the flag then points at the whole sentence.
_SPOKEN = re.compile(r"\b(?:uh+|um+|erm|er|hmm+|like,|you know,|i mean,)(?:,|\s)+|\b[\w']+-\s+|,", re.IGNORECASE)


def _hit(fam: dict, text: str) -> tuple[int, int] | None:
    m = fam["match"].search(text)
    if m is None or m.end() == m.start() or _exempt(fam, text):
        return None
    if "require_any" in fam and not fam["require_any"].search(text):
        return None
    return m.span()


def sentence_hits(fam: dict, s: Sentence, tag: Sentence | None = None) -> Span | None:
    """The family's words in sentence `s` (read together with a short tag after it: "... Would you?")."""
    text = s.text if tag is None else f"{s.text} {tag.text}"
    hit = _hit(fam, text)
    if hit and hit[0] < len(s.text):
        a, b = hit[0], min(hit[1], len(s.text))
        return Span(s.text[a:b], s.start + a, s.start + b)
    clean = " ".join(_SPOKEN.sub(" ", text).split())
    if hit is None and _hit(fam, clean):
        return s.span
    for group in fam.get("broad", ()):
        if all(p.search(clean) for p in group) and not fam["broad_unless"].search(clean) and not _exempt(fam, clean):
            return s.span
    return None


@lru_cache(maxsize=512)
def _context_hit(key: str, context: str) -> bool:
    return bool(families()[key]["context_match"]["context"].search(context))


def find_all(response: str, context: str | None, sents: list[Sentence]) -> list[tuple[str, Span]]:
    """(code, span) for every family that fires on the reply, at most one per family."""
    out = []
    for key, fam in families().items():
        hit = None
        for i, s in enumerate(sents):
            nxt = sents[i + 1] if i + 1 < len(sents) and len(sents[i + 1].text.split()) <= 4 else None
            hit = sentence_hits(fam, s, nxt)
            if hit:
                break
        for group in fam["reply_all"]:
            if hit is None and all(p.search(response) for p in group) and not _exempt(fam, response):
                hit = Span(sents[0].text, sents[0].start, sents[0].end) if sents else None
        if hit is None and context and "context_match" in fam and _context_hit(key, context):
            m = fam["context_match"]["reply"].search(response)
            if m and m.end() > m.start() and not _exempt(fam, response):
                hit = Span(response[m.start() : m.end()], m.start(), m.end())
        if hit is None:
            continue
        if "unless_reply" in fam and fam["unless_reply"].search(response):
            continue
        if "require_any_reply" in fam and not fam["require_any_reply"].search(response):
            continue
        out.append((fam["code"], hit))
    return out


def flag(code: str, span: Span) -> Flag:
    fam = info(code)
    return Flag(code, span, fam["message"], fam["suggestion"], "warning", fam["module"])
