"""Hostile submissions graded together with honest ones, each kernel in its own bubblewrap sandbox.

Every attack in tests/fixtures/hostile/ (and a few built here: a shadowing ``peersupport/`` folder,
corrupt and forged answer files, a 50 MB notebook, a file that is not JSON, an edited test cell) is
one trainee of the Module 01 exercise, graded in one ``peersupport grade`` run beside three honest
controls. Each attack gets a named result (asserted below and listed in docs/reliability.md), each
control gets exactly the score ``nbgrader autograde`` gives it, the gradebook holds nothing an
attacker wrote, and no released feedback carries hidden-test source, assert lines or keys.

The unsandboxed path (``--no-sandbox``: forked and plain kernels) is tested at the end, marked as
such, on the attacks that are safe to run without a sandbox.
"""

from __future__ import annotations

import ast
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from string import Template

import nbformat
import psutil
import pytest
from nbgrader.api import Gradebook

from harness.course import SPEC, A, make_course, peersupport, release_nb
from harness.synthetic import answer_notebook, write_submission
from peersupport.instructor.autograde import sandbox

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sandbox.check().ok, reason="bubblewrap cannot run here")]
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
TIMEOUT = 10
CONTROLS = {"control-full": "full", "control-partial": "partial", "control-blank": "blank"}
CODE_CASES = sorted(p.name[: -len(".py.in")] for p in FIX.glob("*.py.in"))
BUILT_CASES = ["shadow-package", "corrupt-answers", "forged-answers", "big-notebook", "not-json", "edited-test-cell"]
NBGRADER_TOO = [*CONTROLS, "edited-test-cell", "forged-answers"]  # graded by nbgrader as well: same scores
SHADOW = "def __getattr__(name):\n    return lambda *args, **kwargs: None\n"


