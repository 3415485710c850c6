"""Worker processes that grade submissions in parallel, each submission under a wall-clock limit.

A worker that dies (a submission killed it) or that goes past the limit on one submission is
killed with everything it started (its kernel included), the submission is reported with the
reason, and a fresh worker takes its place; the other submissions carry on. A submission whose
worker died is tried once more in a fresh worker before it is reported, so a one-off crash does
not cost a trainee their grade.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


class _Worker:
    def __init__(self, settings: dict, index: int):
        mine, theirs = socket.socketpair()
        with open(settings["log_file"].format(index), "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "peersupport.instructor.autograde.worker", str(theirs.fileno()), json.dumps(settings)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=settings["cwd"])
        theirs.close()
        self.conn = Connection(mine.detach())
        self.ready = False
        self.job: str | None = None
        self.started = 0.0

    def give(self, student: str) -> None:
        self.job, self.started = student, time.monotonic()
        self.conn.send(student)

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            _kill_tree(self.proc.pid)

    def kill(self) -> None:
        _kill_tree(self.proc.pid)
        self.proc.wait()
        self.conn.close()


def run(students: Iterable[str], settings: dict, workers: int, limits: dict[str, float | None],
        on_result: Callable[[dict], None], start_timeout: float = 300.0, sandboxed: bool = False) -> None:
    """Grade every student; call on_result(outcome) once per student, in completion order.

    ``limits`` gives each student's wall-clock limit (None: none). A worker that dies while its
    submission ran is the environment's fault when submissions are sandboxed (trainee code cannot
    reach the worker); without a sandbox the submission may have killed it, and it is not retried.
    """
    queue = deque(students)
    tries: dict[str, int] = {}
    pool = [_Worker(settings, i) for i in range(max(1, min(workers, len(queue))))] if queue else []
    born = {id(w): time.monotonic() for w in pool}
    index = len(pool)
    try:
        while pool:
            for w in pool:
                if w.ready and w.job is None and queue:
                    w.give(queue.popleft())
            busy = [w for w in pool if w.job is not None or not w.ready]
            if not busy:
                break
            ready = wait([w.conn for w in busy], timeout=1.0)
            now = time.monotonic()
            for w in list(busy):
                problem = None
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    if msg is not None and "ready" in msg:
                        w.ready = True
                        continue
                    if msg is not None:
                        w.job = None
                        on_result(msg)
                        continue
                    problem = "died"
                elif w.proc.poll() is not None:
                    problem = "died"
                elif w.job is not None and limits.get(w.job) is not None and now - w.started > limits[w.job]:
                    problem = "limit"
                elif not w.ready and now - born[id(w)] > start_timeout:
                    raise RuntimeError("A grading worker did not start; see .peersupport/worker-*.log in the course")
                if problem is None:
                    continue
                student, seconds = w.job, (now - w.started if w.job else 0.0)
                w.kill()
                pool.remove(w)
                if student is not None:
                    tries[student] = tries.get(student, 0) + 1
                    if problem == "died" and tries[student] < 2:
                        queue.appendleft(student)
                    else:
                        reason = (f"grading it took longer than the {limits[student]:g} s nbgrader's own limits allow "
                                  "and was stopped" if problem == "limit" else
                                  "the process grading it was killed while its notebook ran (twice)")
                        on_result({"student": student, "success": False, "seconds": round(seconds, 3),
                                   "warnings": [], "reason": reason,
                                   "environment": problem == "limit" or sandboxed})
                elif not w.ready:
                    raise RuntimeError("A grading worker could not start; see .peersupport/worker-*.log in the course")
                if queue:
                    nw = _Worker(settings, index)
                    index += 1
                    born[id(nw)] = time.monotonic()
                    pool.append(nw)
    finally:
        for w in pool:
            if w.job is None:
                w.stop()
            else:
                w.kill()
