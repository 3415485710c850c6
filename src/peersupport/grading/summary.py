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
    return " → ".join(c for _, c in value.get("history", [])).upper() or "no decisions yet"


class Summary:
    """The saved answer as text and HTML (shown where widgets cannot run)."""

    def __init__(self, item: Item, value: Any, note: str = ""):
        self.text = f"{item.title}: your saved answer is {describe(item, value)}.{(' ' + note) if note else ''}"

    def _repr_html_(self) -> str:
        return f"<p class='peersupport-summary'>{html.escape(self.text)}</p>"

    def __repr__(self) -> str:
        return self.text


def refresh_live(item_id: str) -> None:
    for view in list(_live.get(item_id, ())):
        view.refresh()
