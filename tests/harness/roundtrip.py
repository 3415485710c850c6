"""Run the nbgrader round trip in one process: for a dry run before term, and for the tests.

``Course`` copies the repository's exercises/ and autograder/ into a scratch folder, so the real
course/ folder and exchange are never touched, and drives nbgrader's own Python API and exchange
classes (the same code the CLI and the JupyterHub extensions call).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from peersupport.instructor.course import COURSE_ID, configure


def _alembic_on_path() -> None:
    """nbgrader runs the `alembic` command to create the gradebook: make the venv's bin reachable."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


@dataclass
class Course:
    root: Path
    exchange: Path

    @classmethod
    def copy_of(cls, repo: str | os.PathLike, scratch: str | os.PathLike) -> Course:
        repo, scratch = Path(repo), Path(scratch)
        root = scratch / "course-root"
        shutil.copytree(repo / "exercises", root / "exercises")
        shutil.copytree(repo / "autograder", root / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(repo / "nbgrader_config.py", root / "nbgrader_config.py")  # nbgrader's place: the course root
        exchange = scratch / "exchange"
        exchange.mkdir(parents=True, exist_ok=True)
        _alembic_on_path()
        return cls(root, exchange)

    def config(self) -> Config:
        c = Config()
        configure(c, self.root, exchange=str(self.exchange))
        return c

    def api(self):
        from nbgrader.apps import NbGraderAPI

        return NbGraderAPI(config=self.config())

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'course' / 'gradebook.db'}"

    # -- the trainee's side ------------------------------------------------------------------
    def trainee_config(self, student: str, home: Path, assignment: str) -> Config:
        c = Config()
        c.Exchange.root = str(self.exchange)
        c.Exchange.assignment_dir = str(home)
        c.CourseDirectory.course_id = COURSE_ID
        c.CourseDirectory.root = str(home)
        c.CourseDirectory.student_id = student
        c.CourseDirectory.assignment_id = assignment
        return c

    def _exchange(self, kind: str, student: str, home: Path, assignment: str):
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory

        c = self.trainee_config(student, home, assignment)
        factory = ExchangeFactory(config=c)
        cls = {"fetch": factory.FetchAssignment, "submit": factory.Submit}[kind]
        return cls(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)

    def fetch(self, student: str, home: Path, assignment: str) -> Path:
        home.mkdir(parents=True, exist_ok=True)
        self._exchange("fetch", student, home, assignment).start()
        return home / assignment

    def submit(self, student: str, home: Path, assignment: str) -> None:
        self._exchange("submit", student, home, assignment).start()


def type_answers(notebook: Path, typed: dict[str, str]) -> None:
    """Answer like a trainee who types: fill each item's typed-answer cell and save the notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("-typed"):
            item_id = grade_id[: -len("-typed")]
            cell.source = f'answer("{item_id}", "{typed[item_id]}")'
    nbformat.write(nb, notebook)
