"""`peersupport build` regenerates every generated file; a test fails when any is stale."""

import shutil
from pathlib import Path

from peersupport.build import build, stale

REPO = Path(__file__).resolve().parents[2]


def test_no_generated_file_is_stale():
    bad = [str(p.relative_to(REPO)) for p in stale(REPO)]
    assert bad == [], f"stale generated files (run `peersupport build` and commit): {bad}"


def test_a_hand_edit_to_a_released_items_file_is_caught_and_rebuilt(tmp_path):
    for part in ("autograder", "exercises", "docs", "modules"):
        shutil.copytree(REPO / part, tmp_path / part)
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    items = tmp_path / "exercises" / "active-listening" / "items.yaml"
    items.write_text(items.read_text().replace("kind: single", "kind: single  # edited by hand", 1))
    assert items in stale(tmp_path)
    assert items in build(tmp_path)
    assert stale(tmp_path) == []
