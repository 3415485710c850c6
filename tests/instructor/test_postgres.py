"""The gradebook on a real PostgreSQL server through nbgrader's db_url: grade in parallel, suggest,
report and export. The test starts its own server (initdb into a temporary folder, pg_ctl on
127.0.0.1 and a free port, as an unprivileged user when run as root) and stops it at the end.
Without the PostgreSQL binaries it is skipped, except in CI, where it fails: `.ci/run` installs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from harness.course import SPEC, TIMEOUT, A, make_course, peersupport, release_nb
from harness.synthetic import write_cohort
from peersupport.hub.provision import account_exists

pytestmark = pytest.mark.slow
PROFILES = {"pg-full": "full", "pg-blank": "blank", "pg-partial": "partial", "pg-broken": "broken"}


def _bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


@pytest.fixture(scope="module")
def postgres():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL's initdb/pg_ctl are missing in CI: .ci/run should have installed them")
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql); skipping")
    user = None
    if os.geteuid() == 0:
        user = "postgres" if account_exists("postgres") else "nobody"
    base = Path(tempfile.mkdtemp(prefix="peersupport-pg-"))  # not under pytest's root-only folder
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if user:
        info = pwd.getpwnam(user)
        for d in (base, sock):
            os.chown(d, info.pw_uid, info.pw_gid)
    subprocess.run(_as_user([initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"], user),
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    opts = f"-h 127.0.0.1 -p {port} -k {sock}"
    subprocess.run(_as_user([pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"], user),
                   check=True, capture_output=True, timeout=120)
    try:
        createdb = _bin("createdb")
        subprocess.run(_as_user([createdb, "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook"], user),
                       check=True, capture_output=True, timeout=60)
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(_as_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], user), capture_output=True,
                       timeout=120, check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_grade_suggest_report_and_export_on_postgresql(postgres, tmp_path):
    course = make_course(tmp_path)
    # the assignment and its cells go into the PostgreSQL gradebook too
    cfg = course.config()
    cfg.CourseDirectory.db_url = postgres
    from nbgrader.apps import NbGraderAPI

    assert NbGraderAPI(config=cfg).generate_assignment(A)["success"]
    write_cohort(course.root / "course" / "submitted", SPEC, release_nb(course), PROFILES)
    out = peersupport("grade", A, "--root", str(course.root), "--db-url", postgres, "--workers", "2",
                      "--timeout", str(TIMEOUT), "--no-collect")
    assert "1 failed, 3 graded" in out.stdout and "pg-broken" in out.stdout
    with Gradebook(postgres, "peer-support") as gb:
        assert gb.find_submission(A, "pg-full").score == sum(i.points for i in SPEC.items)
        assert gb.find_submission(A, "pg-blank").score == 0
    assert not Path(course.db_url.removeprefix("sqlite:///")).exists() or _sqlite_has_no_submissions(course.db_url)
    peersupport("suggest", A, "--root", str(course.root), "--db-url", postgres)
    with Gradebook(postgres, "peer-support") as gb:
        assert gb.find_comment("al-w1-answer", A, A, "pg-full").manual_comment.startswith("SUGGESTION")
    rep = peersupport("report", A, "--root", str(course.root), "--db-url", postgres, "--out", str(tmp_path / "r"))
    assert "3 trainee(s)" in rep.stdout or "4 trainee(s)" in rep.stdout
    peersupport("export", "--root", str(course.root), "--db-url", postgres, "--out", str(tmp_path / "e"))
    assert len((tmp_path / "e" / "grades-nbgrader.csv").read_text().splitlines()) == 1 + len(PROFILES)


def _sqlite_has_no_submissions(db_url: str) -> bool:
    with Gradebook(db_url, "peer-support") as gb:
        return not gb.assignment_submissions(A) if A in {a.name for a in gb.assignments} else True
