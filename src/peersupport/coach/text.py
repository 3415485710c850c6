"""Split text into sentences and clauses with character offsets into the original string.

Offsets always index the caller's string (we never lower-case or normalise a copy, since that
can change its length), so every label and flag can point at the exact words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

# A sentence ends at ., !, ?, an ellipsis or a line break; runs of those stay with the sentence.
_SENTENCE = re.compile(r"[^.!?\n\u2026]+(?:[.!?\u2026]+[\"'\u201d\u2019)]*|\n+|$)")
_CLAUSE = re.compile(r"[^,;:\u2014\u2013]+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
FILLERS = frozenset(
    ["so", "and", "but", "um", "umm", "uh", "uhh", "er", "hmm", "ok", "okay", "well", "yeah", "yea", "yes", "no", "oh", "ah", "hey", "alright", "right", "now", "then", "also", "honestly", "anyway", "mm", "mhm", "just", "see", "look", "listen", "wow", "gosh", "man", "dude", "bro", "aw", "aww"]
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int

    @property
    def span(self) -> Span:
        return Span(self.text, self.start, self.end)

    @property
    def is_question_marked(self) -> bool:
        return "?" in self.text


def sentences(text: str) -> list[Sentence]:
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped or not any(ch.isalnum() for ch in stripped):
            if stripped and out:  # emoji-only tail: keep it with the sentence before
                prev = out[-1]
                out[-1] = Sentence(text[prev.start : m.end()].rstrip(), prev.start, prev.start + len(text[prev.start : m.end()].rstrip()))
            elif stripped:
                start = m.start() + raw.index(stripped[0])
                out.append(Sentence(stripped, start, start + len(stripped)))
            continue
        start = m.start() + raw.index(stripped[0])
        out.append(Sentence(stripped, start, start + len(stripped)))
    return out


def clauses(sentence: Sentence) -> list[Sentence]:
    """Comma/semicolon/dash pieces of a sentence (for 'X, are you safe?' style questions)."""
    out = []
    for m in _CLAUSE.finditer(sentence.text):
        piece = m.group()
        stripped = piece.strip()
        if stripped:
            start = sentence.start + m.start() + piece.index(stripped[0])
            out.append(Sentence(stripped, start, start + len(stripped)))
    return out or [sentence]


def words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def first_words(text: str, n: int = 3) -> list[str]:
    """The first `n` words after leading fillers ('so', 'um', 'okay' ...)."""
    ws = words(text[:300])
    i = 0
    while i < len(ws) - 1 and ws[i] in FILLERS:
        i += 1
    return ws[i : i + n]


def content_stems(text: str, stop: frozenset[str]) -> set[str]:
    """Crude stems (first five letters) of the non-stop words: enough to compare with the context."""
    return {w[:5] for w in words(text) if len(w) > 2 and w not in stop}
