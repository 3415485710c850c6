"""Peer support curriculum: what the teaching notebooks call.

Each trainee-facing code cell is one short line, for example::

    from peersupport import play
    play("active-listening/first-visit")
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["exchange_check", "knowledge_check", "play", "practice", "transcript"]


def play(ref: str):
    """Show the branching scenario `module-slug/scenario-id` as a widget."""
    from .widgets.scenario import play as _play

    return _play(ref)


def transcript(ref: str) -> str:
    """The scenario's opening and choices as plain text (for printing or reading aloud)."""
    from .widgets.scenario import transcript as _transcript

    return _transcript(ref)


def knowledge_check(module: str):
    """Show the module's knowledge check (instant feedback, not graded)."""
    from .widgets.quiz import knowledge_check as _kc

    return _kc(module)


def practice(context: str | None = None):
    """Free-text practice with the response coach: type a reply, press 'Get feedback'."""
    from .widgets.practice import practice as _practice

    return _practice(context)


def exchange_check():
    """Paste a short practice exchange ('Me:' / 'Them:' lines): counts of questions and reflections
    against the MITI thresholds, from the response coach (a practice aid, not a grade)."""
    from .widgets.exchange import exchange_check as _exchange_check

    return _exchange_check()
