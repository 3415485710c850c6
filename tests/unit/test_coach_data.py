"""The coach's labelled data: the evaluation set is big enough, covers every label, is reproducible from
its source, and is kept apart from the development set; the rules still meet the targets on the dev set."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from peersupport.coach import BEHAVIOURS, MECHANISMS, analyze_many

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "benchmarks" / "data" / "coach"
DEV = ROOT / "src" / "peersupport" / "coach" / "data" / "dev"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def convert_module():
    spec = importlib.util.spec_from_file_location("coach_convert", EVAL / "convert.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_eval_set_size_and_coverage():
    items = load(EVAL / "eval.jsonl")
    assert len(items) >= 600
    assert {i["behaviour"] for i in items} == set(BEHAVIOURS)
    assert {i["question_type"] for i in items} == {"open", "closed", None}
    assert {i["reflection_type"] for i in items} == {"simple", "complex", None}
    for m in MECHANISMS:
        assert {i["empathy"][m] for i in items} == {0, 1, 2}
    assert sum(1 for i in items if i["context"]) > 500
    assert len({i["id"] for i in items}) == len(items)


def test_jsonl_files_are_generated_from_their_sources():
    conv = convert_module()
    for folder, name, pattern in ((EVAL, "eval.jsonl", "eval-*.txt"), (DEV, "dev.jsonl", "dev-*.txt")):
        rebuilt = [item for src in sorted(folder.glob(pattern)) for item in conv.parse(src)]
        assert rebuilt == load(folder / name), f"{name} is stale: rerun convert.py"


def test_dev_and_eval_are_kept_apart():
    ev = load(EVAL / "eval.jsonl")
    dev = load(DEV / "dev.jsonl")
    norm = lambda s: " ".join((s or "").lower().split())
    assert not {norm(i["response"]) for i in ev} & {norm(i["response"]) for i in dev}
    assert not {norm(i["context"]) for i in ev if i["context"]} & {norm(i["context"]) for i in dev if i["context"]}


def test_rules_still_meet_the_targets_on_the_dev_set():
    items = load(DEV / "dev.jsonl")
    results = analyze_many([i["response"] for i in items], [i["context"] for i in items])
    acc = sum(i["behaviour"] == r.behaviour for i, r in zip(items, results)) / len(items)
    assert acc >= 0.9
    q = [(i, r) for i, r in zip(items, results) if i["question_type"]]
    assert sum(i["question_type"] == r.question_type for i, r in q) / len(q) >= 0.9
    for m in MECHANISMS:
        agree = sum((i["empathy"][m] > 0) == (r.empathy[m] > 0) for i, r in zip(items, results)) / len(items)
        assert agree >= 0.9, m
