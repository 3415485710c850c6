"""`peersupport grade`: collect, then autograde every new or changed submission in parallel.

Every trainee known to the course (in the gradebook or with a submission of any assignment) gets
one state in the run's summary:

- ``graded``: graded in this run
- ``unchanged``: graded before, and neither the submission nor the course's settings changed since
- ``failed``: could not be graded, with the reason; a failure the trainee caused (a notebook that
  is not JSON) stays failed until the submission changes (or ``--retry-failed``), a failure of the
  grading environment (a busy gradebook, a worker that died, a sandbox that could not start) is
  retried by the next plain run
- ``missing``: no submission of this assignment
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import Course, alembic_on_path
from . import pool
from . import sandbox as sandboxing
from .state import GradeState, RunLock, folder_hash


@dataclass
class Outcome:
    student: str
    status: str  # graded, unchanged, failed, missing
    seconds: float = 0.0
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    environment: bool = False  # failed because of the grading environment, not the submission


@dataclass
class GradeRun:
    assignment: str
    outcomes: dict[str, Outcome]
    seconds: float
    workers: int
    sandboxed: bool = False
    sandbox_note: str = ""

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.status == status]


def default_workers() -> int:
    """Two workers a core (2 to 8): a worker waits on its kernel about half the time, so one a core
    leaves cores idle (measured on 2 cores, 100 submissions: 3 workers 67 s, 4 workers 55 s)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def _code_cells(folder: Path) -> int:
    n = 0
    for nb in folder.glob("*.ipynb"):
        try:
            n += sum(c.cell_type == "code" for c in nbformat.read(nb, as_version=4).cells)
        except Exception:  # noqa: BLE001, S112 - nbgrader reports an unreadable notebook itself
            continue
    return n


def submission_limit(ex: dict, cells: int) -> float | None:
    """Seconds one submission may take in all, from nbgrader's own bounds; None when cells have none.

    nbgrader stops a cell after ``timeout`` s (then waits up to ``iopub_timeout`` for its output),
    starts a kernel within ``startup_timeout`` s and tries ``execute_retries`` more times: a
    notebook nbgrader grades always finishes within this, with 30 s a cell and 120 s to spare for
    nbgrader's own steps. It only stops a grader that hangs outside any cell.
    """
    if not ex["timeout"]:
        return None
    one = ex["startup_timeout"] + cells * (ex["timeout"] + (ex["iopub_timeout"] or 0) + 30)
    return float((ex["retries"] + 1) * one + 120)


def _gradebook(db_url: str, cid: str, assignment: str) -> tuple[dict[str, tuple[float, float]], set[str]]:
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(db_url, cid) as gb:
        students = {s.id for s in gb.students}
        try:
            subs = gb.assignment_submissions(assignment)
        except MissingEntry:
            subs = []
        for sub in subs:
            scores[sub.student_id] = (sub.score, sub.max_score)
    return scores, students


