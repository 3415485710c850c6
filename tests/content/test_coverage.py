"""docs/coverage.md is current, and every competency a module claims is practised and assessed."""

from pathlib import Path

from peersupport import coverage

REPO = Path(__file__).resolve().parents[2]


def test_coverage_table_is_current():
    expected = coverage.render(coverage.collect(REPO))
    on_disk = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert on_disk == expected, "docs/coverage.md is stale: run `peersupport build` and commit it."


def test_every_claimed_competency_is_practised_and_assessed():
    gaps = coverage.collect(REPO).gaps()
    assert not gaps, "\n".join(gaps)


def test_every_samhsa_category_is_taught_practised_and_assessed():
    """SAMHSA's twelve categories: each taught by a module, practised in >= 3 scenarios, assessed by >= 2 graded items."""
    cov = coverage.collect(REPO)
    assert len(cov.categories) == 12
    gaps = cov.category_gaps()
    assert not gaps, "\n".join(gaps)


def test_every_certification_domain_has_estimated_hours():
    cov = coverage.collect(REPO)
    missing = [f"{f}: {name}" for did, f, name in cov.domains if cov.domain_minutes[did] <= 0]
    assert not missing, f"no module covers: {missing}"
