"""Stable pseudonyms for reports and exports: a keyed hash (HMAC-SHA256) of the trainee id.

The key is made once per course (``course/.peersupport/pseudonym.key``, readable by its owner
only) or given in ``PEERSUPPORT_PSEUDONYM_KEY``. The same trainee gets the same pseudonym in every
report of the course; without the key nobody can work back from a pseudonym to a trainee, even by
trying every name on a class list.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "pseudonym.key"
ENV = "PEERSUPPORT_PSEUDONYM_KEY"


def course_key(state_dir: Path) -> bytes:
    if os.environ.get(ENV):
        return os.environ[ENV].encode()
    path = Path(state_dir) / KEY_FILE
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def pseudonym(student: str, key: bytes) -> str:
    return "T-" + hmac.new(key, student.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


class Namer:
    """Display names for trainees: pseudonyms by default, ids with names when real names are asked for."""

    def __init__(self, key: bytes | None, names: dict[str, str] | None = None):
        self.key, self.names = key, names or {}

    @property
    def real(self) -> bool:
        return self.key is None

    def __call__(self, student: str) -> str:
        if self.key is not None:
            return pseudonym(student, self.key)
        name = self.names.get(student, "").strip()
        return f"{name} ({student})" if name else student
