"""Grades for other systems, written with the csv module (every field quoted as needed).

- ``nbgrader_csv``: the columns of ``nbgrader export`` (one row per trainee and assignment,
  trainees with no submission included with a score of 0), but correctly quoted
- ``items_csv``: one row per trainee and graded cell, tagged with the item's competency (from each
  source cell's ``peersupport`` metadata), so reports can cut grades by competency
- ``canvas_csv``: a file Canvas's gradebook import accepts: Student, ID, SIS User ID, SIS Login
  ID, Section, then one column per assignment, with a "Points Possible" row. Canvas matches rows on
  the SIS User ID, so only a --real-names export can be imported; a pseudonymized one is for review.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat

from .pseudonym import Namer

NBGRADER_FIELDS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                   "raw_score", "late_submission_penalty", "score", "max_score"]
ITEM_FIELDS = ["student", "assignment", "notebook", "item", "kind", "competency", "score", "max_score",
               "needs_manual_grade"]
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _iso(value) -> str:
    return "" if value is None else str(value)


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


def item_rows(db_url: str, source_dir: str | os.PathLike, course_id: str = "") -> list[dict]:
    """One row per trainee and graded cell, read from the gradebook at `db_url` (SQLite or PostgreSQL)."""
    from nbgrader.api import Gradebook, MissingEntry

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


def items_csv(db_url: str, source_dir: str | os.PathLike, course_id: str, namer: Namer, path: Path) -> int:
    rows = item_rows(db_url, source_dir, course_id)
    for r in rows:
        r["student"] = r["student"] if namer.real else namer(r["student"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=ITEM_FIELDS)
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def nbgrader_rows(db_url: str, course_id: str, namer: Namer) -> list[dict]:
    from .data import trainees_and_submissions

    trainees, subs = trainees_and_submissions(db_url, course_id)
    by = {(s.assignment, s.student): s for s in subs}
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        assignments = [(a.name, a.duedate, a.max_score) for a in gb.assignments]
    out = []
    for name, duedate, max_score in assignments:
        for t in sorted(trainees.values(), key=lambda t: t.id):
            s = by.get((name, t.id))
            real = namer.real
            out.append({
                "assignment": name, "duedate": _iso(duedate), "timestamp": _iso(s.timestamp if s else None),
                "student_id": t.id if real else namer(t.id), "last_name": t.last_name if real else "",
                "first_name": t.first_name if real else "", "email": t.email if real else "",
                "raw_score": (s.score + s.late_penalty) if s else 0.0, "late_submission_penalty": s.late_penalty if s else 0.0,
                "score": s.score if s else 0.0, "max_score": max_score,
            })
    return out


def nbgrader_csv(db_url: str, course_id: str, namer: Namer, path: Path) -> int:
    rows = nbgrader_rows(db_url, course_id, namer)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=NBGRADER_FIELDS)
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def canvas_csv(db_url: str, course_id: str, namer: Namer, path: Path, section: str = "") -> int:
    rows = nbgrader_rows(db_url, course_id, namer)
    assignments = list(dict.fromkeys(r["assignment"] for r in rows))
    possible = {r["assignment"]: r["max_score"] for r in rows}
    people: dict[str, dict] = {}
    for r in rows:
        p = people.setdefault(r["student_id"], {"Student": (f"{r['last_name']}, {r['first_name']}".strip(", ")
                                                             or r["student_id"]),
                                                "ID": "", "SIS User ID": r["student_id"] if namer.real else "",
                                                "SIS Login ID": r["student_id"] if namer.real else "", "Section": section})
        p[r["assignment"]] = f"{r['score']:g}"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CANVAS_FIXED + assignments)
        w.writerow(["Points Possible", "", "", "", ""] + [f"{possible[a]:g}" for a in assignments])
        for key in sorted(people):
            p = people[key]
            w.writerow([p[c] for c in CANVAS_FIXED] + [p.get(a, "") for a in assignments])
    return len(people)
