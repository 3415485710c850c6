"""One worker grades one trainee after another in the same sandbox (``sandboxfork``): nothing carries over.

A trainee graded first tries to leave something for the trainees graded after it by the same worker:
files in /tmp and /dev/shm, files planted where the next submissions will be copied, a process that
keeps running, and stopping, killing or reading the kernel template (PID 1 of the sandbox). The next
trainee's kernel looks for all of it, and an honest trainee graded last gets exactly the score it gets
when graded alone.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import psutil
import pytest
from nbgrader.api import Gradebook

from harness.course import SPEC, A, make_course, peersupport, release_nb
from harness.synthetic import write_submission
from peersupport.instructor.autograde import sandbox

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sandbox.check().ok, reason="bubblewrap cannot run here")]

LEAVER = r'''
import os, signal, subprocess
notes = []
for path in ("/tmp/leftover", "/dev/shm/leftover"):
    with open(path, "w") as f:
        f.write("from a-leaver")
auto = os.path.dirname(os.path.dirname(os.getcwd()))
for who in ("b-observer", "c-control"):
    try:
        os.makedirs(os.path.join(auto, who, "active-listening"), exist_ok=True)
        with open(os.path.join(auto, who, "active-listening", "planted.txt"), "w") as f:
            f.write("from a-leaver")
        notes.append("planted " + who)
    except OSError as exc:
        notes.append("could not plant " + who + " " + type(exc).__name__)
subprocess.Popen(["/bin/sh", "-c", "while true; do echo sandbox-reuse-marker > /tmp/loop; sleep 0.2; done"],
                 start_new_session=True)
for sig in (signal.SIGSTOP, signal.SIGKILL):
    try:
        os.kill(1, sig)
    except OSError as exc:
        notes.append("signal 1 " + type(exc).__name__)
try:
    with open("/proc/1/mem", "rb") as f:
        f.read(1)
    notes.append("read the template's memory")
except OSError as exc:
    notes.append("template memory " + type(exc).__name__)
print("leaver:", notes)
'''

OBSERVER = r'''
import glob, os
auto = os.path.dirname(os.path.dirname(os.getcwd()))
print("observer: leftovers", [p for p in ("/tmp/leftover", "/dev/shm/leftover", "/tmp/loop") if os.path.exists(p)])
print("observer: planted", glob.glob(auto + "/*/*/planted.txt"))
print("observer: folders", sorted(os.listdir(auto)))
print("observer: processes", len([n for n in os.listdir("/proc") if n.isdigit()]))
'''


def _attack(course, trainee: str, code: str) -> None:
    folder = course.root / "course" / "submitted" / trainee / A
    folder.mkdir(parents=True)
    nb = nbformat.read(release_nb(course), as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{SPEC.items[0].id}-typed")
    first.source = code
    nbformat.write(nb, folder / f"{A}.ipynb")


def _said(course, trainee: str, prefix: str) -> list[str]:
    """What the trainee's code printed on lines starting with `prefix:` (the rest of each line)."""
    nb = nbformat.read(course.root / "course" / "autograded" / trainee / A / f"{A}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    return [ln[len(prefix) + 1:].strip() for ln in text.splitlines() if ln.startswith(prefix + ":")]


def _scores(root: Path, student: str) -> dict:
    with Gradebook(f"sqlite:///{root / 'course' / 'gradebook.db'}", "peer-support") as gb:
        return {g.name: g.score for g in gb.find_submission_notebook(A, A, student).grades}


def test_nothing_one_trainee_leaves_reaches_the_next_in_the_same_sandbox(tmp_path):
    course = make_course(tmp_path / "together")
    _attack(course, "a-leaver", LEAVER)
    _attack(course, "b-observer", OBSERVER)
    write_submission(course.root / "course" / "submitted", "c-control", SPEC, release_nb(course), "partial", seed=3)
    alone = tmp_path / "alone"
    shutil.copytree(course.root, alone)
    for d in (alone / "course" / "submitted").iterdir():
        if d.name != "c-control":
            shutil.rmtree(d)

    out = peersupport("grade", A, "--root", str(course.root), "--no-collect", "--timeout", "20",
                      "--require-sandbox", "--workers", "1")
    lines = {ln.split()[0]: ln for ln in out.stdout.splitlines() if ln.split()}
    for trainee in ("a-leaver", "b-observer", "c-control"):
        assert " graded " in lines[trainee], lines[trainee]

    leaver = ast.literal_eval(_said(course, "a-leaver", "leaver")[0])
    assert "planted b-observer" in leaver and "template memory PermissionError" in leaver, leaver
    seen = dict(ln.split(" ", 1) for ln in _said(course, "b-observer", "observer"))
    assert seen["leftovers"] == "[]", seen
    assert seen["planted"] == "[]", seen
    assert seen["folders"] == "['b-observer']", seen  # only its own submission is in the sandbox
    assert int(seen["processes"]) <= 2, seen  # the template and its own kernel
    auto = course.root / "course" / "autograded"
    assert not list(auto.glob("*/*/planted.txt"))
    left = [p for p in psutil.process_iter(["cmdline"]) if "sandbox-reuse-marker" in " ".join(p.info["cmdline"] or [])]
    assert left == []

    peersupport("grade", A, "--root", str(alone), "--no-collect", "--timeout", "20", "--require-sandbox",
                "--workers", "1")
    assert _scores(course.root, "c-control") == _scores(alone, "c-control")
