"""The safety and boundary flags: recall on flag tables, false alarms on every `helpful` scenario reply.

    .venv/bin/python benchmarks/coach_flags.py                  # own table, blind table (if present), scenarios
    .venv/bin/python benchmarks/coach_flags.py --errors own     # misses and false alarms on the own table
    .venv/bin/python benchmarks/coach_flags.py --check          # exit 1 if recall < 0.9 or false alarms > 5 %
    .venv/bin/python benchmarks/coach_flags.py --without blind4 # every table but a held-out one

A flag table is JSON lines: {"text", "context" (optional), "family", "label": "positive" | "negative"}.
`family` uses the issue's names (leading-suicide-question, ...). A positive counts as found when the reply
gets that family's flag; a hard negative is a false alarm when it gets that family's flag.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from peersupport.coach import analyze_many

FAMILIES = {"leading-suicide-question": "leading_suicide_question", "handoff-not-staying": "handoff_not_staying",
            "no-harm-promise": "no_harm_promise", "medication-advice": "medication_advice",
            "dual-relationship": "dual_relationship", "promising-secrecy": "secrecy_promise",
            "diagnosing": "diagnosing"}
TABLES = {"own": ROOT / "benchmarks" / "data" / "coach" / "flags-own.jsonl",
          "own2": ROOT / "benchmarks" / "data" / "coach" / "flags-own2.jsonl",
          "own3": ROOT / "benchmarks" / "data" / "coach" / "flags-own3.jsonl",
          "own4": ROOT / "benchmarks" / "data" / "coach" / "flags-own4.jsonl",
          "blind": ROOT / "benchmarks" / "data" / "blind" / "flags.jsonl",
          "blind-fresh": ROOT / "benchmarks" / "data" / "blind" / "flags-fresh.jsonl",
          "blind2": ROOT / "benchmarks" / "data" / "blind2" / "flags.jsonl",
          "blind3": ROOT / "benchmarks" / "data" / "blind3" / "flags.jsonl",
          "train5a": ROOT / "benchmarks" / "data" / "train5" / "flags-a.jsonl",
          "train5b": ROOT / "benchmarks" / "data" / "train5" / "flags-b.jsonl",
          "train5c": ROOT / "benchmarks" / "data" / "train5" / "flags-c.jsonl",
          "train6d": ROOT / "benchmarks" / "data" / "train6" / "flags-d.jsonl",
          "train6e": ROOT / "benchmarks" / "data" / "train6" / "flags-e.jsonl",
          "blind5": ROOT / "benchmarks" / "data" / "blind5" / "flags.jsonl",
          "train7f": ROOT / "benchmarks" / "data" / "train7" / "flags-f.jsonl",
          "train7g": ROOT / "benchmarks" / "data" / "train7" / "flags-g.jsonl",
          "blind6": ROOT / "benchmarks" / "data" / "blind6" / "flags.jsonl",
          "blind4": ROOT / "benchmarks" / "data" / "blind4" / "flags.jsonl"}


def load_table(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    seen = defaultdict(int)
    for r in rows:
        # the blind table is split in two halves, alternating within each family and label: rules were tuned
        # looking only at the `tune` half's errors; the `held` half's items were never looked at.
        key = (r["family"], bool(r.get("expect", r.get("label") in (1, True, "positive"))))
        r["half"] = "tune" if seen[key] % 2 == 0 else "held"
        seen[key] += 1
        r["family"] = r["family"].replace("_", "-")
        lab = r.get("label")
        r["positive"] = lab in (1, True, "positive", "pos", "1") or r.get("positive") is True or r.get("expect") is True
    return rows


# One-line baselines, one keyword rule per family, computed on the same tables (issue 15: every figure beside
# a one-line rule).
_BASE = {
    "leading-suicide-question": r"\b(?:not|n.?t|never)\b.*\b(?:suicid\w*|kill|hurt|harm|end)",
    "handoff-not-staying": r"\b(?:988|hotline|crisis line|lifeline|therapist|counsell?or|er|professional)\b",
    "no-harm-promise": r"\b(?:promise|swear|agree|contract|deal)\b",
    "medication-advice": r"\b(?:meds?|medication|pills?|dose|taper|stop(?:ped)?|quit)\b",
    "dual-relationship": r"\b(?:lunch|dinner|coffee|drinks?|gift|money|cash|facebook|instagram|friends?|date)\b",
    "promising-secrecy": r"\b(?:secret|between us|won.?t tell|confidential|private)\b",
    "diagnosing": r"\b(?:depression|bipolar|ptsd|adhd|ocd|anxiety|disorder|narcissist|autis\w*)\b",
}


def baseline_hits(rows: list[dict]) -> list[bool]:
    import re

    return [bool(re.search(_BASE[r["family"]], r["text"], re.IGNORECASE)) for r in rows]


def helpful_replies(root: Path = ROOT / "scenarios") -> list[tuple[str, str, str]]:
    """(file:node, what the person said, the helpful reply) for every helpful choice in every scenario."""
    out = []
    for path in sorted(root.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node_id, node in (data.get("nodes") or {}).items():
            for ch in (node or {}).get("choices") or []:
                if ch.get("quality") == "helpful" and ch.get("text"):
                    out.append((f"{path.parent.name}/{path.stem}:{node_id}", node.get("says") or "", ch["text"]))
    return out


def table_figures(rows: list[dict]):
    fbs = analyze_many([r["text"] for r in rows], [r.get("context") for r in rows])
    stats = defaultdict(lambda: [0, 0, 0, 0])  # found, positives, false alarms, negatives
    misses = []
    for r, fb in zip(rows, fbs):
        code = FAMILIES[r["family"]]
        got = any(f.code == code for f in fb.flags)
        s = stats[r["family"]]
        if r["positive"]:
            s[0] += got
            s[1] += 1
        else:
            s[2] += got
            s[3] += 1
        if got != r["positive"]:
            misses.append((r, sorted({f.code for f in fb.flags})))
    return stats, misses


def scenario_figures(replies):
    fbs = analyze_many([t for _, _, t in replies], [c for _, c, t in replies])
    per = defaultdict(list)
    for (where, _c, text), fb in zip(replies, fbs):
        for f in fb.flags:
            if f.code in FAMILIES.values():
                per[f.code].append((where, text, f.span.text))
    anyflag = {w for lst in per.values() for w, *_ in lst}
    return per, anyflag


def _report(name, path, rows, half, args) -> bool:
    failed = False
    stats, misses = table_figures(rows)
    base = baseline_hits(rows)
    b_found = sum(h for r, h in zip(rows, base) if r["positive"]) / max(1, sum(r["positive"] for r in rows))
    b_fa = sum(h for r, h in zip(rows, base) if not r["positive"]) / max(1, sum(not r["positive"] for r in rows))
    label = "" if half == "all" else f", {half} half"
    print(f"\n== {name} flag table ({path.relative_to(ROOT)}{label}, {len(rows)} replies) ==")
    print(f"{'family':<28}{'recall':>8}{'found':>8}{'false al.':>10}{'negatives':>10}")
    tot = [0, 0, 0, 0]
    for fam in FAMILIES:
        s = stats.get(fam, [0, 0, 0, 0])
        tot = [a + b for a, b in zip(tot, s)]
        rec = s[0] / s[1] if s[1] else float("nan")
        fa = s[2] / s[3] if s[3] else float("nan")
        failed |= bool(s[1]) and rec < 0.9
        print(f"{fam:<28}{rec:8.3f}{s[0]:5d}/{s[1]:<3d}{fa:9.3f} {s[2]:4d}/{s[3]:<4d}")
    print(f"{'all families':<28}{tot[0] / max(1, tot[1]):8.3f}{tot[0]:5d}/{tot[1]:<3d}"
          f"{tot[2] / max(1, tot[3]):9.3f} {tot[2]:4d}/{tot[3]:<4d}")
    print(f"{'one-line baseline':<28}{b_found:8.3f}{'':9}{b_fa:9.3f}   (a keyword rule per family)")
    if args.errors == name and half in ("tune" if name == "blind" else "all",):
        for r, codes in misses:
            kind = "MISSED" if r["positive"] else "FALSE ALARM"
            print(f"- {kind} {r['family']}: {r['text']!r} ctx={r.get('context')!r} -> {codes}")
    return failed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", choices=(*TABLES, "scenarios"), help="list misses / false alarms")
    ap.add_argument("--without", nargs="*", default=[], choices=list(TABLES), help="tables not to measure")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    failed = False
    for name, path in TABLES.items():
        if name in args.without:
            print(f"\n{name} flag table: left out (--without)")
            continue
        if not path.exists():
            print(f"\n{name} flag table: {path.relative_to(ROOT)} not present, skipped")
            continue
        for half in (("all", "tune", "held") if name == "blind" else ("all",)):
            failed |= _report(name, path, [r for r in load_table(path) if half in ("all", r["half"])], half, args)
    replies = helpful_replies()
    per, anyflag = scenario_figures(replies)
    rate = len(anyflag) / max(1, len(replies))
    failed |= rate > 0.05
    print(f"\n== false alarms on helpful scenario replies (scenarios/, {len(replies)} replies) ==")
    print(f"any safety/boundary flag: {len(anyflag)} ({rate:.1%}); per family: "
          + ", ".join(f"{c} {len(v)}" for c, v in sorted(per.items())) if per else
          "any safety/boundary flag: 0 (0.0%)")
    try:  # real typed supporter turns: flags there are mostly false alarms (a few are real mistakes)
        import coach_esconv

        es = coach_esconv.load(split="valid")
    except Exception:  # noqa: BLE001 - optional data
        es = []
    if es:
        fbs = analyze_many([i["text"] for i in es], [i["context"] for i in es])
        n = sum(any(f.code in FAMILIES.values() for f in fb.flags) for fb in fbs)
        print(f"\n== {coach_esconv.CITE}, valid dialogues ({len(es)} turns) ==\n"
              f"any safety/boundary flag: {n} ({n / len(es):.1%}); these are ordinary replies, so most are false alarms")
    if args.errors == "scenarios":
        for code, lst in per.items():
            for where, text, span in lst:
                print(f"- {code} {where}: {text!r} [{span}]")
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
