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
        for part in ("match", "unless", "unless_reply", "unless_not", "require_any"):
            if part in fam:
                compiled[part] = Cue(sub(join(fam[part])))
        if "context_match" in fam:
            compiled["context_match"] = {k: Cue(sub(join(v))) for k, v in fam["context_match"].items()}
        out[key] = compiled
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


def sentence_hits(fam: dict, s: Sentence) -> Span | None:
    m = fam["match"].search(s.text)
    if m is None or m.end() == m.start() or _exempt(fam, s.text):
        return None
    if "require_any" in fam and not fam["require_any"].search(s.text):
        return None
    return Span(s.text[m.start() : m.end()], s.start + m.start(), s.start + m.end())


@lru_cache(maxsize=512)
def _context_hit(key: str, context: str) -> bool:
    return bool(families()[key]["context_match"]["context"].search(context))


def find_all(response: str, context: str | None, sents: list[Sentence]) -> list[tuple[str, Span]]:
    """(code, span) for every family that fires on the reply, at most one per family."""
    out = []
    for key, fam in families().items():
        hit = None
        for s in sents:
            hit = sentence_hits(fam, s)
            if hit:
                break
        if hit is None and context and "context_match" in fam and _context_hit(key, context):
            m = fam["context_match"]["reply"].search(response)
            if m and m.end() > m.start() and not _exempt(fam, response):
                hit = Span(response[m.start() : m.end()], m.start(), m.end())
        if hit is None:
            continue
        if "unless_reply" in fam and fam["unless_reply"].search(response):
            continue
        out.append((fam["code"], hit))
    return out


def flag(code: str, span: Span) -> Flag:
    fam = info(code)
    return Flag(code, span, fam["message"], fam["suggestion"], "warning", fam["module"])
