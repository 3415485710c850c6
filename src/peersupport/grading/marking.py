"""Scoring for hidden tests: each function returns a ``Marked`` result and never raises.

A hidden test cell ends with one call, for example::

    mark_single("al-q1", key="b", points=1, why="...")

nbgrader reads the cell's last value as partial credit (its plain-text form is the number of
points); the HTML form is the feedback the trainee sees after grading: what the better answer
was and why. A missing or unreadable answer scores 0 for that item only.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from .answers import AnswerStore
from .items import BadAnswer, Item, load_items
from .trainee import saved_answer


class Marked:
    def __init__(self, item_id: str, points: float, max_points: float, lines: list[str], title: str = ""):
        self.item_id, self.max_points = item_id, float(max_points)
        self.points = round(min(max(float(points), 0.0), self.max_points), 2)
        self.lines, self.title = lines, title or item_id

    def __repr__(self) -> str:  # nbgrader parses this as the cell's score
        return f"{self.points:g}"

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in self.lines)
        return (f"<div class='peersupport-feedback'><p><b>{html.escape(self.title)}: "
                f"{self.points:g} of {self.max_points:g} point(s).</b></p>{body}</div>")


def _not_graded(exc: Exception) -> str:
    return f"This item could not be graded automatically ({exc.__class__.__name__}); your instructor will look at it."


def _safe(fn: Callable[..., Marked]) -> Callable[..., Marked]:
    def wrapper(item_id: str, *args, points: float, **kwargs) -> Marked:
        try:
            item = load_items().get(item_id).arranged(AnswerStore().who)
        except Exception as exc:  # noqa: BLE001 - a grading cell must never crash
            return Marked(item_id, 0, points, [_not_graded(exc)])
        try:
            return fn(item, *args, points=points, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return Marked(item_id, 0, points, [_not_graded(exc)], item.title)

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _answer_or_note(item: Item):
    try:
        return saved_answer(item.id, item), None
    except BadAnswer as exc:
        return None, f"No usable answer was saved for this item ({exc}) so it scores 0."


def _mark(item: Item, points: float, **key) -> Marked:
    """The item's kind marks the saved answer (grading/kinds/<kind>.py); a missing answer scores 0 with a note."""
    from .kinds import kind_of

    value, note = _answer_or_note(item)
    fraction, lines = kind_of(item).mark(item, value, **key)
    return Marked(item.id, points * fraction, points, ([note] if note else []) + lines, item.title)


@_safe
def mark_single(item: Item, *, key: str, points: float, why: str, partial: dict[str, float] | None = None,
                notes: dict[str, str] | None = None) -> Marked:
    """One best option (`key`); `partial` gives a fraction of the points for a near miss."""
    return _mark(item, points, key=key, why=why, partial=partial, notes=notes)


@_safe
def mark_multiple(item: Item, *, key: list[str], points: float, why: str, notes: dict[str, str] | None = None) -> Marked:
    """Tick all that apply (credit: grading/kinds/credit.py)."""
    return _mark(item, points, key=key, why=why, notes=notes)


@_safe
def mark_classify(item: Item, *, key: dict[str, str], points: float, why: dict[str, str] | None = None) -> Marked:
    """Label each response; each correct label earns an equal share of the points."""
    return _mark(item, points, key=key, why=why)


@_safe
def mark_scenario(item: Item, *, decisions: dict[str, dict[str, float]], points: float) -> Marked:
    """Grade the first choice made at each marked decision point (node id -> choice id -> fraction)."""
    return _mark(item, points, decisions=decisions)
