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
