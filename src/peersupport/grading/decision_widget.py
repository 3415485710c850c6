"""The graded scenario widget: play a scenario with no hints; every choice is saved at once."""

from __future__ import annotations

import html
import weakref

import ipywidgets as w

from ..scenarios import Engine
from .answers import AnswerStore
from .decisions import load_scenario, replay
from .items import BadAnswer, Item
from .summary import _live


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
