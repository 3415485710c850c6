"""Graded scenario decisions: a path through a scenario, typed or clicked, saved and replayed.

Built on ``peersupport.scenarios.Engine``: the saved answer is ``Engine.to_dict()``, so the path
replays exactly at autograde. Unlike practice play, no quality or feedback is shown until grading.
The buttons are in ``decision_widget``; nothing here imports ipywidgets, so a grading kernel
never has to.
"""

from __future__ import annotations

import re
from typing import Any

from ..scenarios import Engine, ProgressError, Scenario, load_library
from .items import BadAnswer, Item


def load_scenario(item: Item, who: str | None = None) -> Scenario:
    """The item's scenario, its replies in the order this trainee sees them (see peersupport.order)."""
    if not item.scenario:
        raise BadAnswer(f"The item {item.id} names no scenario.")
    if who is None:
        from .answers import AnswerStore

        who = AnswerStore().who
    return load_library().scenario(item.scenario).arranged(who)


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


def path_from_ids(scenario: Scenario, choice_ids: Any) -> dict:
    """A path given as choice ids in order (the same whatever the trainee's letters); returns Engine.to_dict()."""
    if not (isinstance(choice_ids, list) and all(isinstance(c, str) for c in choice_ids)):
        raise BadAnswer("Give the path as a list of choice ids.")
    engine = Engine(scenario)
    for n, cid in enumerate(choice_ids, 1):
        try:
            engine.choose(cid)
        except (KeyError, RuntimeError) as exc:
            raise BadAnswer(f"Step {n}: {exc}") from None
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
