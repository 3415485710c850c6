"""What a graded notebook calls: ``choose(id)``, ``answer(id, "B")`` and ``check(id)``.

Each is one short line in a cell; none needs programming. Clicking and typing save the same
answer in the same file, so they score the same.
"""

from __future__ import annotations

import html
import os
from typing import Any

from .answers import AnswerStore
from .items import BadAnswer, Item, check_stored, load_items, parse_typed


class NotAnsweredYet(Exception):
    """Raised by check() when an item has no usable answer; the message says what to do."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback: the message is all a trainee needs,
        # and formatting a full coloured traceback costs a grading kernel about 60 ms a cell.
        return [f"{type(self).__name__}: {self}"]


class Message:
    """A short note shown under a cell (plain text and escaped HTML)."""

    def __init__(self, text: str, ok: bool = True):
        self.text, self.ok = text, ok

    def _repr_html_(self) -> str:
        colour = "#1b5e20" if self.ok else "#8a4b00"
        text = html.escape(self.text).replace("\n", "<br>")
        return f"<p style='color:{colour}'>{text}</p>"

    def __repr__(self) -> str:
        return self.text


def _item(item_id: str) -> Item:
    """The item with its options in the order this trainee sees them (see peersupport.order)."""
    return load_items().get(item_id).arranged(AnswerStore().who)


def _widgets_available() -> bool:
    return not os.environ.get("NBGRADER_EXECUTION")


def choose(item_id: str):
    """Show the item's widget, with any saved answer already selected."""
    item = _item(item_id)
    store = AnswerStore()
    if not _widgets_available():
        from .summary import Summary

        return Summary(item, store.get(item_id))
    if item.kind == "scenario":
        from .kinds import scenario

        return scenario.widget(item, store)
    from .views import ItemView

    return ItemView(item, store).widget


def answer(item_id: str, typed: str = "", *, ids: Any = None) -> Message:
    """Save a typed answer ('B', 'A, C', 'open, closed, ...' or, for a scenario, 'A, B, A').

    The letters are the ones this trainee sees (options are shuffled per trainee). Leaving the
    quotes empty changes nothing, so the clicked answer stands, and lists the options with this
    trainee's letters. ``ids=`` gives the answer by option id instead of by letter (the instructor's
    reference answers, the same for everyone): an option id, a list of ids, statement id -> category
    id, or a scenario's choice ids in order.
    """
    from .kinds import kind_of

    item = _item(item_id)
    kind = kind_of(item)
    if ids is None and (not isinstance(typed, str) or not typed.strip()):
        note = "No typed answer: your clicked answer (if any) stands. To type instead, put it between the quotes."
        return Message(note + "\n" + kind.typed_help(item))
    try:
        if ids is None:
            value = parse_typed(item, typed)
        elif item.kind == "scenario":
            from .decisions import load_scenario, path_from_ids

            value = path_from_ids(load_scenario(item), ids)
        else:
            value = ids
        check_stored(item, value)
    except BadAnswer as exc:
        return Message(f"I could not save that: {exc}", ok=False)
    AnswerStore().set(item_id, value)
    from .summary import describe, refresh_live

    refresh_live(item_id)
    after = kind.typed_help(item, value)
    return Message(f"Saved your typed answer for {item.title}: {describe(item, value)}." + (f"\n{after}" if after else ""))


def saved_answer(item_id: str, item: Item | None = None) -> Any:
    """The stored answer if it fits the item; raises BadAnswer otherwise."""
    item = item or _item(item_id)
    store = AnswerStore()
    value = store.get(item_id)
    if value is None and store.problem:
        raise BadAnswer(store.problem)
    return check_stored(item, value)


def check(item_id: str) -> None:
    """Confirm that an answer is saved (the visible part of each test cell); it does not say if it is right.

    The note is displayed, not returned: a test cell's last value is read by nbgrader as a score.
    """
    try:
        item = _item(item_id)
        value = saved_answer(item_id, item)
    except (BadAnswer, FileNotFoundError, KeyError, ValueError) as exc:
        raise NotAnsweredYet(f"{item_id}: {exc} Click an answer above (or type one), then run this cell again.") from None
    from IPython.display import display

    from .summary import describe

    display(Message(f"✓ An answer is saved for {item.title}: {describe(item, value)}. "
                    "You will see if it was the best one after grading."))
