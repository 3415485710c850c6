"""A graded conversation. Stored as the engine's saved path (``Engine.to_dict()``): node and choice ids."""

from __future__ import annotations

from typing import Any

from ..items import BadAnswer

RANK = {"helpful": 3, "partly": 2, "unhelpful": 1, "harmful": 0}


def parse_typed(item, text: str) -> dict:
    from ..decisions import load_scenario, parse_path

    return parse_path(load_scenario(item), text)


def check_stored(item, value: Any) -> dict:
    if not (isinstance(value, dict) and isinstance(value.get("history"), list) and value["history"]):
        raise BadAnswer("No decisions have been saved for this scenario yet.")
    return value


def describe(item, value: Any) -> str:
    """The path as the letters this trainee saw at each step."""
    from ..decisions import load_scenario

    history = value.get("history", []) if isinstance(value, dict) else []
    try:
        scenario = load_scenario(item)
    except Exception:  # noqa: BLE001 - a description must never fail
        return " → ".join(str(c).upper() for _, c in history) or "no decisions yet"
    out = []
    for node_id, choice_id in history:
        node = scenario.nodes.get(node_id)
        ids = [c.id for c in node.choices] if node else []
        out.append(chr(65 + ids.index(choice_id)) if choice_id in ids else "?")
    return " → ".join(out) or "no decisions yet"


def option_lines(item) -> list[str]:
    return []


def reference_ids(spec) -> list[str]:
    """The best path's choice ids: the highest credit at each graded decision, else the best quality."""
    from ...scenarios import Engine, load_library

    engine = Engine(load_library().scenario(spec.scenario))
    credit = spec.decisions or {}
    path = []
    while not engine.finished and len(path) < 30:
        here = credit.get(engine.current_id, {})
        best = max(engine.choices, key=lambda c: (here.get(c.id, 0.0), RANK[c.quality]))
        path.append(best.id)
        engine.choose(best.id)
    return path


def instructions(item) -> tuple[str, str]:
    return ("the letter of each reply you choose, in order (run the cell after each letter to see what comes next)",
            "Play the conversation in the box below. There are no hints while you play: your replies are graded afterwards.")


def mark(item, value: Any, *, decisions: dict[str, dict[str, float]]) -> tuple[float, list[str]]:
    """Grade the first choice made at each marked decision point (node id -> choice id -> fraction)."""
    from ..decisions import load_scenario, replay

    scenario = load_scenario(item)
    history, lines = [], []
    if value is not None:
        try:
            history = replay(scenario, value).history
        except BadAnswer as exc:
            lines.append(f"Your saved path could not be replayed ({exc}) so it scores 0.")
    first = {}
    for step in history:
        first.setdefault(step.node_id, step.choice)
    earned, name = 0.0, scenario.persona.name
    for node_id, credit in decisions.items():
        node = scenario.nodes[node_id]
        best = max(node.choices, key=lambda c: credit.get(c.id, 0.0))
        said = node.says if len(node.says) <= 90 else node.says[:87].rsplit(" ", 1)[0] + "…"
        picked = first.get(node_id)
        if picked is None:
            lines.append(f"When {name} said “{said}”, your path did not reach this moment. A strong reply: “{best.text}” {best.feedback}")
            continue
        earned += credit.get(picked.id, 0.0) / len(decisions)
        if credit.get(picked.id, 0.0) >= credit.get(best.id, 0.0):
            lines.append(f"When {name} said “{said}”, you replied “{picked.text}” Well chosen: {picked.feedback}")
        else:
            lines.append(f"When {name} said “{said}”, you replied “{picked.text}” {picked.feedback} "
                         f"A stronger reply: “{best.text}” {best.feedback}")
    return earned, lines


def widget(item, store):
    from ..decision_widget import DecisionView

    return DecisionView(item, store).widget


def to_typed(item, value: list[str]) -> str:
    """A path of choice ids as the letters this trainee types (their own order at each step)."""
    from ...scenarios import Engine
    from ..decisions import load_scenario

    engine, out = Engine(load_scenario(item)), []
    for cid in value:
        out.append(chr(65 + [c.id for c in engine.choices].index(cid)))
        engine.choose(cid)
    return ", ".join(out)


def typed_help(item, value: Any = None) -> str:
    """Where the conversation is now: what the person says and the replies, with this trainee's letters."""
    from ..decisions import load_scenario, where_now

    return where_now(load_scenario(item), value or {"version": 1, "scenario": "", "history": []})
