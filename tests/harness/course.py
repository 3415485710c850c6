"""Helpers shared by the slow tests: one generated and released scratch course per session, and the `peersupport` command."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.roundtrip import Course
from peersupport.grading.authoring import load_spec

REPO = Path(__file__).resolve().parents[2]
A = "active-listening"
SPEC = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
TIMEOUT = 30  # seconds per cell: an infinite loop is stopped, real cells finish well within it on a busy machine


def peersupport(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    env = dict(kw.pop("env", None) or os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "peersupport.cli", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, check=False, **kw)
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


_TEMPLATE: list[Path] = []  # one generated and released course per test session, copied for each test module


def make_course(tmp: Path) -> Course:
    """A scratch course with Module 01 generated and released (built once per session, then copied)."""
    if not _TEMPLATE:
        base = Path(tempfile.mkdtemp(prefix="peersupport-course-"))
        atexit.register(shutil.rmtree, base, True)
        course = Course.copy_of(REPO, base)
        # training records read the modules' front matter and estimate their minutes from the scenarios
        for folder in ("modules", "scenarios"):
            shutil.copytree(REPO / folder, course.root / folder)
        api = course.api()
        for step in (api.generate_assignment, api.release_assignment):
            result = step(A)
            assert result["success"], result.get("log")
        _TEMPLATE.append(base)
    shutil.copytree(_TEMPLATE[0], tmp, dirs_exist_ok=True, symlinks=True)
    return Course(Path(tmp) / "course-root", Path(tmp) / "exchange")


def release_nb(course: Course) -> Path:
    return course.root / "course" / "release" / A / f"{A}.ipynb"

