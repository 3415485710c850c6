"""The one formula for tick-all-that-apply credit, used by knowledge checks and by grading.

credit = right ticks / all right options - wrong ticks / all wrong options, floored at 0. Ticking
everything scores 0 (when there are wrong options), ticking nothing scores 0, and each missed or
wrong tick costs the same share whatever the number of options.
"""

from __future__ import annotations

from collections.abc import Collection


def tick_all(ticked: Collection, right: Collection, options: Collection) -> float:
    right, ticked = set(right), set(ticked)
    wrong = set(options) - right
    frac = (len(ticked & right) / len(right) if right else 0.0) - (len(ticked & wrong) / len(wrong) if wrong else 0.0)
    return max(frac, 0.0)
