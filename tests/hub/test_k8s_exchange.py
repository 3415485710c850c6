"""The exchange layout for Kubernetes (Zero to JupyterHub), where every pod runs as the same account.

Each trainee's pod mounts only its own folders of the shared exchange volume (deploy/kubernetes/values.yaml):
outbound read-only, inbound/<trainee> as its inbound, feedback/<trainee> as its feedback. Here each
pod's view is made with symbolic links in place of those mounts, and the trainees use nbgrader's own
exchange classes through their view. The grader collects with `peersupport grade` (PerTraineeCollect)
and releases feedback with PerTraineeReleaseFeedback. No cluster is involved: this tests the layout
and the two classes, not Kubernetes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config import Config

from harness.roundtrip import Course
from peersupport.hub.provision import copy_course
from peersupport.instructor.course import COURSE_ID

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
A = "active-listening"


def pod_view(volume: Path, views: Path, trainee: str) -> Path:
    """What the trainee's pod sees at its exchange root: the volume's subPaths that values.yaml mounts."""
    root = views / trainee / COURSE_ID
    root.mkdir(parents=True)
    for sub in ("inbound", "feedback"):
        (volume / COURSE_ID / sub / trainee).mkdir(parents=True, exist_ok=True)
        (root / sub).symlink_to(volume / COURSE_ID / sub / trainee)
    (root / "outbound").symlink_to(volume / COURSE_ID / "outbound")
    return root.parent


def exchange(kind: str, view: Path, home: Path, student: str):
    """nbgrader's own exchange class, configured as in the trainee's pod (student id as nbgrader finds it)."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    c = Config()
    c.Exchange.root, c.Exchange.assignment_dir = str(view), str(home)
    c.CourseDirectory.course_id, c.CourseDirectory.root = COURSE_ID, str(home)
    c.CourseDirectory.student_id, c.CourseDirectory.assignment_id = student, A
    f = ExchangeFactory(config=c)
    cls = {"fetch": f.FetchAssignment, "submit": f.Submit, "fetch_feedback": f.FetchFeedback, "list": f.List}[kind]
    return cls(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)


def test_per_trainee_folders_keep_trainees_apart(tmp_path):
    course = Course.copy_of(REPO, tmp_path)
    volume = course.exchange
    copy_course(REPO, course.root, layout="kubernetes")  # as the grader's course volume gets it
    c = course.config()
    c.merge(Config({"ExchangeFactory": {"collect": "peersupport.hub.exchange.PerTraineeCollect",
                                        "release_feedback": "peersupport.hub.exchange.PerTraineeReleaseFeedback"}}))
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=c)
    for step in (api.generate_assignment, api.release_assignment):
        assert step(A)["success"]

    homes = {t: tmp_path / "home" / t for t in ("ana", "ben")}
    views = {t: pod_view(volume, tmp_path / "views", t) for t in homes}
    for t, home in homes.items():
        home.mkdir(parents=True)
        exchange("fetch", views[t], home, t).start()
        (home / A / "written-by.txt").write_text(t)
        exchange("submit", views[t], home, t).start()
    # ana, in her own pod, submits again claiming to be ben (a later timestamp): it lands in her folder
    (homes["ana"] / A / "written-by.txt").write_text("ana, as ben")
    exchange("submit", views["ana"], homes["ana"], "ben").start()
    assert len(list((volume / COURSE_ID / "inbound" / "ana").iterdir())) == 2
    # ana's view reaches her own folders and the released assignments, nothing of ben's
    reached = {p.resolve() for p in (views["ana"] / COURSE_ID).iterdir()}
    assert reached == {volume / COURSE_ID / "outbound", volume / COURSE_ID / "inbound" / "ana",
                       volume / COURSE_ID / "feedback" / "ana"}

    env = dict(os.environ, PEERSUPPORT_EXCHANGE=str(volume))
    out = subprocess.run([sys.executable, "-m", "peersupport.cli", "grade", A, "--root", str(course.root)],
                         capture_output=True, text=True, env=env, timeout=900, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    submitted = course.root / "course" / "submitted"
    assert (submitted / "ben" / A / "written-by.txt").read_text() == "ben"     # the forged one was refused
    assert (submitted / "ana" / A / "written-by.txt").read_text() == "ana"          # her own submission

    for step in (api.generate_feedback, api.release_feedback):
        result = step(A)
        assert result["success"], result["log"]
    for t, home in homes.items():
        released = list((volume / COURSE_ID / "feedback" / t).glob("*.html"))
        assert len(released) == 1, (t, released)
        exchange("fetch_feedback", views[t], home, t).start()
        got = list((home / A / "feedback").rglob(f"{A}.html"))
        assert len(got) == 1, (t, got)
    assert not list((volume / COURSE_ID / "feedback").glob("*.html")), "nothing is released outside a trainee's folder"
    # each pod's feedback folder holds its own trainee's file only
    assert {p.resolve().parent.name for p in (views["ana"] / COURSE_ID / "feedback").iterdir()} == {"ana"}
