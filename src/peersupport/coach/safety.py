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
    sub1 = lambda src: _NAME.sub(lambda m: frags[m.group(1)] if m.group(1) in frags else m.group(0), src)
    sub = lambda src: sub1(sub1(src))  # a fragment may name another ({risk2} holds {risk})
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
    for key in ("broad", "broad_more"):
        for code, groups in data.get(key, {}).items():
            fam = next(f for f in out.values() if f["code"] == code)
            fam.setdefault("broad", []).extend([Cue(sub(p)) for p in group] for group in groups)
    for code in data.get("broad", {}):
        fam = next(f for f in out.values() if f["code"] == code)
        fam["broad_unless"] = Cue(sub(join(data["broad_unless"][code])))
    for key, src in data.get("gates", {}).items():
        out[key]["gate"] = Cue(sub(src))
    for code, moves in (data.get("moves") or {}).items():
        fam = next(f for f in out.values() if f["code"] == code)
        fam["moves"] = [{**{part: Cue(sub(join(mv[part]))) for part in ("ctx", "reply", "unless") if part in mv},
                         "also": [Cue(sub(p)) for p in mv.get("also", [])]} for mv in moves]
    for code, groups in data.get("broad_reply", {}).items():
        fam = next(f for f in out.values() if f["code"] == code)
        fam["broad_reply"] = [[(p.startswith("ctx:"), Cue(sub(p.removeprefix("ctx:")))) for p in group]
                              for group in groups]
        fam["broad_reply_unless"] = Cue(sub(join(data["broad_reply_unless"][code])))
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


# Spoken and typed style: fillers and false starts ("uh", "I- I'd", "like,") are dropped, and typed shorthand
# is spelled out ("u" -> "you", "dont" -> "don't", "gonna" -> "going to") in a copy that is matched when the
# words as typed do not match; the flag then points at the whole sentence.
_SPOKEN = re.compile(r"\b(?:uh+|um+|umm+|erm|er|hmm+|ah|like,|you know,|i mean,|i guess,|so,|well,|okay so,|ok so,)(?:,|\s)+"
                     r"|\b[\w']+-\s+|,|\b(?:lol|lmao|tbh|omg|haha+|ngl|fr)\b", re.IGNORECASE)
