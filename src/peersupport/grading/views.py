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
    """The widget for one single, multiple or classify item."""

    def __init__(self, item: Item, store: AnswerStore):
        self.item, self.store = item, store
        self._loading = False
        self.status = w.HTML()
        if item.kind == "single":
            self.picker = w.ToggleButtons(options=[(item.letter(o), o) for o in item.options], value=None,
                                          tooltips=[item.option_label(o) for o in item.options],
                                          style={"button_width": "3.5em"})
            self.picker.observe(self._changed, "value")
            body = [self._option_list(), self.picker]
        elif item.kind == "multiple":
            self.boxes = {o: w.Checkbox(description=item.letter(o), indent=False, value=False,
                                        layout=w.Layout(width="4em")) for o in item.options}
            for box in self.boxes.values():
                box.observe(self._changed, "value")
            body = [w.HBox([box, w.HTML(html.escape(item.options[o]))]) for o, box in self.boxes.items()]
        else:
            self.pickers = {}
            body = []
            for i, (sid, text) in enumerate(item.statements.items(), 1):
                pick = w.ToggleButtons(options=[(label, cid) for cid, label in item.categories.items()], value=None)
                pick.observe(self._changed, "value")
                self.pickers[sid] = pick
                body += [w.HTML(f"{i}. “{html.escape(text)}”"), pick]
        self.widget = w.VBox([_header(item), *body, self.status])
        self.refresh()
        _live.setdefault(item.id, weakref.WeakSet()).add(self)

    def _option_list(self) -> w.HTML:
        rows = "".join(f"<li>{html.escape(self.item.option_label(o))}</li>" for o in self.item.options)
        return w.HTML(f"<ul style='list-style:none;padding-left:0'>{rows}</ul>")

    # -- value <-> widgets -------------------------------------------------------------------
    def value(self) -> Any:
        if self.item.kind == "single":
            return self.picker.value
        if self.item.kind == "multiple":
            return sorted(o for o, box in self.boxes.items() if box.value)
        return {sid: p.value for sid, p in self.pickers.items() if p.value is not None}

    def refresh(self) -> None:
        """Show the saved answer (on display, and after a typed answer)."""
        try:
            saved = check_stored(self.item, self.store.get(self.item.id))
        except BadAnswer:
            saved = None
        self._loading = True
        try:
            if self.item.kind == "single":
                self.picker.value = saved
            elif self.item.kind == "multiple":
                for o, box in self.boxes.items():
                    box.value = bool(saved) and o in saved
            else:
                for sid, p in self.pickers.items():
                    p.value = (saved or {}).get(sid)
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
