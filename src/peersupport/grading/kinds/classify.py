"""Label each response. Stored as statement id -> category id, e.g. ``{"s1": "open", "s2": "closed"}``."""

from __future__ import annotations

import re
from typing import Any

from ..items import BadAnswer


def parse_typed(item, text: str) -> dict[str, str]:
    tokens = [t for t in re.split(r"[,;\n]+|\s+", text.strip()) if t]
    if len(tokens) != len(item.statements):
        raise BadAnswer(f"Give one label for each of the {len(item.statements)} responses, in order, separated by commas.")
    lookup = {}
    for cid, label in item.categories.items():
        lookup[cid.lower()] = cid
        lookup[label.lower()] = cid
        lookup[label.split()[0].lower()] = cid
    out = {}
    for sid, tok in zip(item.statements, tokens):
        cid = lookup.get(tok.lower().strip("."))
        if cid is None:
            raise BadAnswer(f"'{tok}' is not one of: {', '.join(item.categories)}.")
        out[sid] = cid
    return out


def check_stored(item, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BadAnswer("The saved answer is not a set of labels.")
    good = {k: v for k, v in value.items() if k in item.statements and v in item.categories}
    if not good:
        raise BadAnswer("No response has been labelled yet.")
    return good


def describe(item, value: Any) -> str:
    return "; ".join(f"{i}. {item.categories.get(value.get(sid), '—')}" for i, sid in enumerate(item.statements, 1))


def option_lines(item) -> list[str]:
    labels = ", ".join(item.categories.values())
    return [f"{i}. “{t}”" for i, t in enumerate(item.statements.values(), 1)] + [f"Labels: {labels}"]


def reference_ids(spec) -> dict[str, str]:
    return {s: spec.key[s] for s in spec.statements}


def instructions(item) -> tuple[str, str]:
    labels = ", ".join(f"`{label}`" for label in item.categories.values())
    return (f"one label per response, in the order shown, separated by commas (labels: {labels})",
            "Run the cell below to see the responses, then choose a label for each in the box.")


def mark(item, value: Any, *, key: dict[str, str], why: dict[str, str] | None = None) -> tuple[float, list[str]]:
    value = value or {}
    right, lines = 0, []
    for n, sid in enumerate(item.statements, 1):  # in the order this trainee saw them
        if sid not in key:
            continue
        label = item.categories.get(key[sid], key[sid])
        reason = (why or {}).get(sid, "")
        said = value.get(sid)
        if said == key[sid]:
            right += 1
            lines.append(f"{n}. You said {label}: right. {reason}".strip())
        else:
            yours = item.categories.get(said, "nothing") if said else "nothing"
            lines.append(f"{n}. You said {yours}; this one is {label}. {reason}".strip())
    return right / len(key), lines


def widget(item, store) -> dict:
    """The parts of the view: body widgets, the controls to observe, get/put the value, named attributes."""
    import html

    import ipywidgets as w

    pickers, body = {}, []
    for i, (sid, text) in enumerate(item.statements.items(), 1):
        pick = w.ToggleButtons(options=[(label, cid) for cid, label in item.categories.items()], value=None)
        pickers[sid] = pick
        body += [w.HTML(f"{i}. “{html.escape(text)}”"), pick]

    def get():
        return {sid: p.value for sid, p in pickers.items() if p.value is not None}

    def put(saved):
        for sid, p in pickers.items():
            p.value = (saved or {}).get(sid)

    return {"body": body, "controls": list(pickers.values()), "get": get, "put": put, "attrs": {"pickers": pickers}}


def to_typed(item, value: dict[str, str]) -> str:
    return ", ".join(value[s] for s in item.statements)


def typed_help(item, value: Any = None) -> str:
    return "" if value is not None else "\n".join(option_lines(item))
