"""Distractor analysis: which options trainees actually picked, from the answers they handed in.

For every option of a single-choice, tick-all and scenario decision (and every label of a classify
statement) this counts the trainees who picked it, read from each graded submission's
``my-answers.json`` (answers are stored by option id, so the order each trainee saw does not matter).
It flags the two signs of a weak item (Haladyna, Downing & Rodriguez, 2002): a distractor nobody
picks (it distracts no one: rewrite it as a mistake a caring new peer really makes) and an item whose
key draws fewer trainees than a distractor (the item may be ambiguous, or the teaching unclear).
Only courses with grader-side item specs (``autograder/items/<assignment>.yaml``) have these.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

COLUMNS = ["assignment", "item", "kind", "part", "option", "text", "key", "picked", "answered", "share"]
MIN_ANSWERED = 5  # below this, "nobody picked it" says nothing


def _answers(autograded: Path, assignment: str) -> list[dict]:
    out = []
    for path in sorted(autograded.glob(f"*/{assignment}/my-answers.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        answers = data.get("answers") if isinstance(data, dict) else None
        if isinstance(answers, dict):
            out.append(answers)
    return out


def _rows(spec, answers: list[dict]) -> list[dict]:
    from ...scenarios import load_library

    rows = []

    def add(item, kind, part, option, text, key, picked, answered):
        rows.append({"assignment": spec.assignment, "item": item, "kind": kind, "part": part, "option": option,
                     "text": text, "key": key, "picked": picked, "answered": answered,
                     "share": picked / answered if answered else 0.0})

    for item in spec.items:
        given = [a.get(item.id) for a in answers if a.get(item.id) is not None]
        if item.kind == "single":
            for o, text in item.options.items():
                add(item.id, "single", "", o, text, o == item.key, sum(g == o for g in given), len(given))
        elif item.kind == "multiple":
            for o, text in item.options.items():
                add(item.id, "multiple", "", o, text, o in item.key,
                    sum(isinstance(g, list) and o in g for g in given), len(given))
        elif item.kind == "classify":
            for sid, text in item.statements.items():
                labels = [g.get(sid) for g in given if isinstance(g, dict) and g.get(sid)]
                for cid, label in item.categories.items():
                    add(item.id, "classify", f"{sid}: {text[:60]}", cid, label, cid == item.key.get(sid),
                        sum(lab == cid for lab in labels), len(labels))
        elif item.kind == "scenario":
            scenario = load_library().scenario(item.scenario)
            for node_id, credit in (item.decisions or {}).items():
                firsts = []
                for g in given:
                    history = g.get("history", []) if isinstance(g, dict) else []
                    first = next((c for n, c in history if n == node_id), None)
                    if first is not None:
                        firsts.append(first)
                best = max(credit.values()) if credit else 0
                for c in scenario.nodes[node_id].choices:
                    add(item.id, "scenario", node_id, c.id, c.text, credit.get(c.id, 0) == best and best > 0,
                        sum(f == c.id for f in firsts), len(firsts))
    return rows


def distractor_table(root: Path, autograded: Path, assignments: list[str]) -> pd.DataFrame:
    """One row per option (or label) of every autograded item, with how many trainees picked it."""
    from ...grading.authoring import load_spec

    rows = []
    for a in assignments:
        spec_path = root / "autograder" / "items" / f"{a}.yaml"
        if spec_path.is_file():
            rows += _rows(load_spec(spec_path), _answers(autograded, a))
    return pd.DataFrame(rows, columns=COLUMNS)


def flags(table: pd.DataFrame, min_answered: int = MIN_ANSWERED) -> pd.DataFrame:
    """Options nobody picks, and items (or decision points, or statements) whose key draws fewer trainees
    than a distractor. Single-choice keys and tick-all options that fit are never flagged as unpicked."""
    out = []
    for (a, item, part), g in table.groupby(["assignment", "item", "part"], sort=False):
        answered = int(g["answered"].max()) if len(g) else 0
        if answered < min_answered:
            continue
        keys, others = g[g["key"]], g[~g["key"]]
        where = f"{item}" + (f" ({part})" if part else "")
        for _, r in others[others["picked"] == 0].iterrows():
            if r["kind"] != "classify":
                out.append({"assignment": a, "item": where, "flag": "nobody picks this distractor",
                            "option": r["option"], "text": r["text"], "detail": f"0 of {answered}"})
        if len(keys) and len(others) and g["kind"].iloc[0] != "multiple":
            top_key, top_other = keys["picked"].max(), others["picked"].max()
            if top_other > top_key:
                r = others.loc[others["picked"].idxmax()]
                out.append({"assignment": a, "item": where, "flag": "a distractor draws more trainees than the key",
                            "option": r["option"], "text": r["text"],
                            "detail": f"{int(top_other)} chose it, {int(top_key)} the key, of {answered}"})
    return pd.DataFrame(out, columns=["assignment", "item", "flag", "option", "text", "detail"])