def _canary() -> tuple[socket.socket, int]:
    """A TCP server on the host's loopback that no sandboxed kernel may reach."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    threading.Thread(target=lambda: [c.close() for c in iter(lambda: srv.accept()[0], None)], daemon=True).start()
    return srv, srv.getsockname()[1]


def _write_attack(sub: Path, trainee: str, code: str) -> Path:
    folder = sub / trainee / A
    folder.mkdir(parents=True)
    nb = nbformat.read(release_nb_path, as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{SPEC.items[0].id}-typed")
    first.source = code
    nbformat.write(nb, folder / f"{A}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 17:00:00.000000 UTC")
    return folder


release_nb_path: Path


def _build(sub: Path, names: dict) -> None:
    for trainee, profile in CONTROLS.items():
        write_submission(sub, trainee, SPEC, release_nb_path, profile, seed=11)
    for case in CODE_CASES:
        _write_attack(sub, case, Template((FIX / f"{case}.py.in").read_text()).substitute(names))
    shadow = _write_attack(sub, "shadow-package", "pass")
    for pkg in ("peersupport", "peersupport/grading"):
        (shadow / pkg).mkdir()
        (shadow / pkg / "__init__.py").write_text(SHADOW)
    (shadow / "peersupport" / "grading" / "marking.py").write_text(SHADOW)
    (_write_attack(sub, "corrupt-answers", "pass") / "my-answers.json").write_text("{not json")
    forged = {"version": 1, "trainee": "control-full", "answers": {i.id: "<script>alert(1)</script>" for i in SPEC.items}}
    (_write_attack(sub, "forged-answers", "pass") / "my-answers.json").write_text(json.dumps(forged))
    big = _write_attack(sub, "big-notebook", "pass")
    nb = nbformat.read(big / f"{A}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_raw_cell("y" * (50 << 20)))
    nbformat.write(nb, big / f"{A}.ipynb")
    (_write_attack(sub, "not-json", "pass") / f"{A}.ipynb").write_text("this is not a notebook")
    tampered = answer_notebook(release_nb_path, SPEC, "tamper", random.Random(5), "edited-test-cell")
    folder = sub / "edited-test-cell" / A
    folder.mkdir(parents=True)
    nbformat.write(tampered, folder / f"{A}.ipynb")


def _scores(db_url: str, students) -> dict:
    with Gradebook(db_url, "peer-support") as gb:
        out = {}
        for s in students:
            try:
                out[s] = {g.name: g.score for g in gb.find_submission_notebook(A, A, s).grades}
            except Exception:  # noqa: BLE001 - no submission in the gradebook
                out[s] = None
        return out


def _said(course, trainee: str, prefix: str) -> list[str]:
    nb = nbformat.read(course.root / "course" / "autograded" / trainee / A / f"{A}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    return [ln for ln in text.splitlines() if ln.startswith(prefix + ":")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    global release_nb_path
    scratch = tmp_path_factory.mktemp("hostile")
    course = make_course(scratch)
    release_nb_path = release_nb(course)
    sub = course.root / "course" / "submitted"
    state = course.root / "course" / ".peersupport"
    state.mkdir(parents=True, exist_ok=True)
    (state / "pseudonym.key").write_text("secret-key")
    srv, port = _canary()
    names = {"GRADEBOOK": str(course.root / "course" / "gradebook.db"),
             "SOURCE_NB": str(course.root / "exercises" / A / f"{A}.ipynb"),
             "OTHER_SUBMITTED": str(sub / "control-full"), "OTHER_SUBMITTED_NB": str(sub / "control-full" / A / f"{A}.ipynb"),
             "OTHER_AUTOGRADED": str(course.root / "course" / "autograded" / "control-full"),
             "STATE_FILE": str(state / "grade-state.json"), "KEY_FILE": str(state / "pseudonym.key"),
             "ITEMS": str(course.root / "autograder" / "items"), "CANARY_PORT": str(port)}
    _build(sub, names)
    twin = scratch / "twin"  # nbgrader's own autograde on the honest controls and two deterministic cases
    shutil.copytree(course.root, twin, ignore=shutil.ignore_patterns(".peersupport"))
    for d in (twin / "course" / "submitted").iterdir():
        if d.name not in NBGRADER_TOO:
            shutil.rmtree(d)
    out = peersupport("grade", A, "--root", str(course.root), "--no-collect", "--timeout", str(TIMEOUT),
                      "--require-sandbox", "--workers", "3")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", A, "--Execute.timeout", str(TIMEOUT)],
                   cwd=twin / "autograder", env=env, check=True, capture_output=True, timeout=900)
    feedback = course.api().generate_feedback(A)
    srv.close()
    lines = {ln.split()[0]: ln for ln in out.stdout.splitlines() if ln.split()}
    return {"course": course, "twin": twin, "out": out.stdout + out.stderr, "lines": lines, "feedback": feedback,
            "names": names}


def test_every_control_scores_exactly_as_nbgrader_scores_it(hostile):
    c = hostile["course"]
    ours = _scores(c.db_url, NBGRADER_TOO)
    theirs = _scores(f"sqlite:///{hostile['twin'] / 'course' / 'gradebook.db'}", NBGRADER_TOO)
    assert all(v is not None for v in theirs.values())
    assert ours == theirs
    assert sum(ours["control-full"].values()) > sum(ours["control-blank"].values())


def test_every_trainee_gets_a_named_result(hostile):
    lines, out = hostile["lines"], hostile["out"]
    assert "sandboxed: each submission ran alone in a bubblewrap sandbox" in out
    for trainee in [*CONTROLS, *CODE_CASES, *BUILT_CASES]:
        assert trainee in lines, f"{trainee} is missing from the summary"
    # the memory bomb is ended by its memory cap (or, on a crowded machine, by the cell's timeout first)
    expect_failed = {"memory-bomb": ("ended Python", "time limit"), "not-json": ("not valid JSON",)}
    for trainee, line in lines.items():
        if trainee in expect_failed:
            assert " failed " in line and any(r in line for r in expect_failed[trainee]), line
            assert "not caused by the submission" not in line, line
        elif trainee in {*CONTROLS, *CODE_CASES, *BUILT_CASES}:
            assert " graded " in line, line
    for case in ("infinite-loop", "sleep"):
        assert "ran past the 10 s limit" in lines[case]
    assert "graded notebook is very large" in lines["huge-output"]
    assert "read-only cells were edited and restored" in lines["edited-test-cell"]
    assert "my-answers.json is not valid JSON" in lines["corrupt-answers"]
    kept = hostile["course"].root / "course" / ".peersupport" / "unreadable" / A / "corrupt-answers" / "my-answers.json"
    assert kept.read_text() == "{not json"


def test_attacks_find_nothing_and_reach_nobody(hostile):
    c = hostile["course"]
    said = _said(c, "look-around", "look-around")
    found = ast.literal_eval(said[0].split("found", 1)[1].strip())
    assert not [f for f in found if f.startswith(str(c.root.parent)) or f.endswith((".key", "grade-state.json"))], found
    assert len(said) == 7 and all(ln.endswith("absent") for ln in said[1:]), said
    assert _said(c, "write-gradebook", "write-gradebook") == ["write-gradebook: failed OperationalError"]
    assert _said(c, "hold-gradebook-lock", "hold-gradebook-lock") == ["hold-gradebook-lock: failed OperationalError"]
    assert all(ln.endswith("not there") for ln in _said(c, "delete-other", "delete-other"))
    assert (c.root / "course" / "submitted" / "control-full" / A / f"{A}.ipynb").is_file()
    reach, kernels = _said(c, "sockets", "sockets")
    assert reach == "sockets: reachable []"  # not even the host's loopback canary
    seen = ast.literal_eval(kernels.split("sockets", 2)[2].strip())
    folders = [f for f in seen if not f.endswith(".json")]
    files = [f for f in seen if f.endswith(".json")]
    assert len(folders) <= 1 and len(files) <= 1, seen  # at most its own socket folder and connection file
    fork = _said(c, "fork-bomb", "fork-bomb")
    assert len(fork) == 1 and "BlockingIOError" in fork[0] and int(fork[0].split()[3]) < 300
    killed = _said(c, "kill-others", "kill-others")[0]
    assert int(killed.split("saw")[1].split()[0]) < 10  # it saw its own sandbox's processes only
    assert _said(c, "background", "background") == ["background: started"]
    left = [p for p in psutil.process_iter(["cmdline"]) if "hostile-background-marker" in " ".join(p.info["cmdline"] or [])]
    assert left == []
    with Gradebook(c.db_url, "peer-support") as gb:
        assert all(g.manual_score != 100 for sub in gb.assignment_submissions(A) for nb in sub.notebooks for g in nb.grades)


def test_a_shadowing_package_changes_nothing(hostile):
    s = _scores(hostile["course"].db_url, ["shadow-package", "control-blank", "big-notebook"])
    assert sum(s["shadow-package"].values()) == sum(s["control-blank"].values()) == sum(s["big-notebook"].values())


def test_released_feedback_carries_no_secrets(hostile):
    assert hostile["feedback"]["success"], hostile["feedback"]["log"]
    files = list((hostile["course"].root / "course" / "feedback").rglob("*.html"))
    assert len(files) >= len(CONTROLS) + 10
    for f in files:
        html = f.read_text()
        for secret in ("BEGIN HIDDEN TESTS", "mark_single(", "mark_scenario(", "key=", "decisions=", "assert "):
            assert secret not in html, f"{secret!r} in {f}"
    leak = hostile["course"].root / "course" / "feedback" / "leak-hidden-tests" / A / f"{A}.html"
    assert leak.is_file() and "leak-hidden-tests:" in leak.read_text()  # its harmless echoes stay; no hidden line


def test_unsandboxed_paths_grade_alike_and_say_so_loudly(hostile, tmp_path):
    """UNSANDBOXED (marked as such): --no-sandbox with forked and with plain kernels, on the safe cases."""
    c = hostile["course"]
    keep = {*CONTROLS, "shadow-package", "edited-test-cell", "corrupt-answers", "infinite-loop"}
    results = {}
    for mode in ("forked", "plain"):
        root = tmp_path / mode
        shutil.copytree(c.root, root, ignore=shutil.ignore_patterns(".peersupport", "autograded", "feedback"))
        for d in (root / "course" / "submitted").iterdir():
            if d.name not in keep:
                shutil.rmtree(d)
        args = ["grade", A, "--root", str(root), "--no-collect", "--timeout", str(TIMEOUT), "--no-sandbox"]
        out = peersupport(*args, *(["--plain-kernels"] if mode == "plain" else []))
        assert "WARNING: submissions were NOT sandboxed" in out.stdout + out.stderr
        results[mode] = _scores(f"sqlite:///{root / 'course' / 'gradebook.db'}", keep)
    assert results["forked"] == results["plain"] == _scores(c.db_url, keep)
    refused = peersupport("grade", A, "--root", str(tmp_path / "plain"), "--no-collect", "--require-sandbox",
                          check=False, env=dict(os.environ, PEERSUPPORT_BWRAP="/nonexistent/bwrap"))
    assert refused.returncode != 0 and "--require-sandbox" in refused.stderr and "not installed" in refused.stderr
