"""Test-wise trainees: the score of surface strategies (first, longest, most feeling words, random)
on every exercise and knowledge check, beside chance, in the same run.

    python benchmarks/bench_testwise.py               # options shuffled per trainee (what trainees get)
    python benchmarks/bench_testwise.py --file-order  # as if every trainee saw the file order (no shuffling)

Each strategy's figure is the mean over 20 trainee identities (each sees its own order); chance is
the mean of 200 random trainees. Scores come from the grading package's own marking functions
(tests/notebooks/test_every_exercise.py checks that nbgrader gives the same scores).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from testwise import exercise_table, format_table, knowledge_table


def main() -> None:
    file_order = "--file-order" in sys.argv
    how = "file order, no shuffling" if file_order else "options shuffled per trainee"
    t0 = time.perf_counter()
    print(format_table(exercise_table(file_order=file_order), f"Exercises, autograded points (% of max), {how}:"))
    print()
    print(format_table(knowledge_table(file_order=file_order), f"Knowledge checks (% right), {how}:"))
    print(f"\n({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
