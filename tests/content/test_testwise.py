"""Test-wise trainees score no better than chance + 10 points on every exercise and knowledge check.

The strategies and scoring are in tests/testwise.py (also printed by benchmarks/bench_testwise.py);
tests/notebooks/test_every_exercise.py hands the same bots' answers to nbgrader and checks its
scores match.
"""

import pytest

from testwise import MARGIN, STRATEGIES, exercise_table, format_table, knowledge_table

pytestmark = pytest.mark.slow


def test_surface_strategies_score_at_most_chance_plus_ten_on_exercises():
    table = exercise_table(identities=12, chance_runs=400)
    print(format_table(table, "Exercises (% of autograded points)"))
    for name, row in table.items():
        assert row["reference"] == pytest.approx(100.0), f"{name}: the reference answers score {row['reference']:.1f}%"
        for s in STRATEGIES:
            assert row[s] <= row["chance"] + MARGIN, f"{name}: '{s}' scores {row[s]:.1f}% against chance {row['chance']:.1f}%"


def test_surface_strategies_score_at_most_chance_plus_ten_on_knowledge_checks():
    table = knowledge_table(identities=12)
    print(format_table(table, "Knowledge checks (% right)"))
    for name, row in table.items():
        for s in STRATEGIES:
            assert row[s] <= row["chance"] + MARGIN, f"{name}: '{s}' scores {row[s]:.1f}% against chance {row['chance']:.1f}%"
