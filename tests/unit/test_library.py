"""Loading a whole library: one bad file never stops the others; the check command; the schema."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from peersupport.cli import main
from peersupport.scenarios import load_library
from peersupport.scenarios import schema as schema_mod
from peersupport.scenarios.models import count_sentences

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "scenarios"


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "scenarios"
    (root / "demo").mkdir(parents=True)
    shutil.copy(REPO / "scenarios" / "vocabulary.yaml", root)
    shutil.copy(FIXTURES / "valid-minimal.yaml", root / "demo")
    shutil.copy(FIXTURES / "dangling-next.yaml", root / "demo")
    shutil.copy(FIXTURES / "bad-yaml-syntax.yaml", root / "demo")
    return root


def test_one_bad_file_never_stops_the_others(library):
    lib = load_library(library)
    assert list(lib.scenarios) == ["demo/valid-minimal"]
    assert sorted(e.file for e in lib.errors) == ["scenarios/demo/bad-yaml-syntax.yaml", "scenarios/demo/dangling-next.yaml"]
    with pytest.raises(KeyError, match="has errors and cannot be played"):
        lib.scenario("demo/dangling-next")
    with pytest.raises(KeyError, match="Did you mean: demo/valid-minimal"):
        lib.scenario("demo/valid-minimum")


def test_duplicate_scenario_ids_across_modules(library):
    (library / "other").mkdir()
    shutil.copy(FIXTURES / "valid-minimal.yaml", library / "other")
    lib = load_library(library)
    assert [str(e) for e in lib.errors if "also used" in e.problem] == [
        (
            "scenarios/other/valid-minimal.yaml:1: The scenario id 'valid-minimal' is also used by scenarios/demo/valid-minimal.yaml. "
            "Fix: Scenario ids must be unique across all modules; choose another id and file name."
        )
    ]


def test_check_command_fails_naming_file_line_and_fix(library):
    result = CliRunner().invoke(main, ["check", "--content", str(library)])
    assert result.exit_code == 1
    assert "scenarios/demo/dangling-next.yaml:21: Choice 'a' in node 'opening' goes to 'end-gud'" in result.output
    assert "Fix: Point 'next' at one of: end-good, opening" in result.output
    assert "1 scenario(s), 0 knowledge check(s), the exercise specs and rubrics; 2 error(s)" in result.output


def test_check_command_passes_on_the_repository():
    proc = subprocess.run([sys.executable, "-m", "peersupport", "check"], check=False, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert " 0 error(s)" in proc.stdout


def test_unknown_vocabulary_references(tmp_path):
    root = tmp_path / "scenarios"
    root.mkdir()
    (root / "vocabulary.yaml").write_text(
        "domains: [{id: d1, framework: X, name: D}]\n"
        "categories: [{id: c1, number: 1, name: C}]\n"
        "skills:\n  - {id: s1, name: S, category: c2, domains: [d2]}\n  - {id: c1, name: Dup, category: c1, domains: [d1]}\n",
        encoding="utf-8",
    )
    lib = load_library(root)
    assert [str(e) for e in lib.errors] == [
        "scenarios/vocabulary.yaml:5: The id 'c1' is already used in categories. Fix: Every id in the vocabulary must be unique.",
        "scenarios/vocabulary.yaml:4: Skill 's1' names an unknown category 'c2'. Fix: Use one of: c1.",
        "scenarios/vocabulary.yaml:4: Skill 's1' names an unknown domain 'd2'. Fix: Use one of: d1.",
    ]


def test_exported_schema_is_current():
    folder = REPO / "scenarios" / "schema"
    for name, text in schema_mod.render().items():
        on_disk = (folder / name).read_text(encoding="utf-8") if (folder / name).exists() else ""
        assert on_disk == text, f"scenarios/schema/{name} is stale: run `peersupport schema` and commit the result."


@pytest.mark.parametrize(
    ("text", "n"),
    [("", 0), ("One.", 1), ("One. Two!", 2), ("Is it? Yes. \"Quoted.\" Then more", 4), ("No end mark", 1), ("Wait...  what?", 2)],
)
def test_count_sentences(text, n):
    assert count_sentences(text) == n


def test_library_is_cached_until_a_file_changes(library):
    first = load_library(library)
    assert load_library(library) is first
    path = library / "demo" / "valid-minimal.yaml"
    path.write_text(path.read_text().replace("Ana called", "Ana rang"), encoding="utf-8")
    again = load_library(library)
    assert again is not first and "Ana rang" in again.scenario("demo/valid-minimal").persona.background
    (library / "demo" / "dangling-next.yaml").unlink()
    assert len(load_library(library).errors) == 1
