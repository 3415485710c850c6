"""Say less when unsure: a behaviour label is shown to a trainee only when its evidence is strong.

Weak evidence (a reflection guessed only from "you" or shared words, information guessed only from a
word about services, or nothing recognisable) gives no category: the coach says what it noticed instead.
The wording is data (messages.yaml, `noticed`).
"""

from __future__ import annotations

from .decide import Decision
from .resources import load_yaml


def confidence(d: Decision) -> tuple[str | None, str]:
    """(the behaviour to show, or None; a note on what was noticed when it is None)."""
    act = d.behaviour_act
    notes = load_yaml("messages.yaml")["noticed"]
    if act is None:
        return None, notes["nothing"]
    if d.behaviour == "reflection" and act.detail == "weak":
        return None, notes["about_them"].format(words=act.sentence.text[:80])
    if d.behaviour == "information" and act.detail == "weak":
        return None, notes["services"].format(words=act.span.text[:80])
    if d.behaviour == "other" and act.kind not in ("reassure", "encourage", "sympathy"):
        return None, notes["nothing"]
    return d.behaviour, ""
