"""Benchmark the response coach: single-call latency (p50/p99) and batch throughput, on one core.

    .venv/bin/python benchmarks/bench_coach.py            # uses the evaluation set's responses and contexts
    .venv/bin/python benchmarks/bench_coach.py --rounds 5 --batch 5000

Targets (issue 4): p99 <= 10 ms per response; analyze_many >= 2,000 responses per second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# --src DIR: time another copy of the package (the baseline run of --baseline-rev uses it)
_SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv[:-1] else str(ROOT / "src")
sys.path.insert(0, _SRC)

from peersupport.coach import analyze, analyze_many, check_language

DATA = ROOT / "benchmarks" / "data" / "coach" / "eval.jsonl"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="passes over the items for the latency figures")
    ap.add_argument("--batch", type=int, default=5000, help="responses per analyze_many call")
    ap.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    ap.add_argument("--no-figures", action="store_true", help="latency only: skip the accuracy figures")
    ap.add_argument("--src", help="time the package in this directory instead (used by --baseline-rev)")
    ap.add_argument("--baseline-rev", help="also time this git revision's coach in the same run, before and "
                    "after this one (e.g. the commit before a change), so both see the same machine load")
    args = ap.parse_args(argv)
    if args.baseline_rev:
        return _with_baseline(args)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    items = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(i["response"], i.get("context")) for i in items]
    for r, c in pairs[:50]:  # warm up: compile the patterns, load the data files
        analyze(r, c)

    lat, cpu = [], []
    for _ in range(args.rounds):
        for r, c in pairs:
            t, tc = time.perf_counter(), time.thread_time()
            analyze(r, c)
            cpu.append((time.thread_time() - tc) * 1000)
            lat.append((time.perf_counter() - t) * 1000)
    reps = args.batch // len(pairs) + 1
    batch = (pairs * reps)[: args.batch]
    rs, cs = [p[0] for p in batch], [p[1] for p in batch]
    rates, cpu_rates = [], []
    for _ in range(3):
        t, tc = time.perf_counter(), time.thread_time()
        analyze_many(rs, cs)
        cpu_rates.append(len(rs) / (time.thread_time() - tc))
        rates.append(len(rs) / (time.perf_counter() - t))
    texts = [r for r, _ in pairs]
    t = time.perf_counter()
    for text in texts:
        check_language(text)
    lang_rate = len(texts) / (time.perf_counter() - t)
    long_text = ("It sounds like you feel stuck, so what happened? You should try this, at least. " * 1250)[:100_000]
    t = time.perf_counter()
    analyze(long_text, long_text[:2000])
    long_ms = (time.perf_counter() - t) * 1000

    print(f"items: {len(pairs)} responses (benchmarks/data/coach/eval.jsonl), {args.rounds} rounds, "
          f"{'all cores' if args.all_cores else 'pinned to one core'}")
    print(f"analyze latency   p50 {pct(lat, 0.50):.2f} ms   p90 {pct(lat, 0.90):.2f} ms   "
          f"p99 {pct(lat, 0.99):.2f} ms   max {max(lat):.2f} ms   mean {statistics.fmean(lat):.2f} ms")
    print(f"  (CPU time)      p50 {pct(cpu, 0.50):.2f} ms   p90 {pct(cpu, 0.90):.2f} ms   "
          f"p99 {pct(cpu, 0.99):.2f} ms   max {max(cpu):.2f} ms")
    print(f"analyze_many      {statistics.median(rates):,.0f} responses/s wall, "
          f"{statistics.median(cpu_rates):,.0f}/s per CPU-second (median of 3 batches of {len(rs):,})")
    print(f"load average      {os.getloadavg()[0]:.2f} (other work on the machine inflates wall-clock figures)")
    print(f"check_language    {lang_rate:,.0f} texts/s")
    print(f"100,000-char reply {long_ms:.0f} ms")
    wall_ok = pct(lat, 0.99) <= 10 and statistics.median(rates) >= 2000
    cpu_ok = pct(cpu, 0.99) <= 10 and statistics.median(cpu_rates) >= 2000
    print("targets (p99 <= 10 ms, >= 2,000/s):", f"wall clock {'met' if wall_ok else 'MISSED'},",
          f"CPU time {'met' if cpu_ok else 'MISSED'}")
    if not args.no_figures:
        figures(items)
    return 0


def _with_baseline(args) -> int:
    """Baseline, this tree, baseline again: the timing lines of each, in one run."""
    import subprocess
    import tarfile
    import tempfile

    flags = ["--no-figures", "--rounds", str(args.rounds), "--batch", str(args.batch)]
    flags += ["--all-cores"] if args.all_cores else []
    with tempfile.TemporaryDirectory() as tmp:
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_rev, "src"], check=True,
                             capture_output=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(tar)) as tf:
            tf.extractall(tmp, filter="data")
        runs = [("baseline " + args.baseline_rev, ["--src", f"{tmp}/src"]), ("this tree", []),
                ("baseline " + args.baseline_rev + " (again)", ["--src", f"{tmp}/src"])]
        for name, extra in runs:
            out = subprocess.run([sys.executable, __file__, *flags, *extra], check=True, capture_output=True,
                                 text=True).stdout
            print(f"--- {name}")
            print("\n".join(line for line in out.splitlines() if not line.startswith(("check_language", "100,000"))))
    return 0


def own_as_blind_labels(items: list[dict]) -> list[dict]:
    """The own evaluation set in the blind set's seven labels (question and reflection split by type)."""
    out = []
    for i in items:
        b = i["behaviour"]
        lab = (f"{i['question_type']}-question" if b == "question" else f"{i['reflection_type']}-reflection"
               if b == "reflection" else b if b in ("affirmation", "advice") else "other")
        out.append({"text": i["response"], "context": i.get("context"), "label": lab})
    return out


def figures(items: list[dict]) -> None:
    """Accuracy beside one-line baselines on the same data: own set, ESConv, blind set; then the flags."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import coach_blind
    import coach_esconv
    import coach_flags
    from coach_metrics import print_rows
    print(f"\n== own evaluation set ({DATA.relative_to(ROOT)}, {len(items)} replies; written by the project) ==")
    print_rows(coach_blind.figures(own_as_blind_labels(items)))
    print()
    coach_esconv.main([])
    print()
    coach_blind.main()
    coach_flags.main([])


if __name__ == "__main__":
    raise SystemExit(main())
