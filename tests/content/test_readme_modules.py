"""The README's module table matches the notebooks (titles and minutes from the shared estimate)."""

from pathlib import Path

from peersupport.modules import load_module, module_paths
from peersupport.timing import estimate

REPO = Path(__file__).resolve().parents[2]


def test_readme_lists_every_module_with_its_minutes():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in module_paths(REPO):
        m = load_module(path).meta
        exercise = int(5 * round(estimate(path, REPO).exercise / 5))
        assert f"| {m.number:02d} | {m.title}" in readme, f"README lacks module {m.number:02d}"
        row = next(line for line in readme.splitlines() if line.startswith(f"| {m.number:02d} |"))
        assert row.rstrip().endswith(f"| {m.minutes} | {exercise} |"), f"README minutes for {m.number:02d} are stale: {row}"
