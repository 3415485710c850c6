"""Time estimates come from the content (peersupport.timing); front matter stays within 20 % of them."""

from pathlib import Path

import pytest

from peersupport.modules import load_module, module_paths
from peersupport.timing import TOLERANCE, estimate

REPO = Path(__file__).resolve().parents[2]
PATHS = module_paths(REPO)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_front_matter_minutes_are_within_20_percent_of_the_estimate(path):
    m, est = load_module(path), estimate(path, REPO)
    assert abs(m.meta.minutes - est.notebook) <= TOLERANCE * est.notebook, (
        f"{path.name}: front matter says {m.meta.minutes} minutes, the content estimate is {est.notebook:.0f} "
        "(run `python -c \"from peersupport.timing import apply; ...\"` or fix the minutes by hand)")
    assert f"**About {m.meta.minutes} minutes**" in m.markdown[0]


def test_the_estimate_grows_with_the_content(tmp_path):
    import shutil

    import nbformat

    for part in ("modules", "scenarios", "autograder"):
        shutil.copytree(REPO / part, tmp_path / part)
    path = tmp_path / "modules" / PATHS[1].name
    before = estimate(path, tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("## More\n\n" + "Listen with care to the person. " * 300))
    nbformat.write(nb, path)
    after = estimate(path, tmp_path)
    assert after.teaching - before.teaching == pytest.approx(1800 / 150 + 1 / 150, abs=0.1)
    assert after.exercise == before.exercise and after.scenarios == before.scenarios
