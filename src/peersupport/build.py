"""Every generated file, rebuilt by one command (`peersupport build`) and checked for staleness.

Generated here: the JSON Schemas (scenarios/schema/), the coverage table (docs/coverage.md), and
each exercise's released items.yaml and source notebook (exercises/<assignment>/, from the
grader-side spec autograder/items/<assignment>.yaml). A test fails when any of them is stale, so a
hand edit to a released items.yaml cannot slip through.
"""

from __future__ import annotations

from pathlib import Path


def render_all(root: Path) -> dict[Path, str]:
    """Path -> expected text of every generated file under the repository `root`."""
    from .grading import authoring
    from .scenarios import schema
    from .scenarios.loader import SCHEMA_DIR

    out: dict[Path, str] = {}
    for name, text in schema.render().items():
        out[root / "scenarios" / SCHEMA_DIR / name] = text
    for spec in sorted((root / "autograder" / "items").glob("*.yaml")):
        out.update(authoring.render(spec, root / "exercises"))
    # coverage reads the exercises, so it is rendered last, from the files as they will be
    out[root / "docs" / "coverage.md"] = None  # type: ignore[assignment]
    return out


def _expected(root: Path):
    """(path, expected text) for every generated file; coverage last, computed from the files as written."""
    from . import coverage

    for path, text in render_all(root).items():
        yield path, coverage.render(coverage.collect(root)) if text is None else text


def _current(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def stale(root: Path) -> list[Path]:
    """Generated files whose content on disk differs from what `build` would write."""
    return [path for path, text in _expected(root) if not _current(path, text)]


def build(root: Path) -> list[Path]:
    """Write every generated file that changed; returns the paths written."""
    written = []
    for path, text in _expected(root):
        if not _current(path, text):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
