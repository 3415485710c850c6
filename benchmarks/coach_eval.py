"""Evaluate the response coach on a labeled set: per-label precision/recall/F1, macro-F1, confusion matrix.

    .venv/bin/python benchmarks/coach_eval.py                      # the held-out evaluation set
    .venv/bin/python benchmarks/coach_eval.py --data src/peersupport/coach/data/dev/dev.jsonl --errors

Use --errors only on the development set: the evaluation set is never used to tune the rules.
Exit status 1 if a target is missed (--check).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from peersupport.coach import BEHAVIOURS, MECHANISMS, analyze_many

DEFAULT = ROOT / "benchmarks" / "data" / "coach" / "eval.jsonl"
FLAG_CODES = ("stigma_language", "why_question", "advice_without_permission", "minimizing", "diagnosing",
              "medication_advice", "secrecy_promise", "missed_safety")
TARGETS = {"behaviour": 0.85, "question_type": 0.90, **{m: 0.80 for m in MECHANISMS}}


def prf(gold: list, pred: list, labels) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[lab] = (p, r, f, tp + fn)
    return out


def report(title: str, gold: list, pred: list, labels, show_matrix: bool = True) -> float:
    scores = prf(gold, pred, labels)
    print(f"\n== {title} (n={len(gold)}) ==")
    print(f"{'label':<26}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for lab, (p, r, f, n) in scores.items():
        print(f"{lab!s:<26}{p:7.3f}{r:7.3f}{f:7.3f}{n:6d}")
    macro = sum(s[2] for s in scores.values()) / len(scores)
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    print(f"{'macro-F1':<26}{macro:21.3f}   accuracy {acc:.3f}")
    if show_matrix:
        cols = list(labels) + sorted({p for p in pred if p not in labels}, key=str)
        print("confusion (rows = gold, columns = predicted)")
        print(" " * 16 + "".join(f"{str(c)[:7]:>8}" for c in cols))
        counts = Counter(zip(gold, pred))
        for g in labels:
            print(f"{str(g)[:16]:<16}" + "".join(f"{counts[(g, c)]:8d}" for c in cols))
    return macro


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--errors", action="store_true", help="print every mislabelled item (development set only)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = analyze_many([i["response"] for i in items], [i.get("context") for i in items])
    print(f"{args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data}: {len(items)} items")
    macros = {}
    macros["behaviour"] = report("behaviour", [i["behaviour"] for i in items], [r.behaviour for r in results],
                                 BEHAVIOURS)
    qi = [(i, r) for i, r in zip(items, results) if i["question_type"] is not None]
    macros["question_type"] = report("question type: open vs closed (items that ask something)",
                                     [i["question_type"] for i, _ in qi], [r.question_type for _, r in qi],
                                     ("open", "closed"))
    ri = [(i, r) for i, r in zip(items, results) if i["reflection_type"] is not None]
    report("reflection type: simple vs complex (gold reflections)", [i["reflection_type"] for i, _ in ri],
           [r.reflection_type for _, r in ri], ("simple", "complex"))
    for m in MECHANISMS:
        gold = ["present" if i["empathy"][m] else "absent" for i in items]
        pred = ["present" if r.empathy[m] else "absent" for r in results]
        macros[m] = report(f"empathy: {m} (present vs absent)", gold, pred, ("present", "absent"))
        lv = sum(i["empathy"][m] == r.empathy[m] for i, r in zip(items, results)) / len(items)
        print(f"exact 0/1/2 level agreement {lv:.3f}")
    print("\n== flags (per code, over all items) ==")
    print(f"{'flag':<28}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for code in FLAG_CODES:
        gold = [code in i.get("flags", []) for i in items]
        pred = [any(f.code == code for f in r.flags) for r in results]
        p, r, f, n = prf(gold, pred, [True])[True]
        print(f"{code:<28}{p:7.3f}{r:7.3f}{f:7.3f}{n:6d}")
    print("\n== targets ==")
    missed = []
    for key, target in TARGETS.items():
        ok = macros[key] >= target
        missed += [] if ok else [key]
        print(f"{key:<22} macro-F1 {macros[key]:.3f}  target >= {target:.2f}  {'met' if ok else 'MISSED'}")
    if args.errors:
        print("\n== errors ==")
        for i, r in zip(items, results):
            got = (r.behaviour, r.question_type, r.reflection_type, tuple(r.empathy.values()))
            want = (i["behaviour"], i["question_type"], i["reflection_type"], tuple(i["empathy"].values()))
            wantb = tuple(v > 0 for v in want[3])
            gotb = tuple(v > 0 for v in got[3])
            fl = sorted({f.code for f in r.flags})
            if got[:2] != want[:2] or gotb != wantb or fl != sorted(i.get("flags", [])):
                print(f"- {i['id']}: {i['response']!r}\n    want {want} {i.get('flags')}\n    got  {got} {fl}")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
