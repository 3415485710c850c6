"""One or two plain, kind sentences for the trainee."""

from __future__ import annotations

from .model import Flag
from .resources import load_yaml

_NAMES = {"emotional_reactions": "warmth", "interpretations": "showing you understand",
          "explorations": "exploring their experience"}


def summarize(behaviour: str, question_type: str | None, reflection_type: str | None, empathy: dict[str, int],
              flags: list[Flag], noticed: str = "") -> str:
    """`noticed` (when the coach is unsure of the behaviour) replaces the sentence naming it."""
    s = load_yaml("messages.yaml")["summary"]
    first = s[behaviour]
    if behaviour == "question":
        first = first[question_type or "open"]
    elif behaviour == "reflection":
        first = first[reflection_type or "simple"]
    if noticed:
        first = noticed
    warnings = [f for f in flags if f.severity == "warning"] or flags
    if warnings:
        return f"{first} {s['flag_lead'].format(message=warnings[0].message)}"
    present = [_NAMES[k] for k, v in empathy.items() if v]
    if present:
        joined = present[0] if len(present) == 1 else ", ".join(present[:-1]) + " and " + present[-1]
        return f"{first} {s['empathy_good'].format(mechanisms=joined)}"
    return f"{first} {s['empathy_none']}"


def empty_summary() -> str:
    return load_yaml("messages.yaml")["summary"]["empty"]