_TYPED = {
    "u": "you", "ya": "you", "yu": "you", "yo": "you", "r": "are", "im": "i'm", "ive": "i've", "ill": "i'll",
    "id": "i'd", "youre": "you're", "youll": "you'll", "youd": "you'd", "youve": "you've", "dont": "don't",
    "wont": "won't", "cant": "can't", "isnt": "isn't", "arent": "aren't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "didnt": "didn't", "doesnt": "doesn't", "havent": "haven't", "thats": "that's",
    "its": "it's", "theyre": "they're", "theyll": "they'll", "whats": "what's", "lets": "let's", "hes": "he's",
    "shes": "she's", "gonna": "going to", "wanna": "want to", "gotta": "got to", "tho": "though",
    "rn": "right now", "prob": "probably", "probs": "probably", "def": "definitely", "w": "with", "w/": "with",
    "bc": "because", "cuz": "because", "coz": "because", "pls": "please", "plz": "please", "dw": "don't worry",
    "idk": "i don't know", "ofc": "of course", "bout": "about", "b4": "before", "tonite": "tonight",
    "2nite": "tonight", "2moro": "tomorrow", "tmrw": "tomorrow", "ppl": "people", "smth": "something",
    "sth": "something", "urself": "yourself", "yourselfs": "yourself", "ur": "your", "ty": "thank you",
    "thx": "thanks", "k": "okay", "kk": "okay", "ok": "okay", "yep": "yes", "yup": "yes", "ya'll": "you all",
    "nah": "no", "abt": "about", "dr": "doctor", "meds": "meds", "y": "why", "n": "and", "&": "and",
}
# "ur" is "you're" before these words, "your" otherwise
_UR_YOU_ARE = frozenset(["not", "so", "just", "really", "definitely", "probably", "prob", "totally", "always", "never", "a", "an", "being", "doing", "thinking", "going", "gonna", "manic", "depressed", "bipolar", "fine", "ok", "okay", "safe", "welcome", "right", "the", "in", "on", "at", "all"])
_ER = re.compile(r"\bE\.?R\b")  # "the ER", before "er" is dropped as a filler
_TOKEN = re.compile(r"[\w'&/]+|[^\w\s]")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lowercased, fillers and false starts dropped, typed shorthand spelled out (for matching only)."""
    text = _ER.sub("emergency room", text.replace("\u2019", "'").replace("\u2018", "'"))
    low = _SPOKEN.sub(" ", text.lower())
    toks = _TOKEN.findall(low)
    out = []
    for i, t in enumerate(toks):
        if t == "ya" and (not out or out[-1] in ".!?"):
            out.append("yeah")
        elif t == "ur" and i + 1 < len(toks) and toks[i + 1] in _UR_YOU_ARE:
            out.append("you're")
        elif t == "u" and i + 1 < len(toks) and toks[i + 1] in ("r", "are") and out and out[-1] in ("can", "will"):
            out.append("you")
        else:
            out.append(_TYPED.get(t, t))
    s = " ".join(out)
    s = re.sub(r" ([?.!;:]) ?", r"\1 ", s).strip()
    return re.sub(r"\b(\w+(?:'\w+)?) \1\b", r"\1", s)  # "you're you're" -> "you're"


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
    clean = normalize(text)
    if hit is None and _hit(fam, clean):
        return s.span
    for group in fam.get("broad", ()):
        if all(p.search(clean) for p in group) and not fam["broad_unless"].search(clean) and not _exempt(fam, clean):
            return s.span
    return None


@lru_cache(maxsize=2048)
def _move_ctx(code: str, i: int, nctx: str) -> bool:
    return bool(info(code)["moves"][i]["ctx"].search(nctx))


def move_hit(fam: dict, response: str, nresp: str, nctx: str, sents: list[Sentence] = ()) -> Span | None:
    """A *move* (data/safety.yaml `moves`): what the reply does, read on the normalized reply, often together
    with what the person just said (accepting what they offer, ending the talk after a crisis disclosure)."""
    for i, mv in enumerate(fam.get("moves", ())):
        if "ctx" in mv and not (nctx and _move_ctx(fam["code"], i, nctx)):
            continue
        if not mv["reply"].search(nresp) or ("unless" in mv and mv["unless"].search(nresp)) \
                or not all(p.search(nresp) for p in mv["also"]):
            continue
        m = mv["reply"].search(response)
        if m and m.end() > m.start():
            return Span(response[m.start() : m.end()], m.start(), m.end())
        for s in sents:  # else the sentence that holds the move, else the whole reply
            if mv["reply"].search(normalize(s.text)):
                return s.span
        return Span(response.strip(), len(response) - len(response.lstrip()), len(response.rstrip()))
    return None


@lru_cache(maxsize=512)
def _context_hit(key: str, context: str) -> bool:
    return bool(families()[key]["context_match"]["context"].search(context))


def find_all(response: str, context: str | None, sents: list[Sentence]) -> list[tuple[str, Span]]:
    """(code, span) for every family that fires on the reply, at most one per family: its patterns first,
    then its moves."""
    out = []
    nresp = normalize(response)
    nctx = normalize(context) if context else ""
    for key, fam in families().items():
        hit = _rule_hit(key, fam, response, context, sents, nresp, nctx)
        if hit is None and sents and "moves" in fam:
            hit = move_hit(fam, response, nresp, nctx, sents)
        if hit is not None:
            out.append((fam["code"], hit))
    return out


def _rule_hit(key: str, fam: dict, response: str, context: str | None, sents: list[Sentence], nresp: str,
              nctx: str) -> Span | None:
    if "gate" in fam and not fam["gate"].search(nresp) and not fam["gate"].search(response) \
            and not (context and "context_match" in fam and _context_hit(key, context)):
        return None
    hit = None
    for i, s in enumerate(sents):
        nxt = sents[i + 1] if i + 1 < len(sents) and len(sents[i + 1].text.split()) <= 4 else None
        hit = sentence_hits(fam, s, nxt)
        if hit:
            break
    for group in fam["reply_all"]:
        if hit is None and all(p.search(response) for p in group) and not _exempt(fam, response):
            hit = Span(sents[0].text, sents[0].start, sents[0].end) if sents else None
    for group in fam.get("broad_reply", ()):
        if hit is None and sents and all(p.search(nctx if on_ctx else nresp) for on_ctx, p in group) \
                and not fam["broad_reply_unless"].search(nresp):
            hit = Span(response.strip(), len(response) - len(response.lstrip()), len(response.rstrip()))
    if hit is None and context and "context_match" in fam and _context_hit(key, context):
        m = fam["context_match"]["reply"].search(response)
        if m and m.end() > m.start() and not _exempt(fam, response):
            hit = Span(response[m.start() : m.end()], m.start(), m.end())
        elif m is None and fam["context_match"]["reply"].search(nresp) and not _exempt(fam, nresp):
            hit = Span(response.strip(), len(response) - len(response.lstrip()), len(response.rstrip()))
    if hit is None:
        return None
    if "unless_reply" in fam and (fam["unless_reply"].search(response) or fam["unless_reply"].search(nresp)):
        return None
    if fam["code"] == "diagnosing" and context and _named_by_them(hit.text, context):
        return None  # the person named it first ("my depression"): using their word is not diagnosing
    if "require_any_reply" in fam and not fam["require_any_reply"].search(response):
        return None
    return hit


@cache
def _dx() -> re.Pattern:
    return re.compile(r"\b(?:" + load_yaml(_FILE)["fragments"]["dx"] + r")", re.IGNORECASE)


def _named_by_them(span_text: str, context: str) -> bool:
    """Every diagnosis word in the flagged words also appears in the person's own words."""
    said = {m.group().lower()[:6] for m in _dx().finditer(context)}
    mine = {m.group().lower()[:6] for m in _dx().finditer(span_text)}
    return bool(mine) and mine <= said


def flag(code: str, span: Span) -> Flag:
    fam = info(code)
    return Flag(code, span, fam["message"], fam["suggestion"], "warning", fam["module"])
