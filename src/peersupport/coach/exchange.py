"""A self-check on a short practice exchange: counts of questions and reflections against the
MITI 4.2.1 summary thresholds (Moyers, Manuel & Ernst, 2014; described, not reproduced).

The trainee pastes a few lines of a practice conversation of their own, marking their own turns
"Me:" and the other person's "Them:". Each of the trainee's turns is split into sentences and each
sentence is coded by the coach; the counts give:

- reflection-to-question ratio (R:Q): about 1:1 is "fair", 2:1 or more is "good";
- percent complex reflections (%CR): 40 % is "fair", 50 % or more is "good".

These are practice figures from a rule-based coach, not a MITI rating: a trained coder listens to
20 minutes of a real session. The coach only suggests; nothing here is a grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analyzer import analyze

RQ_FAIR, RQ_GOOD = 1.0, 2.0
CR_FAIR, CR_GOOD = 0.40, 0.50
_SPEAKER = re.compile(r"^\s*(me|i|you|peer|them|they|person|client|participant|p)\s*[:\-–]\s*(.*)$", re.IGNORECASE)
_MINE = {"me", "i", "you", "peer"}
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


class ExchangeError(ValueError):
    """The pasted text has no turns marked 'Me:'; the message says what to do."""


@dataclass
class ExchangeCounts:
    turns: int = 0
    questions: int = 0
    open_questions: int = 0
    reflections: int = 0
    complex_reflections: int = 0
    coded: list[tuple[str, str]] = field(default_factory=list)  # (sentence, label shown)

    @property
    def rq(self) -> float | None:
        return self.reflections / self.questions if self.questions else None

    @property
    def complex_share(self) -> float | None:
        return self.complex_reflections / self.reflections if self.reflections else None

    def verdicts(self) -> list[str]:
        out = []
        if self.rq is None:
            out.append(f"Reflections to questions: {self.reflections} to 0. You asked no questions; "
                       "that is fine if you were reflecting, and one open question can invite more.")
        else:
            level = "good" if self.rq >= RQ_GOOD else "fair" if self.rq >= RQ_FAIR else "below the fair level"
            out.append(f"Reflections to questions: {self.reflections} to {self.questions} (ratio {self.rq:.1f}; "
                       f"MITI calls 1:1 fair and 2:1 good): {level}.")
        if self.complex_share is None:
            out.append("No reflections yet: try saying back what you heard, in your own words.")
        else:
            share = self.complex_share
            level = "good" if share >= CR_GOOD else "fair" if share >= CR_FAIR else "below the fair level"
            out.append(f"Complex reflections: {self.complex_reflections} of {self.reflections} ({share:.0%}; "
                       f"MITI calls 40 % fair and 50 % good): {level}.")
        return out


def parse(text: str) -> list[tuple[str, str]]:
    """(speaker, words) pairs; speaker is 'me' or 'them'. Lines without a label continue the last turn."""
    turns: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        m = _SPEAKER.match(line)
        if m:
            who = "me" if m.group(1).lower() in _MINE else "them"
            turns.append((who, m.group(2).strip()))
        elif turns:
            turns[-1] = (turns[-1][0], (turns[-1][1] + " " + line.strip()).strip())
    if not any(who == "me" and words for who, words in turns):
        raise ExchangeError('Mark your own lines "Me:" and the other person\'s "Them:", one turn per line.')
    return turns


def count(text: str) -> ExchangeCounts:
    """Code each sentence of the trainee's turns, with the other person's last words as context."""
    counts = ExchangeCounts()
    context = None
    for who, words in parse(text):
        if who == "them":
            context = words
            continue
        counts.turns += 1
        for sentence in (s for s in _SENTENCES.split(words) if s.strip()):
            fb = analyze(sentence, context=context)
            label = fb.behaviour
            if label == "question":
                counts.questions += 1
                counts.open_questions += fb.question_type == "open"
                shown = f"{fb.question_type or ''} question".strip()
            elif label == "reflection":
                counts.reflections += 1
                counts.complex_reflections += fb.reflection_type == "complex"
                shown = f"{fb.reflection_type or ''} reflection".strip()
            else:
                shown = label.replace("_", " ")
            counts.coded.append((sentence, shown))
    return counts
