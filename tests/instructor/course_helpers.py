"""Helpers shared by the instructor tests: a scratch course and the `peersupport` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def make_course(tmp: Path) -> Course:
    course = Course.copy_of(REPO, tmp)
    shutil.copytree(REPO / "modules", course.root / "modules")  # training records read the modules' front matter
    api = course.api()
    for step in (api.generate_assignment, api.release_assignment):
        result = step(A)
        assert result["success"], result.get("log")
    return course


def release_nb(course: Course) -> Path:
    return course.root / "course" / "release" / A / f"{A}.ipynb"

