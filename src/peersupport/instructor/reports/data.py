"""Grades out of nbgrader's gradebook as pandas tables, each item tagged with its competency,
competency category and certification domains (from ``scenarios/vocabulary.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .exports import item_rows as gradebook_rows


@dataclass
class Trainee:
    id: str
    first_name: str
    last_name: str
    email: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass
class Submission:
    student: str
    assignment: str
    timestamp: object
    duedate: object
    score: float
    max_score: float
    late_penalty: float


def load_vocabulary(root: Path):
    from ...scenarios import load_library

    content = Path(root) / "scenarios"
    return load_library(content if content.is_dir() else None).vocabulary


def grades_frame(db_url: str, source_dir: Path, course_id: str, vocabulary) -> pd.DataFrame:
    """One row per trainee and graded cell: score, max_score, item, kind, competency, category, domains."""
    df = pd.DataFrame(gradebook_rows(db_url, source_dir, course_id))
    if df.empty:
        return pd.DataFrame(columns=["student", "assignment", "notebook", "item", "kind", "competency", "score",
                                     "max_score", "needs_manual_grade", "category", "domains"])
    df["score"] = df["score"].astype(float)
    df["max_score"] = df["max_score"].astype(float)
    df["category"] = df["competency"].map(lambda c: vocabulary.category_of(c) if c else "")
    df["domains"] = df["competency"].map(lambda c: tuple(vocabulary.domains_of(c)) if c else ())
    return df


def trainees_and_submissions(db_url: str, course_id: str) -> tuple[dict[str, Trainee], list[Submission]]:
    from nbgrader.api import Gradebook

    trainees, subs = {}, []
    with Gradebook(db_url, course_id) as gb:
        for s in gb.students:
            trainees[s.id] = Trainee(s.id, s.first_name or "", s.last_name or "", s.email or "")
        for a in gb.assignments:
            for sub in a.submissions:
                subs.append(Submission(sub.student_id, a.name, sub.timestamp, a.duedate, float(sub.score),
                                       float(sub.max_score), float(sub.late_submission_penalty or 0.0)))
    return trainees, subs
