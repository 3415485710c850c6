"""Item widgets: click an answer, and it is saved to my-answers.json at once.

The widgets are thin views: what they save is the plain answer shape from ``items.py``, and
reopening the notebook shows the saved answer again. While nbgrader runs a notebook (autograde,
validate) there is no browser, so ``choose`` shows a plain summary of the saved answer instead.
"""

from __future__ import annotations

import html
import weakref
from typing import Any

import ipywidgets as w

from .answers import AnswerStore
from .items import BadAnswer, Item, check_stored
from .summary import _live, describe


def _header(item: Item) -> w.HTML:
    parts = [f"<b>{html.escape(item.prompt)}</b>"]
    if item.quote:
        parts.append(f"<blockquote><i>{html.escape(item.quote.speaker)}:</i> “{html.escape(item.quote.text)}”</blockquote>")
    return w.HTML("".join(parts))


class ItemView:
    """The widget for one single, multiple or classify item; the kind (grading/kinds/) builds its controls."""

    def __init__(self, item: Item, store: AnswerStore):
        from .kinds import kind_of

        self.item, self.store = item, store
        self._loading = False
        self.status = w.HTML()
        parts = kind_of(item).widget(item, store)
        self._get, self._put = parts["get"], parts["put"]
        for name, value in parts["attrs"].items():  # e.g. picker, boxes, pickers (for tests and callers)
            setattr(self, name, value)
        for control in parts["controls"]:
            control.observe(self._changed, "value")
        self.widget = w.VBox([_header(item), *parts["body"], self.status])
        self.refresh()
        _live.setdefault(item.id, weakref.WeakSet()).add(self)

    # -- value <-> widgets -------------------------------------------------------------------
    def value(self) -> Any:
        return self._get()

    def refresh(self) -> None:
        """Show the saved answer (on display, and after a typed answer)."""
        try:
            saved = check_stored(self.item, self.store.get(self.item.id))
        except BadAnswer:
            saved = None
        self._loading = True
        try:
            self._put(saved)
        finally:
            self._loading = False
        self._show_status(saved)

    def _show_status(self, saved: Any) -> None:
        if saved is None or saved == [] or saved == {}:
            note = self.store.problem or "Not answered yet."
            self.status.value = f"<span style='color:#666'>{html.escape(note)}</span>"
        else:
            where = "saved" if self.store.persist else "kept for this session only (instructor copy)"
            self.status.value = f"✓ Your answer is {where}: {html.escape(describe(self.item, saved))}"

    def _changed(self, _change) -> None:
        if self._loading:
            return
        value = self.value()
        self.store.set(self.item.id, value if value not in ([], {}) else None)
        self._show_status(value if value not in ([], {}) else None)
