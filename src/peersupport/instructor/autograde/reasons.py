"""Turn what nbgrader said about one submission into plain reasons an instructor can act on."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

BIG_OUTPUT = 2_000_000  # bytes of autograded notebook that count as a flood of output


def failure_reason(error: str, log: str, timeout: float) -> str:
    """Why nbgrader could not grade a submission (success was False)."""
    text = f"{log}\n{error}"
    if "NotJSONError" in text or "does not appear to be JSON" in text or "JSONDecodeError" in text:
        return "the notebook file is not valid JSON (damaged or cut off when it was uploaded)"
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the notebook ended Python while it ran (for example os._exit) or ran out of memory"
    if "NbFormatError" in text or "ValidationError" in text or "Notebook does not appear to be" in text:
        return "the notebook file is damaged (it does not follow the notebook format)"
    if "database is locked" in text:
        return "the gradebook was busy (database is locked); run `peersupport grade` again"
    if "Timeout" in text:
        return f"the notebook did not finish within the time limit ({timeout:g} s per cell)"
    last = [line for line in error.strip().splitlines() if line.strip()]
    return f"nbgrader could not grade it: {last[-1][:200] if last else 'no error message'}"


ENVIRONMENT = ("database is locked", "OperationalError", "could not connect to server", "Connection refused",
               "No space left on device", "bwrap:", "kernel template", "Kernel didn't respond", "Too many open files")


def environment_failure(error: str, log: str) -> bool:
    """True when nbgrader failed because of the grading environment, not the submission."""
    text = f"{log}\n{error}"
    return any(s in text for s in ENVIRONMENT)


_CHANGED = re.compile(r"Attribute '(\w+)' for cell (\S+) has changed! \(should be: (.*?), got: (.*?)\)")
_WHAT = {"points": "points restored", "locked": "read-only again", "cell_type": "cell type restored"}


def restored_from_log(log: str) -> list[str]:
    """What nbgrader's OverwriteCells put back (its log: "Attribute 'X' for cell Y has changed!")."""
    out = []
    for attr, cell, _should, _got in _CHANGED.findall(log):
        if attr == "checksum":  # every hidden-test cell "changes" (its hidden lines were released stripped):
            continue  # edits to read-only cells are found by comparing with the released notebook instead
        note = f"{cell}: {_WHAT.get(attr, attr + ' restored')}"
        if note not in out:
            out.append(note)
    for cell in re.findall(r"Missing grade cell (\S+) encountered, adding to notebook", log):
        out.append(f"{cell}: deleted test cell put back")
    return out


def warnings_from_log(log: str, timeout: float) -> list[str]:
    out = []
    n = len(re.findall(r"Timeout waiting for execute reply", log))
    if n:
        out.append(f"{n} cell(s) ran past the {timeout:g} s limit and were stopped (those cells score 0)")
    return out


def edited_test_cells(submitted_nb: Path, release_nb: Path) -> list[str]:
    """Test cells (graded, not answers) edited although not read-only: nbgrader runs them as edited."""
    try:
        sub = nbformat.read(submitted_nb, as_version=4)
        rel = nbformat.read(release_nb, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook is reported by the grader itself
        return []

    def tests(nb):
        return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
                and not c.metadata["nbgrader"].get("locked") and "grade_id" in c.metadata["nbgrader"]}

    released, seen = tests(rel), tests(sub)
    return sorted(g for g, src in released.items() if g in seen and seen[g].strip() != src.strip())


def edited_locked_cells(submitted_nb: Path, release_nb: Path) -> list[str]:
    """Read-only cells whose text differs from the released notebook (nbgrader restores them)."""
    try:
        sub = nbformat.read(submitted_nb, as_version=4)
        rel = nbformat.read(release_nb, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook is reported by the grader itself
        return []
    released = {c.metadata["nbgrader"]["grade_id"]: c.source for c in rel.cells
                if c.metadata.get("nbgrader", {}).get("locked")}
    seen = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in sub.cells}
    return sorted(g for g, src in released.items() if g in seen and seen[g].strip() != src.strip()
                  or g not in seen)


def missing_files(before: set[str], after_dir: Path) -> list[str]:
    after = {p.name for p in after_dir.iterdir()} if after_dir.is_dir() else set()
    return sorted(before - after)


def output_size(autograded_dir: Path) -> int:
    return sum(p.stat().st_size for p in autograded_dir.glob("*.ipynb")) if autograded_dir.is_dir() else 0
