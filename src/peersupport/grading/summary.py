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
    """A saved answer in plain words, with the letters this trainee sees (for summaries, checks and feedback)."""
    from .kinds import kind_of

    return "no answer yet" if value is None else kind_of(item).describe(item, value)


def option_lines(item: Item) -> list[str]:
    """The options (or the responses to label) with the letters this trainee sees, as plain text."""
    from .kinds import kind_of

    return kind_of(item).option_lines(item)


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
