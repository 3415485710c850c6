"""Saved answers in plain words, without ipywidgets (what a grading kernel shows and needs).

``views`` and ``decisions`` register their live widgets in ``_live`` so that a typed answer
refreshes the widget showing the same item; while nbgrader runs a notebook there are none, and
nothing here imports ipywidgets.
"""

from __future__ import annotations

import html
import weakref
from typing import Any

from .items import Item

_live: dict[str, weakref.WeakSet] = {}


def describe(item: Item, value: Any) -> str:
    """A saved answer in plain words (for summaries, checks and feedback)."""
    if value is None:
        return "no answer yet"
    if item.kind == "single":
        return item.letter(value)
    if item.kind == "multiple":
        return ", ".join(item.letter(v) for v in value) or "nothing ticked"
    if item.kind == "classify":
        return "; ".join(
            f"{i}. {item.categories.get(value.get(sid), '—')}" for i, sid in enumerate(item.statements, 1)
        )
    return " → ".join(_path_letters(item, value)) or "no decisions yet"


def _path_letters(item: Item, value: dict) -> list[str]:
    """A saved scenario path as the letters this trainee saw at each step."""
    from .decisions import load_scenario

    try:
        scenario = load_scenario(item)
    except Exception:  # noqa: BLE001 - a description must never fail
        return [str(c).upper() for _, c in value.get("history", [])]
    out = []
    for node_id, choice_id in value.get("history", []):
        node = scenario.nodes.get(node_id)
        ids = [c.id for c in node.choices] if node else []
        out.append(chr(65 + ids.index(choice_id)) if choice_id in ids else "?")
    return out


def option_lines(item: Item) -> list[str]:
    """The options (or the responses to label) with the letters this trainee sees, as plain text."""
    if item.kind in ("single", "multiple"):
        return [item.option_label(o) for o in item.options]
    if item.kind == "classify":
        labels = ", ".join(item.categories.values())
        return [f"{i}. “{t}”" for i, t in enumerate(item.statements.values(), 1)] + [f"Labels: {labels}"]
    return []


class Summary:
    """The saved answer as text and HTML (shown where widgets cannot run)."""

    def __init__(self, item: Item, value: Any, note: str = ""):
        shown = "\n".join(f"  {line}" for line in option_lines(item))
        self.text = (f"{item.title}: your saved answer is {describe(item, value)}.{(' ' + note) if note else ''}"
                     + (f"\nThe options as you saw them:\n{shown}" if shown else ""))

    def _repr_html_(self) -> str:
        return f"<p class='peersupport-summary'>{html.escape(self.text).replace(chr(10), '<br>')}</p>"

    def __repr__(self) -> str:
        return self.text


def refresh_live(item_id: str) -> None:
    for view in list(_live.get(item_id, ())):
        view.refresh()
