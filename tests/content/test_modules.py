"""Every teaching notebook has its front matter, sections, working calls, footer and reading level."""

from pathlib import Path

import pytest
import textstat

from peersupport.modules import FILENAME, REQUIRED_HEADINGS, load_module, module_paths, plain_text
from peersupport.scenarios import load_library

REPO = Path(__file__).resolve().parents[2]
PATHS = module_paths(REPO)
IDS = [p.stem for p in PATHS]
MAX_GRADE = 9.0


@pytest.fixture(scope="module")
def lib():
    return load_library(REPO / "scenarios")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_front_matter(path, lib):
    m = load_module(path)
    number, slug = FILENAME.match(path.name).groups()
    assert (m.meta.number, m.meta.slug) == (int(number), slug)
    assert f"**About {m.meta.minutes} minutes**" in m.markdown[0]
    assert m.markdown[0].startswith(f"# Module {number} · {m.meta.title}")
    assert set(m.meta.competencies) <= lib.vocabulary.competency_ids
    assert set(m.meta.domains) <= lib.vocabulary.domain_ids
    implied = {d for c in m.meta.competencies for d in lib.vocabulary.domains_of(c)}
    assert set(m.meta.domains) == implied, "domains must be exactly those of the claimed competencies"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_required_sections_in_order(path):
    heads = load_module(path).headings()
    missing = [h for h in REQUIRED_HEADINGS if h not in heads]
    assert not missing, f"{path.name} lacks {missing}"
    assert [h for h in heads if h in REQUIRED_HEADINGS] == list(REQUIRED_HEADINGS)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_code_cells_are_one_short_line(path):
    for src in load_module(path).code:
        assert "\n" not in src.strip() and len(src) <= 90, f"{path.name}: {src!r}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_calls_resolve(path, lib):
    m = load_module(path)
    plays = m.calls("play")
    assert len(plays) >= 4, f"{path.name} plays {len(plays)} scenarios; at least 4 are required"
    for ref in plays:
        lib.scenario(ref)  # raises with a clear message if missing or broken
    assert sorted(plays) == sorted(m.meta.scenarios), "metadata 'scenarios' must list exactly the scenarios played"
    assert m.calls("knowledge_check") == [m.meta.slug]
    assert m.meta.slug in lib.knowledge_checks
    assert len(m.calls("practice")) >= 1
    assert len(lib.in_module(m.meta.slug)) >= 4


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_crisis_footer(path):
    footer = next(s for s in load_module(path).markdown if s.lstrip().startswith("## If you need support now"))
    for needle in ("988", "text", "911", "outside the US"):
        assert needle.lower() in footer.lower(), f"{path.name} footer lacks {needle!r}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_reading_level(path):
    text = plain_text(load_module(path).teaching_text())
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{path.name}: Flesch-Kincaid grade {grade} > {MAX_GRADE}"


def test_textstat_works_offline():
    """textstat 0.7.8 must not fetch anything: run it with sockets disabled."""
    import socket

    real = socket.socket

    def refuse(*a, **k):
        raise OSError("network disabled in this test")

    socket.socket = refuse
    try:
        easy = textstat.flesch_kincaid_grade("The cat sat on the mat. It was a warm day.")
        hard = textstat.flesch_kincaid_grade(
            "Reflections are statements that mirror the meaning underneath a person's words, including emotions "
            "they have not named explicitly. Practitioners consider carefully."
        )
        assert easy < 2 and hard > 10
    finally:
        socket.socket = real