def _require_assignment(course: Course, assignment: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise RuntimeError(f"No assignment {assignment!r} in the gradebook ({course.db_url}): run "
                               f"`nbgrader generate_assignment {assignment}` first, as `nbgrader autograde` needs too.") from None


def grade(course: Course, assignment: str, *, workers: int | None = None, limit: float | None = None,
          collect: bool = True, force: bool = False, retry_failed: bool = False, plain_kernels: bool = False,
          progress=None, sandbox: bool = True, require_sandbox: bool = False) -> GradeRun:
    """Grade every submission of `assignment` that is new or changed since the last run."""
    t_start = time.perf_counter()
    ex = course.execute_settings()
    workers = workers or default_workers()
    sdir = course.state_dir
    box = sandboxing.check() if sandbox else None
    if box is not None and not box.ok and require_sandbox:
        raise RuntimeError(f"--require-sandbox: submissions cannot be sandboxed here: {box.problem}")
    if box is not None and box.ok:
        note = f"sandboxed: each submission ran alone in a bubblewrap sandbox ({box.version})"
    else:
        why = "--no-sandbox was given" if box is None else box.problem
        note = (f"WARNING: submissions were NOT sandboxed ({why}): trainee code ran with the grader's rights "
                "and could reach the gradebook, the sources and other submissions. See docs/reliability.md.")
    submitted = course.path("submitted")
    settings = {"cwd": str(course.cwd), "argv": course.argv, "assignment": assignment, "timeout": ex["timeout"],
                "submitted": str(submitted), "autograded": str(course.path("autograded")),
                "release": str(course.path("release")), "source": str(course.path("source")),
                "log_file": str(sdir / "worker-{}.log"), "plain_kernels": plain_kernels,
                "sandbox": box.settings(course) if box is not None and box.ok else None, "sandbox_note": note}
    with RunLock(sdir):
        alembic_on_path()
        if collect:
            from nbgrader.apps import NbGraderAPI

            result = NbGraderAPI(config=course.config).collect(assignment)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not collect {assignment}: {result.get('error') or result.get('log')}")
        folders = {d.parent.name: d for d in sorted(submitted.glob(f"*/{assignment}")) if d.is_dir()}
        everyone = {d.name for d in submitted.iterdir() if d.is_dir()} if submitted.is_dir() else set()
        source = course.path("source") / assignment
        key = f"{folder_hash(source) if source.is_dir() else ''}:{ex}"
        state = GradeState(sdir)
        in_book, students = _gradebook(course.db_url, course.course_id, assignment)  # creates it before workers race
        _require_assignment(course, assignment)
        outcomes: dict[str, Outcome] = {}
        for student in sorted((students | everyone) - set(folders)):
            outcomes[student] = Outcome(student, "missing", reason=f"no submission of {assignment}")
        todo, hashes, limits = [], {}, {}
        for student, folder in folders.items():
            hashes[student] = folder_hash(folder, key)
            prev = state.get(assignment, student)
            same = bool(prev and prev.get("hash") == hashes[student])
            if same and not force and prev.get("status") == "graded" and student in in_book:
                score, max_score = in_book[student]
                outcomes[student] = Outcome(student, "unchanged", warnings=prev.get("warnings", []), score=score,
                                            max_score=max_score)
            elif same and not force and prev.get("status") == "failed" and not prev.get("environment") and not retry_failed:
                outcomes[student] = Outcome(student, "failed", reason="unchanged since it failed: " + prev.get("reason", ""),
                                            warnings=prev.get("warnings", []))
            else:
                todo.append(student)
                cells = max(_code_cells(folder), _code_cells(course.path("release") / assignment), _code_cells(source))
                limits[student] = limit or submission_limit(ex, cells)

        def on_result(msg: dict) -> None:
            student = msg["student"]
            status = "graded" if msg["success"] else "failed"
            env = bool(msg.get("environment"))
            outcomes[student] = Outcome(student, status, msg.get("seconds", 0.0), msg.get("reason", ""),
                                        msg.get("warnings", []), environment=env)
            if env:
                outcomes[student].reason += " (not caused by the submission: the next run grades it again)"
            state.record(assignment, student, {"hash": hashes[student], "status": status, "reason": msg.get("reason", ""),
                                               "warnings": msg.get("warnings", []), "seconds": msg.get("seconds", 0.0),
                                               "environment": env})
            if progress:
                progress(outcomes[student])

        pool.run(todo, settings, workers, limits, on_result, sandboxed=settings["sandbox"] is not None)
        for student, (score, max_score) in _gradebook(course.db_url, course.course_id, assignment)[0].items():
            if student in outcomes and outcomes[student].status == "graded":
                outcomes[student].score, outcomes[student].max_score = score, max_score
    return GradeRun(assignment, outcomes, time.perf_counter() - t_start, workers, settings["sandbox"] is not None, note)
