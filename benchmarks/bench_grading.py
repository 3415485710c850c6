"""Grading throughput: `peersupport grade` (sandboxed, and unsandboxed) against `nbgrader autograde`, same run.

    .venv/bin/python benchmarks/bench_grading.py            # 100 submissions
    .venv/bin/python benchmarks/bench_grading.py --n 20     # a quick look

Builds a scratch course from this repository, writes N synthetic submissions of the Module 01
exercise (full, partial and blank ones), copies the course, then grades one copy with
`peersupport grade` (worker processes, each with its own bubblewrap sandbox whose warm template forks
one kernel per submission), one with
`peersupport grade --no-sandbox` (kernels forked from a warm template) and one with one `nbgrader
autograde` process (the fastest way nbgrader offers: it grades the trainees one after another and
imports once). Prints the wall-clock times and CPU seconds (all processes, user + system), the
ratios, the sandbox's cost per submission, whether every cell's score is identical, and where the time goes:
the time kernels spent running cells (from nbclient's timing metadata) against the rest (kernel
start and stop, nbgrader's own steps, process start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean, median

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))  # the synthetic cohort and the scratch course (tests/harness/)

from nbgrader.api import Gradebook

from harness.roundtrip import Course
from harness.synthetic import write_cohort
from peersupport.grading.authoring import load_spec

A = "active-listening"
BIN = Path(sys.executable).parent


def scores(db_url: str) -> dict:
    with Gradebook(db_url, "peer-support") as gb:
        return {(sub.student_id, g.name): g.score for sub in gb.assignment_submissions(A)
                for nb in sub.notebooks for g in nb.grades}


def cell_seconds(autograded: Path) -> tuple[list[float], dict[str, float]]:
    """Per notebook: seconds the kernel spent running cells; per cell id: total seconds."""
    per_nb, per_cell = [], {}
    parse = dt.datetime.fromisoformat  # Python 3.11 reads the trailing Z
    for path in autograded.glob(f"*/{A}/{A}.ipynb"):
        total = 0.0
        for cell in nbformat.read(path, as_version=4).cells:
            e = cell.metadata.get("execution", {})
            if "iopub.execute_input" in e and "shell.execute_reply" in e:
                s = (parse(e["shell.execute_reply"]) - parse(e["iopub.execute_input"])).total_seconds()
                total += s
                gid = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                per_cell[gid] = per_cell.get(gid, 0.0) + s
        per_nb.append(total)
    return per_nb, per_cell


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--per-trainee-sample", type=int, default=10,
                    help="also time `nbgrader autograde --student` as one process per trainee on this many (0: skip)")
    args = ap.parse_args()
    env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = Course.copy_of(REPO, Path(tmp))
        assert course.api().generate_assignment(A)["success"]
        spec = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
        profiles = {f"bench-{i:03d}": ("full", "partial", "partial", "blank")[i % 4] for i in range(args.n)}
        write_cohort(course.root / "course" / "submitted", spec, course.root / "course" / "release" / A / f"{A}.ipynb",
                     profiles, seed=1)
        twin = Path(tmp) / "twin"
        shutil.copytree(course.root, twin)
        open_copy = Path(tmp) / "unsandboxed"
        shutil.copytree(course.root, open_copy)

        def timed(cmd, cwd=None):
            """Wall seconds and CPU seconds of every process the command starts (a cpuacct cgroup counts
            processes nobody waits for, such as a sandbox's; else getrusage of waited-for children)."""
            group = Path(f"/sys/fs/cgroup/cpuacct/bench-grading-{os.getpid()}-{time.monotonic_ns()}")
            try:
                group.mkdir()
            except OSError:
                group = None
            join = (lambda: (group / "cgroup.procs").write_text(str(os.getpid()))) if group else None
            r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, preexec_fn=join)
            wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
            assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            if group:
                time.sleep(0.5)
                cpu = int((group / "cpuacct.usage").read_text()) / 1e9
                for pid in (group / "cgroup.procs").read_text().split():
                    (group.parent / "cgroup.procs").write_text(pid)
                group.rmdir()
            return out, wall, cpu

        cmd = [str(BIN / "peersupport"), "grade", A, "--root", str(course.root), "--no-collect"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        ours, t_ours, cpu_ours = timed(cmd)
        assert "sandboxed: each submission" in ours.stdout + ours.stderr, "bubblewrap is missing: no sandboxed run"
        bare = [*cmd, "--no-sandbox"]
        bare[bare.index(str(course.root))] = str(open_copy)
        _, t_open, cpu_open = timed(bare)
        _, t_theirs, cpu_theirs = timed([str(BIN / "nbgrader"), "autograde", A], cwd=twin / "autograder")

        per_trainee = None
        if args.per_trainee_sample:
            third = Path(tmp) / "third"
            shutil.copytree(twin, third, ignore=shutil.ignore_patterns("autograded"))
            sample = list(profiles)[: args.per_trainee_sample]
            t0 = time.perf_counter()
            for student in sample:
                subprocess.run([str(BIN / "nbgrader"), "autograde", A, "--student", student], cwd=third / "autograder",
                               env=env, capture_output=True, text=True, check=True)
            per_trainee = (time.perf_counter() - t0) / len(sample)

        a, b = scores(course.db_url), scores(f"sqlite:///{twin / 'course' / 'gradebook.db'}")
        c = scores(f"sqlite:///{open_copy / 'course' / 'gradebook.db'}")
        same = a == b == c and len(a) == args.n * len({k[1] for k in a})
        state = json.loads((course.root / "course" / ".peersupport" / "grade-state.json").read_text())[A]
        in_worker = [e["seconds"] for e in state.values()]
        kernel_ours, per_cell = cell_seconds(course.root / "course" / "autograded")
        kernel_theirs, _ = cell_seconds(twin / "course" / "autograded")
        summary = ours.stdout.strip().splitlines()[-2:]
        print(f"submissions: {args.n}   ({os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f})")
        n = args.n
        print(f"peersupport grade (sandboxed):  {t_ours:7.1f} s  ({t_ours / n:.2f} s a submission, "
              f"CPU {cpu_ours / n:.2f} s)  {' '.join(summary)}")
        print(f"peersupport grade --no-sandbox: {t_open:7.1f} s  ({t_open / n:.2f} s a submission, CPU {cpu_open / n:.2f} s)")
        print(f"nbgrader autograde (1 proc):    {t_theirs:7.1f} s  ({t_theirs / n:.2f} s a submission, CPU {cpu_theirs / n:.2f} s)")
        print(f"ratio (nbgrader / peersupport, sandboxed): {t_theirs / t_ours:.2f}x   unsandboxed: {t_theirs / t_open:.2f}x")
        print(f"the sandbox's cost per submission: {(t_ours - t_open) / n:+.2f} s wall (this run), "
              f"{(cpu_ours - cpu_open) / n:+.2f} s CPU (one sandbox a worker; per submission: copying the folder "
              "in and out, ending every process the kernel left)")
        if per_trainee:
            est = per_trainee * args.n
            print(f"nbgrader autograde --student, one process per trainee: {per_trainee:.2f} s a trainee "
                  f"(timed on {args.per_trainee_sample}); for {args.n}: ~{est:.0f} s, ratio ~{est / t_ours:.2f}x (extrapolated)")
        print(f"identical scores on every cell: {same} ({len(a)} cells)")
        print("where the time goes (per submission):")
        print(f"  autograde call in a worker:   mean {mean(in_worker):.2f} s, median {median(in_worker):.2f} s")
        print(f"  cells running in the kernel:  mean {mean(kernel_ours):.2f} s (nbgrader's run: {mean(kernel_theirs):.2f} s)")
        print(f"  the rest (kernel start/stop, nbgrader's steps): mean {mean(in_worker) - mean(kernel_ours):.2f} s")
        top = sorted(per_cell.items(), key=lambda kv: -kv[1])[:4]
        print("  slowest cells (mean s):", ", ".join(f"{k} {v / args.n:.2f}" for k, v in top))


if __name__ == "__main__":
    main()
