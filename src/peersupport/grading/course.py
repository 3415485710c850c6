"""The course configuration, shared by autograder/nbgrader_config.py and the tests.

Everything nbgrader writes (release, submitted, autograded, feedback, the gradebook) goes under
``<root>/course/``, which git ignores; the sources stay in ``<root>/exercises/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .answers import ANSWER_FILE

COURSE_ID = "peer-support"
SOURCE = "exercises"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
STEPS = ("release", "submitted", "autograded", "feedback", "solution")


def assignments(root: str | os.PathLike) -> list[str]:
    src = Path(root) / SOURCE
    return sorted(p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) if src.is_dir() else []


def configure(c, root: str | os.PathLike, *, exchange: str | None = None, course_id: str = COURSE_ID) -> None:
    """Fill a traitlets config `c` for the course whose repository root is `root`."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from .feedback import ScrubFeedback

    root = Path(root).resolve()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = SOURCE
    for step in STEPS:
        setattr(c.CourseDirectory, f"{step}_directory", f"course/{step}")
    c.CourseDirectory.db_url = f"sqlite:///{root / 'course' / 'gradebook.db'}"
    c.Exchange.root = exchange or os.environ.get("PEERSUPPORT_EXCHANGE") or DEFAULT_EXCHANGE
    # Released answer cells: the reference answer is cut out and nothing is put in its place, so the
    # typed-answer cell keeps its one line `answer("id", "")`.
    c.ClearSolutions.code_stub = {"python": ""}
    c.ClearSolutions.text_stub = "Replace this line with your answer, in your own words."
    # A deleted test cell is put back and run, so deleting it never helps (and an accident never hurts).
    c.OverwriteCells.add_missing_cells = True
    # A trainee's my-answers.json must never be overwritten by a stray copy in the source folder.
    c.Autograde.exclude_overwriting = {a: [ANSWER_FILE] for a in assignments(root)}
    c.Execute.timeout = 120
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ScrubFeedback]
