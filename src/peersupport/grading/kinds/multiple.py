"""Tick all that apply. Stored as a sorted list of option ids, e.g. ``["a", "c"]``; credit from credit.py."""

from __future__ import annotations

from typing import Any

from ..items import BadAnswer
from . import letters
from .credit import tick_all


def parse_typed(item, text: str) -> list[str]:
    return sorted(set(letters.parse(list(item.options), text)))


def check_stored(item, value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(v, str) and v in item.options for v in value)):
        raise BadAnswer("The saved answer is not a list of this item's options.")
    if not value:
        raise BadAnswer("No option is ticked yet.")
    return sorted(set(value))


def describe(item, value: Any) -> str:
    return ", ".join(item.letter(o) for o in item.options if o in value) or "nothing ticked"


def option_lines(item) -> list[str]:
    return [item.option_label(o) for o in item.options]


def reference_ids(spec) -> list[str]:
    return [o for o in spec.options if o in spec.key]


def instructions(item) -> tuple[str, str]:
    return ("every letter that applies, separated by commas",
            "Run the cell below to see the options, then tick every one that applies.")


def mark(item, value: Any, *, key: list[str], why: str, notes: dict[str, str] | None = None) -> tuple[float, list[str]]:
    fits = ", ".join(item.letter(o) for o in item.options if o in key)
    if value is None:
        return 0.0, [f"The options that fit are {fits}. {why}"]
    ticked = set(value)
    lines = [f"You ticked {describe(item, value)}; the options that fit are {fits}.", why]
    for o in item.options:
        if notes and o in notes and ((o in ticked) != (o in key)):
            lines.append(f"{item.letter(o)}: {notes[o]}")
    return tick_all(ticked, key, item.options), lines


def widget(item, store) -> dict:
    """The parts of the view: body widgets, the controls to observe, get/put the value, named attributes."""
    import html

    import ipywidgets as w

    boxes = {o: w.Checkbox(description=item.letter(o), indent=False, value=False, layout=w.Layout(width="4em"))
             for o in item.options}
    body = [w.HBox([box, w.HTML(html.escape(item.options[o]))]) for o, box in boxes.items()]

    def get():
        return sorted(o for o, box in boxes.items() if box.value)

    def put(saved):
        for o, box in boxes.items():
            box.value = bool(saved) and o in saved

    return {"body": body, "controls": list(boxes.values()), "get": get, "put": put, "attrs": {"boxes": boxes}}


def to_typed(item, value: list[str]) -> str:
    return ", ".join(item.letter(o) for o in item.options if o in value)


def typed_help(item, value: Any = None) -> str:
    return "" if value is not None else "\n".join(option_lines(item))
