"""docs/coverage.md is current, and every competency a module claims is practised and assessed."""

from pathlib import Path

from peersupport import coverage

REPO = Path(__file__).resolve().parents[2]


def test_coverage_table_is_current():
    expected = coverage.render(coverage.collect(REPO))
    on_disk = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert on_disk == expected, "docs/coverage.md is stale: run `peersupport coverage` and commit it."


def test_every_claimed_competency_is_practised_and_assessed():
    gaps = coverage.collect(REPO).gaps()
    assert not gaps, "\n".join(gaps)
