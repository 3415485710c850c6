"""Grades out of the gradebook, one row per trainee and item, tagged with the item's competency.

``nbgrader export`` writes CSV without quoting, so a comma in a name breaks a row; this uses the
csv module. The competency comes from each source cell's ``peersupport`` metadata, so later
reports can cut grades by competency.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

FIELDS = ["student", "assignment", "notebook", "item", "kind", "competency", "score", "max_score", "needs_manual_grade"]


def item_tags(source_dir: str | os.PathLike) -> dict[tuple[str, str, str], dict]:
    """(assignment, notebook, grade_id) -> the cell's peersupport tags, from the source notebooks."""
    tags = {}
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id and "peersupport" in cell.metadata:
                tags[(path.parent.name, path.stem, grade_id)] = dict(cell.metadata["peersupport"])
    return tags


def rows(db_url: str, source_dir: str | os.PathLike, course_id: str = "") -> list[dict]:
    tags = item_tags(source_dir)
    out = []
    with Gradebook(db_url, course_id) as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        tag = tags.get((assignment.name, nb.name, grade.name), {})
                        out.append({
                            "student": student.id, "assignment": assignment.name, "notebook": nb.name,
                            "item": tag.get("item", grade.name), "kind": tag.get("kind", ""),
                            "competency": tag.get("competency", ""), "score": grade.score,
                            "max_score": grade.max_score, "needs_manual_grade": grade.needs_manual_grade,
                        })
    return out


def export_csv(db_url: str, source_dir: str | os.PathLike, path: str | os.PathLike, course_id: str = "") -> int:
    data = rows(db_url, source_dir, course_id)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(data)
    return len(data)


def _find_root(start: Path) -> Path:
    for d in (start, *start.parents):
        if (d / "autograder" / "nbgrader_config.py").is_file():
            return d
    raise SystemExit("Run this inside the course repository (a folder with autograder/nbgrader_config.py).")


if __name__ == "__main__":  # python -m peersupport.grading.export grades.csv
    import sys

    root = _find_root(Path.cwd().resolve())
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "course" / "grades-by-item.csv"
    count = export_csv(f"sqlite:///{root / 'course' / 'gradebook.db'}", root / "exercises", target, "peer-support")
    print(f"wrote {count} rows to {target}")
