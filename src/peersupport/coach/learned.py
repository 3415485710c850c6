"""A small learned scorer behind the safety and boundary rules: one logistic regression per family over the
words of the normalized reply, their bigrams, and *concept classes* (data/learned.yaml: a medicine, a change
to how it is taken, a supplement, a crisis resource, leaving or later, goods and favours, accepting...), so a
reply that carries the move in words the rules never listed can still be flagged. Weights are data
(data/flag_model.json, written by `python benchmarks/train_flags.py` from the project's own MIT tables only);
scoring is pure Python, a few dictionary look-ups per word. The flag's span is the words that pushed the
score up, so the trainee sees what was noticed."""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations

from .model import Span
from .resources import Cue, join, load_yaml
from .safety import _named_by_them, families, normalize
from .text import Sentence

_TOKEN = re.compile(r"[a-z0-9$']+|\?")
_WORD = re.compile(r"[\w$']+")
CTX_CLASSES = ("MED", "GOODS", "SECRET", "DX", "OFFER")


@cache
def _classes() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(join(alts))) for name, alts in load_yaml("learned.yaml")["concepts"].items()]


@lru_cache(maxsize=16384)
def token_classes(tok: str) -> tuple[str, ...]:
    return tuple(name for name, pat in _classes() if pat.fullmatch(tok))


@cache
def _crisis() -> Cue:
    return families()["handoff_not_staying"]["context_match"]["context"]


@lru_cache(maxsize=512)
def context_features(context: str | None) -> tuple[str, ...]:
    """The person's words, reduced to a few classes: a crisis disclosure, a medicine, an offer, secrecy..."""
    if not context:
        return ()
    out = ["x:CRISIS"] if _crisis().search(context) else []
    found = {c for t in _TOKEN.findall(normalize(context)) for c in token_classes(t)}
    return tuple(out + [f"x:{c}" for c in CTX_CLASSES if c in found])


def features(response: str, context: str | None = None) -> set[str]:
    """Binary features of a reply (with the person's words); also used by the training script."""
    toks = _TOKEN.findall(normalize(response))
    cls = [token_classes(t) for t in toks]
    feats = {"w:" + t for t in toks}
    present = {c for cs in cls for c in cs}
    feats.update("c:" + c for c in present)
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        feats.add(f"b:{a}_{b}")
        for x in cls[i]:
            feats.add(f"cb:{x}_{b}")
            feats.update(f"cb:{x}_{y}" for y in cls[i + 1])
        feats.update(f"cb:{a}_{y}" for y in cls[i + 1])
    feats.update(f"p:{a}+{b}" for a, b in combinations(sorted(present), 2))
    ctx = context_features(context)
    feats.update(ctx)
    for x in ctx:
        feats.update(f"{x}&{c}" for c in present)
    return feats


@cache
def model() -> dict:
    raw = resources.files("peersupport.coach").joinpath("data").joinpath("flag_model.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    data["threshold"] = load_yaml("learned.yaml")["threshold"]
    return data


def scores(response: str, context: str | None = None) -> dict[str, float]:
    """Probability per family code."""
    m = model()
    z = list(m["bias"])
    weights = m["weights"]
    for f in features(response, context):
        w = weights.get(f)
        if w is not None:
            for k, v in enumerate(w):
                z[k] += v
    return {code: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s)))) for code, s in zip(m["codes"], z)}


def _contributions(k: int, text: str, context: str | None = None) -> list[tuple[re.Match, float]]:
    """Each word of `text` with what it adds to family k's score: its own word and class weights, and half of
    each bigram it is part of, and a share of each pair of classes (and of the person's words) it takes part in."""
    weights = model()["weights"]
    get = lambda f: weights[f][k] if f in weights else 0.0
    toks: list[tuple[int, str]] = []  # (word index, normalized token)
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        toks.extend((i, t) for t in _TOKEN.findall(normalize(m.group())))
    score = [0.0] * len(words)
    for j, (i, t) in enumerate(toks):
        cls = token_classes(t)
        score[i] += get("w:" + t) + sum(get("c:" + c) for c in cls)
        if j + 1 < len(toks):
            i2, t2 = toks[j + 1]
            cls2 = token_classes(t2)
            pair = get(f"b:{t}_{t2}") + sum(get(f"cb:{x}_{t2}") for x in cls) + sum(get(f"cb:{t}_{y}") for y in cls2)
            pair += sum(get(f"cb:{x}_{y}") for x in cls for y in cls2)
            score[i] += pair / 2
            score[i2] += pair / 2
    holders: dict[str, set[int]] = {}  # class -> the words that carry it
    for i, t in toks:
        for c in token_classes(t):
            holders.setdefault(c, set()).add(i)
    shares = [(get(f"p:{a}+{b}") / 2, a, b) for a, b in combinations(sorted(holders), 2)]
    shares = [(w, a) for w, a, b in shares] + [(w, b) for w, a, b in shares]
    shares += [(get(f"{x}&{c}"), c) for x in context_features(context) for c in holders]
    for w, c in shares:
        for i in holders[c]:
            score[i] += w / len(holders[c])
    return list(zip(words, score))


def explain(code: str, response: str, context: str | None, sents: list[Sentence]) -> Span:
    """The sentence that scores highest for the family, narrowed to the words that push the score up."""
    k = model()["codes"].index(code)
    best = max(sents, key=lambda s: scores(s.text, context)[code]) if len(sents) > 1 else sents[0]
    contrib = _contributions(k, best.text, context)
    top = max((c for _, c in contrib), default=0.0)
    marked = [m for m, c in contrib if c > 0.5 and c >= top / 3]
    if not marked:
        return best.span
    a, b = marked[0].start(), marked[-1].end()
    return Span(best.text[a:b], best.start + a, best.start + b)


def find(response: str, context: str | None, sents: list[Sentence], skip: set[str]) -> list[tuple[str, Span]]:
    """(code, span) for each family (not in `skip`) whose score passes the threshold."""
    if not sents:
        return []
    thr = model()["threshold"]
    out = []
    for code, p in scores(response, context).items():
        if code in skip or p < thr:
            continue
        span = explain(code, response, context, sents)
        if code == "diagnosing" and context and _named_by_them(span.text, context):
            continue  # the person named it first: using their word is not diagnosing (as in the rules)
        out.append((code, span))
    return out
