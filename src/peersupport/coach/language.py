"""The language checker: stigmatizing or not person-first wording, with the preferred wording.

Usable on its own over any text (scenario files, notebooks, a trainee's reply)::

    from peersupport.coach.language import check_language
    for flag in check_language(text):
        print(flag.span.text, "->", flag.suggestion)

Precise on ordinary teaching prose: "child abuse" or "abuse of a vulnerable adult" is not flagged
("substance abuse" is); proper names (Alcoholics Anonymous, the National Institute on Drug Abuse)
are not flagged; words in quotation marks, `backticks` or *emphasis* are quoted speech or a mention
of the word itself, and so are links; people may describe themselves their own way ("I'm an addict",
"I relapsed").
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache

from .model import Flag, Span
from .resources import join, load_yaml

CODE = "stigma_language"
_QUOTES = re.compile(r"\u201c[^\u201d\n]{0,2000}\u201d|\"[^\"\n]{0,2000}\"|(?<![\w])\u2018[^\u2019\n]{0,300}\u2019(?![\w])"
                     r"|(?<![\w'])'[^'\n]{1,80}'(?![\w])|`[^`\n]{1,200}`|(?<![\w*])\*[^*\n]{1,80}\*(?![\w*])"
                     r"|(?<![\w_])_[^_\n]{1,80}_(?![\w_])")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_SELF = re.compile(r"\b(?:i'?m|i\u2019m|i am|i was|i've been|i\u2019ve been|i have been|i got|i get|i feel like|i felt like|"
                   r"we'?re|we\u2019re|we are|we were|myself|ourselves)\b|\bi(?=\s)", re.IGNORECASE)
_OTHER_PERSON = re.compile(r"\b(?:he|she|they|his|her|him|them|their|you|your|u|ur|people|everyone|who|that|this)\b",
                           re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|isn't|isn\u2019t|aren't|aren\u2019t|n't|no)\s+(?:\w+\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    id: str
    regex: re.Pattern
    prefer: str
    why: str
    severity: str
    self_id: bool
    skip_negated: bool
    hints: tuple[str, ...]


@lru_cache(maxsize=1)
def _terms() -> tuple[tuple[Term, ...], re.Pattern]:
    data = load_yaml("language.yaml")
    terms = tuple(
        Term(
            id=t["id"],
            regex=re.compile(join(t["pattern"]), 0 if t.get("case_sensitive") else re.IGNORECASE),
            prefer=t["prefer"],
            why=t["why"],
            severity=t.get("severity", "warning"),
            self_id=bool(t.get("self_id")),
            skip_negated=bool(t.get("skip_negated")),
            hints=tuple(h if t.get("case_sensitive") else h.lower() for h in t.get("hints", [])),
        )
        for t in data["terms"]
    )
    names = re.compile(join([re.escape(n) if "\\" not in n else n for n in data["proper_names"]]), re.IGNORECASE)
    return terms, names


def _intervals(regex: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(start: int, end: int, intervals: list[tuple[int, int]]) -> bool:
    """Is [start, end) inside one of the sorted, non-overlapping intervals? (binary search: stays linear overall)"""
    i = bisect_right(intervals, (start, float("inf"))) - 1
    return i >= 0 and intervals[i][0] <= start and end <= intervals[i][1]


def _overlaps(start: int, end: int, intervals: list[tuple[int, int]]) -> bool:
    i = bisect_right(intervals, (start, float("inf")))
    return any(0 <= j < len(intervals) and intervals[j][0] < end and start < intervals[j][1] for j in (i - 1, i))


def _self_description(text: str, start: int) -> bool:
    """'I'm an addict', 'I relapsed', 'I feel like I'm going crazy': the writer describing themselves."""
    lo = max(0, start - 40)
    before = text[lo:start]
    cut = max(before.rfind("."), before.rfind("!"), before.rfind("?"), before.rfind("\n"), before.rfind(","))
    before = before[cut + 1 :]
    last = None
    for m in _SELF.finditer(before):
        last = m
    if last is None:
        return False
    return not _OTHER_PERSON.search(before[last.end() :])


def check_language(text: str) -> list[Flag]:
    """Flags for stigmatizing / not person-first wording in `text`, in reading order."""
    if not isinstance(text, str) or not text.strip():
        return []
    terms, names = _terms()
    quoted = _intervals(_QUOTES, text) if any(q in text for q in "\"'`*_\u201c\u2018") else []
    if "://" in text or "www." in text:  # a link is an address, not prose
        quoted = sorted(quoted + _intervals(_URL, text))
        quoted = [iv for k, iv in enumerate(quoted) if k == 0 or iv[0] >= quoted[k - 1][1]]
    proper = _intervals(names, text)
    flags: list[Flag] = []
    taken: list[tuple[int, int]] = []
    lowered = text.lower()
    for term in terms:
        if term.hints and not any(h in (text if h.isupper() else lowered) for h in term.hints):
            continue
        for m in term.regex.finditer(text):
            start, end = m.start(), m.end()
            if start == end or _inside(start, end, quoted) or _overlaps(start, end, proper):
                continue
            if term.self_id and _self_description(text, start):
                continue
            if term.skip_negated and _NEGATION.search(text[max(0, start - 30) : start]):
                continue
            if _overlaps(start, end, taken):
                continue
            insort(taken, (start, end))
            word = m.group()
            flags.append(
                Flag(
                    code=CODE,
                    span=Span(word, start, end),
                    message=f'"{word}" {term.why}.',
                    suggestion=f'Try: "{term.prefer}" instead of "{word}".',
                    severity=term.severity,
                )
            )
    flags.sort(key=lambda f: f.span.start)
    return flags
