"""Graded scenario decisions: play a scenario with no hints; every choice is saved at once.

Built on ``peersupport.scenarios.Engine``: the saved answer is ``Engine.to_dict()``, so the path
replays exactly at autograde. Unlike practice play, no quality or feedback is shown until grading.
"""

from __future__ import annotations

import html
import re
import weakref
from typing import Any

import ipywidgets as w

from ..scenarios import Engine, ProgressError, Scenario, load_library
from .answers import AnswerStore
from .items import BadAnswer, Item
from .views import _live


def load_scenario(item: Item) -> Scenario:
    if not item.scenario:
        raise BadAnswer(f"The item {item.id} names no scenario.")
    return load_library().scenario(item.scenario)


def replay(scenario: Scenario, saved: Any) -> Engine:
    """The engine at the end of the saved path; raises BadAnswer when the path does not fit."""
    try:
        return Engine.from_dict(scenario, saved)
    except (ProgressError, TypeError, AttributeError) as exc:
        raise BadAnswer(f"The saved path could not be replayed: {exc}") from None


def parse_path(scenario: Scenario, text: Any) -> dict:
    """Typed letters, one per step ('A, B, A'), played through the scenario; returns Engine.to_dict()."""
    if not isinstance(text, str) or not text.strip():
        raise BadAnswer('Type the letter of each reply you choose, in order, for example "A, B, A".')
    engine = Engine(scenario)
    for n, tok in enumerate([t for t in re.split(r"[\s,;/]+", text.strip()) if t], 1):
        if engine.finished:
            raise BadAnswer(f"The conversation ends after step {n - 1}; remove the extra letters.")
        letter = tok.strip(".)").upper()
        count = len(engine.choices)
        if not (len(letter) == 1 and "A" <= letter < chr(65 + count)):
            raise BadAnswer(f"Step {n}: '{tok}' is not one of the letters A to {chr(64 + count)}.")
        engine.choose(ord(letter) - 65)
    return engine.to_dict()


def where_now(scenario: Scenario, saved: dict) -> str:
    """Plain text for trainees who type: what the person says now and the replies (no feedback)."""
    engine = replay(scenario, saved) if saved.get("history") else Engine(scenario)
    name = scenario.persona.name
    if engine.finished:
        end = engine.ending
        last = f"{name}: {end.says}\n" if end and end.says else ""
        return f"{last}The conversation has ended and your path is saved. Feedback comes with your grade."
    node = engine.current
    lines = [f"{name}: {node.says}"]
    if node.notice:
        lines.append(f"(You notice: {node.notice})")
    lines += [f"  {chr(65 + i)}. {c.text}" for i, c in enumerate(engine.choices)]
    lines.append("Add the letter of your reply to the list between the quotes and run the cell again.")
    return "\n".join(lines)


class DecisionView:
    """Buttons for each reply; the conversation so far above them. No feedback until grading."""

    def __init__(self, item: Item, store: AnswerStore):
        self.item, self.store = item, store
        self.scenario = load_scenario(item)
        self.engine = Engine(self.scenario)
        self.talk = w.HTML()
        self.buttons = w.VBox()
        self.status = w.HTML()
        self.restart_button = w.Button(description="Start again", icon="refresh")
        self.restart_button.on_click(lambda _b: self.restart())
        p = self.scenario.persona
        head = (f"<b>{html.escape(item.prompt)}</b><br><i>{html.escape(self.scenario.title)}</i> — "
                f"{html.escape(p.name)} ({html.escape(p.pronouns)}), {p.age}, {html.escape(p.setting)}.")
        self.widget = w.VBox([w.HTML(head), self.talk, self.buttons, self.status, self.restart_button])
        self.refresh()
        _live.setdefault(item.id, weakref.WeakSet()).add(self)

    def refresh(self) -> None:
        saved = self.store.get(self.item.id)
        try:
            self.engine = replay(self.scenario, saved) if saved else Engine(self.scenario)
        except BadAnswer as exc:
            self.engine = Engine(self.scenario)
            self.status.value = html.escape(str(exc)) + " Start again to replay."
            self._render(status=False)
            return
        self._render()

    def pick(self, index: int) -> None:
        """Take reply number `index` (0-based), as a click on its button does."""
        self.engine.choose(index)
        self.store.set(self.item.id, self.engine.to_dict())
        self._render()

    def restart(self) -> None:
        self.engine.restart()
        self.store.set(self.item.id, None)
        self._render()

    def _render(self, status: bool = True) -> None:
        name = html.escape(self.scenario.persona.name)
        lines = []
        for step in self.engine.history:
            node = self.scenario.nodes[step.node_id]
            lines.append(f"<p><b>{name}:</b> {html.escape(node.says)}</p><p><b>You:</b> {html.escape(step.choice.text)}</p>")
        if self.engine.finished:
            end = self.engine.ending
            if end and end.says:
                lines.append(f"<p><b>{name}:</b> {html.escape(end.says)}</p>")
            self.buttons.children = ()
            if status:
                self.status.value = "✓ The conversation has ended and your path is saved. Feedback comes with your grade."
        else:
            node = self.engine.current
            lines.append(f"<p><b>{name}:</b> {html.escape(node.says)}</p>")
            if node.notice:
                lines.append(f"<p><i>(You notice: {html.escape(node.notice)})</i></p>")
            buttons = []
            for i, choice in enumerate(self.engine.choices):
                b = w.Button(description=f"{chr(65 + i)}. {choice.text}", layout=w.Layout(width="100%", height="auto"),
                             tooltip=choice.text)
                b.on_click(lambda _b, i=i: self.pick(i))
                buttons.append(b)
            self.buttons.children = tuple(buttons)
            if status:
                done = len(self.engine.history)
                self.status.value = f"Choose a reply. Choices saved so far: {done}."
        self.talk.value = "".join(lines)
