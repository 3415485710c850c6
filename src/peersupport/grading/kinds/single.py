"""One best option. Stored as the option id, e.g. ``"b"``; a near miss may earn partial credit."""

from __future__ import annotations

from typing import Any

from ..items import BadAnswer
from . import letters


def parse_typed(item, text: str) -> str:
    picked = letters.parse(list(item.options), text)
    if len(picked) != 1:
        raise BadAnswer("Type one letter for this item.")
    return picked[0]


def check_stored(item, value: Any) -> str:
    if not (isinstance(value, str) and value in item.options):
        raise BadAnswer("The saved answer is not one of this item's options.")
    return value


def describe(item, value: Any) -> str:
    return item.letter(value)


def option_lines(item) -> list[str]:
    return [item.option_label(o) for o in item.options]


def reference_ids(spec) -> str:
    return spec.key


def instructions(item) -> tuple[str, str]:
    return "the letter", "Run the cell below to see the options, then click your answer in the box."


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "?", "!", "”")) else text + "."


def mark(item, value: Any, *, key: str, why: str, partial: dict[str, float] | None = None,
         notes: dict[str, str] | None = None) -> tuple[float, list[str]]:
    best = _sentence(f"The best answer is {item.option_label(key)}")
    if value is None:
        return 0.0, [f"{best} {why}"]
    if value == key:
        return 1.0, [f"You chose {item.letter(value)}: well done, that is the best answer. {why}"]
    lines = [_sentence(f"You chose {item.option_label(value)}")]
    if notes and value in notes:
        lines.append(notes[value])
    lines.append(f"{best} {why}")
    return (partial or {}).get(value, 0.0), lines


def widget(item, store) -> dict:
    """The parts of the view: body widgets, the controls to observe, get/put the value, named attributes."""
    import html

    import ipywidgets as w

    picker = w.ToggleButtons(options=[(item.letter(o), o) for o in item.options], value=None,
                             tooltips=[item.option_label(o) for o in item.options], style={"button_width": "3.5em"})
    rows = "".join(f"<li>{html.escape(item.option_label(o))}</li>" for o in item.options)
    body = [w.HTML(f"<ul style='list-style:none;padding-left:0'>{rows}</ul>"), picker]

    def get():
        return picker.value

    def put(saved):
        picker.value = saved

    return {"body": body, "controls": [picker], "get": get, "put": put, "attrs": {"picker": picker}}


def to_typed(item, value: str) -> str:
    return item.letter(value)


def typed_help(item, value: Any = None) -> str:
    return "" if value is not None else "\n".join(option_lines(item))
