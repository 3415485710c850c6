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


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "?", "!", "”")) else text + "."


def _answer_or_note(item: Item):
    try:
        return saved_answer(item.id, item), None
    except BadAnswer as exc:
        return None, f"No usable answer was saved for this item ({exc}) so it scores 0."


@_safe
def mark_single(item: Item, *, key: str, points: float, why: str, partial: dict[str, float] | None = None,
                notes: dict[str, str] | None = None) -> Marked:
    """One best option (`key`); `partial` gives a fraction of the points for a near miss."""
    value, note = _answer_or_note(item)
    best = _sentence(f"The best answer is {item.option_label(key)}")
    if value is None:
        return Marked(item.id, 0, points, [note, f"{best} {why}"], item.title)
    if value == key:
        return Marked(item.id, points, points, [f"You chose {item.letter(value)}: well done, that is the best answer. {why}"],
                      item.title)
    lines = [_sentence(f"You chose {item.option_label(value)}")]
    if notes and value in notes:
        lines.append(notes[value])
    lines.append(f"{best} {why}")
    return Marked(item.id, points * (partial or {}).get(value, 0.0), points, lines, item.title)


@_safe
def mark_multiple(item: Item, *, key: list[str], points: float, why: str, notes: dict[str, str] | None = None) -> Marked:
    """Tick all that apply. Credit = right ticks / all right options - wrong ticks / all wrong options, floor 0."""
    value, note = _answer_or_note(item)
    right, wrong = set(key), set(item.options) - set(key)
    fits = ", ".join(item.letter(o) for o in item.options if o in right)
    if value is None:
        return Marked(item.id, 0, points, [note, f"The options that fit are {fits}. {why}"], item.title)
    ticked = set(value)
    frac = len(ticked & right) / len(right) - (len(ticked & wrong) / len(wrong) if wrong else 0.0)
    lines = [f"You ticked {', '.join(item.letter(o) for o in item.options if o in ticked)}; the options that fit are {fits}.", why]
    for o in item.options:
        if notes and o in notes and ((o in ticked) != (o in right)):
            lines.append(f"{item.letter(o)}: {notes[o]}")
    return Marked(item.id, points * max(frac, 0.0), points, lines, item.title)


@_safe
def mark_classify(item: Item, *, key: dict[str, str], points: float, why: dict[str, str] | None = None) -> Marked:
    """Label each response; each correct label earns an equal share of the points."""
    value, note = _answer_or_note(item)
    value = value or {}
    share = points / len(key)
    earned, lines = 0.0, [note] if note else []
    for n, (sid, right) in enumerate(key.items(), 1):
        said = value.get(sid)
        label = item.categories.get(right, right)
        reason = (why or {}).get(sid, "")
        if said == right:
            earned += share
            lines.append(f"{n}. You said {label}: right. {reason}".strip())
        else:
            yours = item.categories.get(said, "nothing") if said else "nothing"
            lines.append(f"{n}. You said {yours}; this one is {label}. {reason}".strip())
    return Marked(item.id, earned, points, lines, item.title)


@_safe
def mark_scenario(item: Item, *, decisions: dict[str, dict[str, float]], points: float) -> Marked:
    """Grade the first choice made at each marked decision point (node id -> choice id -> fraction)."""
    from .decisions import load_scenario, replay

    scenario = load_scenario(item)
    value, note = _answer_or_note(item)
    history = []
    if value is not None:
        try:
            history = replay(scenario, value).history
        except BadAnswer as exc:
            note = f"Your saved path could not be replayed ({exc}) so it scores 0."
    first = {}
    for step in history:
        first.setdefault(step.node_id, step.choice)
    share = points / len(decisions)
    name = scenario.persona.name
    earned, lines = 0.0, [note] if note else []
    for node_id, credit in decisions.items():
        node = scenario.nodes[node_id]
        best = max(node.choices, key=lambda c: credit.get(c.id, 0.0))
        said = node.says if len(node.says) <= 90 else node.says[:87].rsplit(" ", 1)[0] + "…"
        picked = first.get(node_id)
        if picked is None:
            lines.append(f"When {name} said “{said}”, your path did not reach this moment. A strong reply: “{best.text}” {best.feedback}")
            continue
        earned += share * credit.get(picked.id, 0.0)
        if credit.get(picked.id, 0.0) >= credit.get(best.id, 0.0):
            lines.append(f"When {name} said “{said}”, you replied “{picked.text}” Well chosen: {picked.feedback}")
        else:
            lines.append(f"When {name} said “{said}”, you replied “{picked.text}” {picked.feedback} "
                         f"A stronger reply: “{best.text}” {best.feedback}")
    return Marked(item.id, earned, points, lines, item.title)
