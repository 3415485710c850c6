"""The README's example scenario is valid, and the README gives the two commands."""

import re
import shutil
from pathlib import Path

from peersupport.scenarios import Engine, load_library

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands():
    assert "make lab" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_readme_example_scenario_passes_the_checker(tmp_path):
    block = re.search(r"```yaml\n(.*?)```", README, re.DOTALL).group(1)
    root = tmp_path / "scenarios"
    (root / "demo").mkdir(parents=True)
    shutil.copy(REPO / "scenarios" / "vocabulary.yaml", root)
    (root / "demo" / "late-shift.yaml").write_text(block, encoding="utf-8")
    lib = load_library(root)
    assert lib.errors == []
    e = Engine(lib.scenario("demo/late-shift"))
    e.choose("a")
    e.choose("a")
    assert e.finished and e.score().percent == 100.0
