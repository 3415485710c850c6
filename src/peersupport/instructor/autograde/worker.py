"""One grading worker: a process that imports nbgrader once and autogrades submissions one by one.

Started by ``pool`` as ``python -m peersupport.instructor.autograde.worker FD SETTINGS`` (a fresh
interpreter in the instructor's working directory, talking to its parent over the socket FD); it
loads the course exactly as the command did (``course.load`` with the same working directory and
options). Each submission runs through ``NbGraderAPI.autograde`` exactly as ``nbgrader autograde
--student`` does it, in a fresh kernel that nbgrader starts and stops. That kernel runs in its own
bubblewrap sandbox when the settings carry one, forked from a warm template that lives in the
worker's sandbox (``sandboxfork``; with ``plain_kernels``, a sandbox and a kernel from scratch for each
submission, ``sandbox``); unsandboxed, it is forked from a warm template (``kernelfork``), or started
from scratch with ``plain_kernels``. Every kernel imports the
grading package from the installed environment before notebook code runs (``launch``).

The worker's own stdout and stderr go to a log file, so nothing a
kernel prints can reach the instructor's terminal or the pipe to the parent. On Linux the worker
asks to be killed when its parent dies, so a killed ``peersupport grade`` leaves no grader behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

LOG_TAIL = 20_000


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


class _CachedSchemaChecks:
    """Stands in for the `jsonschema` module inside nbgrader's cell-metadata reader.

    nbgrader calls ``jsonschema.validate(metadata, schema)`` for every cell, which re-checks the schema
    and builds a new validator each time (about 0.3 s a notebook). This builds one validator per schema
    and raises exactly the error ``jsonschema.validate`` would (its ``best_match``), so results are the same.
    """

    def __init__(self):
        import jsonschema

        self._js = jsonschema
        self._validators: dict[int, object] = {}

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return self._js.validate(instance, schema, *args, **kwargs)
        v = self._validators.get(id(schema))
        if v is None:
            cls = self._js.validators.validator_for(schema)
            cls.check_schema(schema)
            v = self._validators[id(schema)] = (cls(schema), schema)
        error = self._js.exceptions.best_match(v[0].iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name):
        return getattr(self._js, name)


def speed_up_nbgrader() -> None:
    from nbgrader.nbgraderformat import common

    common.jsonschema = _CachedSchemaChecks()


def grade_one(api, settings: dict, student: str) -> dict:
    from .reasons import (
        edited_locked_cells,
        edited_test_cells,
        environment_failure,
        failure_reason,
        missing_files,
        output_size,
        restored_from_log,
        warnings_from_log,
    )

    assignment = settings["assignment"]
    sub_dir = Path(settings["submitted"]) / student / assignment
    release_dir = Path(settings["release"]) / assignment
    auto_dir = Path(settings["autograded"]) / student / assignment
    before = {p.name for p in sub_dir.iterdir()} | ({p.name for p in release_dir.iterdir()} if release_dir.is_dir() else set())
    edited = [e for nb in sub_dir.glob("*.ipynb") for e in edited_locked_cells(nb, release_dir / nb.name)]
    tests = [e for nb in sub_dir.glob("*.ipynb") for e in edited_test_cells(nb, release_dir / nb.name)]
    unreadable = _keep_unreadable_answers(sub_dir, settings, student)
    t0 = time.perf_counter()
    result = api.autograde(assignment, student)
    seconds = time.perf_counter() - t0
    log, error = result.get("log") or "", result.get("error") or ""
    out = {"student": student, "success": bool(result["success"]), "seconds": round(seconds, 3), "warnings": []}
    timeout = settings["timeout"]
    if not result["success"]:
        out["reason"] = failure_reason(error, log, timeout)
        out["environment"] = environment_failure(error, log)
        out["log"] = (log + "\n" + error)[-LOG_TAIL:]
        return out
    warnings = warnings_from_log(log, timeout) + unreadable
    restored = restored_from_log(log)
    if edited:
        warnings.append(f"read-only cells were edited and restored before grading: {', '.join(edited)}")
    if tests:
        warnings.append(f"test cells were edited (they are not read-only, so nbgrader ran them as edited): "
                        f"{', '.join(tests)}")
    if restored:
        warnings.append("nbgrader restored what was changed: " + "; ".join(restored))
    gone = missing_files(before, auto_dir)
    if gone:
        warnings.append(f"files were deleted while it ran: {', '.join(gone)}")
    size = output_size(auto_dir)
    if size > settings.get("big_output", 2_000_000):
        warnings.append(f"the graded notebook is very large ({size / 1e6:.1f} MB: a flood of output or a big file)")
    out["warnings"] = warnings
    return out


def _keep_unreadable_answers(sub_dir: Path, settings: dict, student: str) -> list[str]:
    """A saved-answers file that is not valid JSON: keep a copy beside the grading state, and say so."""
    import json
    import shutil

    from ...grading.answers import ANSWER_FILE

    path = sub_dir / ANSWER_FILE
    if not path.is_file() or path.is_symlink():
        return []
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return []
    except (UnicodeDecodeError, json.JSONDecodeError, OSError):
        pass
    keep = Path(settings["log_file"]).parent / "unreadable" / settings["assignment"] / student / ANSWER_FILE
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, keep)
    note = (f"{ANSWER_FILE} is not valid JSON, so answers saved by clicking could not be read (typed answers "
            f"still count); a copy is kept at {keep}")
    return [note]


def _close_template() -> None:
    """Stop the kernel template and reap it, so its kernels' CPU time is counted as this worker's."""
    from . import sandboxfork
    from .kernelfork import Template

    if Template._current is not None:
        Template._current.close()
        Template._current = None
    sandboxfork.close()


def choose_kernels(settings: dict) -> None:
    """How this worker's kernels start: sandboxed or not, forked from a warm template or from scratch."""
    box, plain = settings.get("sandbox"), settings.get("plain_kernels")
    print(f"peersupport: {settings.get('sandbox_note', 'sandboxed' if box else 'NOT sandboxed')}", file=sys.stderr)
    if box and plain:
        from .sandbox import use_sandboxed_kernels

        use_sandboxed_kernels(box)  # a new sandbox, and a kernel from scratch, for each submission
    elif box:
        from .sandboxfork import use_boxed_forked_kernels

        use_boxed_forked_kernels(box)  # kernels forked from a template inside the worker's own sandbox
    elif plain:
        from .sandbox import use_trusted_kernels

        use_trusted_kernels()
    else:
        from .kernelfork import Template, use_forked_kernels

        use_forked_kernels()
        try:
            Template.get()  # start the template now, while the other workers start too
        except (OSError, RuntimeError, ConnectionError) as exc:
            print(f"peersupport: no kernel template ({exc}); starting kernels from scratch", file=sys.stderr)
            Template.disabled = True


def serve(conn, settings: dict) -> None:
    """The worker's main loop: receive a trainee id, send back the outcome; None or EOF ends it."""
    _die_with_parent()
    from ..course import alembic_on_path, load, skip_unused_imports

    skip_unused_imports()
    from nbgrader.apps import NbGraderAPI

    alembic_on_path()
    speed_up_nbgrader()
    choose_kernels(settings)
    course = load(cwd=settings["cwd"], argv=settings["argv"])
    api = NbGraderAPI(config=course.config)
    conn.send({"ready": os.getpid()})
    while True:
        try:
            student = conn.recv()
        except (EOFError, OSError):
            return
        if student is None:
            _close_template()
            return
        try:
            out = grade_one(api, settings, student)
        except Exception as exc:  # noqa: BLE001 - report, never die on one submission
            out = {"student": student, "success": False, "seconds": 0.0, "warnings": [], "environment": True,
                   "reason": f"the grader failed on it: {exc.__class__.__name__}: {exc}"[:300]}
        conn.send(out)


if __name__ == "__main__":
    import json
    from multiprocessing.connection import Connection

    serve(Connection(int(sys.argv[1])), json.loads(sys.argv[2]))
