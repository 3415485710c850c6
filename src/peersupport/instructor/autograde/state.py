"""What has been graded already, keyed by the content of each submission.

``course/.peersupport/grade-state.json`` holds, per assignment and trainee, the hash of the
submitted folder (every file's path and bytes, plus the assignment's source files and the grading
settings) and the outcome. It is rewritten atomically after every single result, so a run that is
killed loses at most the submissions in flight; the next run grades only what is missing or whose
hash changed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path

STATE_FILE = "grade-state.json"
LOCK_FILE = "grade.lock"


def folder_hash(folder: Path, extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


class GradeState:
    def __init__(self, directory: Path):
        self.path = Path(directory) / STATE_FILE
        self.data: dict[str, dict[str, dict]] = {}
        if self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self.data = loaded if isinstance(loaded, dict) else {}
            except (json.JSONDecodeError, UnicodeDecodeError):
                self.data = {}  # a damaged state file only means grading everything again

    def get(self, assignment: str, student: str) -> dict | None:
        return self.data.get(assignment, {}).get(student)

    def record(self, assignment: str, student: str, entry: dict) -> None:
        self.data.setdefault(assignment, {})[student] = entry
        self.save()

    def forget(self, assignment: str, student: str) -> None:
        self.data.get(assignment, {}).pop(student, None)

    def save(self) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".grade-state-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


class RunLock:
    """One `peersupport grade` at a time per course (two runs would grade the same trainee twice)."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / LOCK_FILE
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise RuntimeError("Another `peersupport grade` is running on this course; wait for it to finish.") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
