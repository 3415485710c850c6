"""The response coach: instant, explainable feedback on a trainee's own words (see docs/coach.md).

    from peersupport.coach import analyze
    fb = analyze("It sounds like you're exhausted.", context="I haven't slept in days.")
    fb.behaviour, fb.reflection_type, fb.empathy, fb.flags, fb.summary

Behaviour codes follow MITI 4.2.1; empathy follows EPITOME (Sharma et al., EMNLP 2020).
Rules and lexicons are data files in `peersupport/coach/data/`; nothing is fetched at run time.
"""

from __future__ import annotations

from .analyzer import analyze, analyze_many
from .language import check_language
from .model import BEHAVIOURS, MECHANISMS, Evidence, Feedback, Flag, Span

__all__ = [
           "BEHAVIOURS",
           "MECHANISMS",
           "Evidence",
           "Feedback",
           "Flag",
           "Span",
           "analyze",
           "analyze_many",
           "check_language",
]
