"""Fresh grading kernels without the start-up cost: each one is forked from a warm template.

Starting a Python kernel spends most of its time importing ipykernel and the grading package
(about 0.6 s of CPU a submission, a third of all the work of grading one). A grading worker
therefore keeps one *template* process that has imported those modules and done nothing else:
it has run no notebook code, opened no socket and started no thread. For each submission the
template forks, and the child becomes the kernel exactly as ``python -m ipykernel_launcher -f
FILE`` would: its own session and process group, the notebook's folder as working directory, the
environment the worker would have given a new kernel, ``sys.argv`` and ``sys.path`` as the
launcher sets them. So every submission still gets a new kernel process of its own, started from
the same clean state; nothing one trainee's code does can reach the next trainee's kernel.

jupyter_client still drives the kernel (connection file, interrupts, shutdown, kill) through
``ForkProvisioner``, a ``LocalProvisioner`` whose process handle stands for the forked child. A
kernel spec that is not this Python's ipykernel, or a template that cannot be reached, falls
back to the ordinary launch.

Safety: the template dies with its worker and each kernel dies with its template (Linux
``PR_SET_PDEATHSIG``), so a killed grading run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

from .launch import preload
from .managers import manager_for, use
from .worker import _die_with_parent

LAUNCHER = "ipykernel_launcher"


# -- the template process ------------------------------------------------------------------------
def _become_kernel(request: dict, conn: socket.socket, inherited: tuple[int, ...] = ()) -> None:
    """In the forked child: turn into `python -m ipykernel_launcher ARGS`; never returns."""
    code = 1
    try:
        os.setsid()
        _die_with_parent()
        conn.close()
        signal.set_wakeup_fd(-1)
        for fd in inherited:  # the template's own pipe: nothing of it stays open in a kernel
            with contextlib.suppress(OSError):
                os.close(fd)
        if BOXED:  # inside a sandbox, an out-of-memory kill should take this kernel, never the template
            with contextlib.suppress(OSError):
                Path("/proc/self/oom_score_adj").write_text("1000")
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the template is this kernel's parent
        import ipykernel_launcher

        sys.argv = [ipykernel_launcher.__file__, *request["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - report it in the log, then leave like a crashed kernel
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            import atexit

            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _send(conn: socket.socket, msg: dict) -> None:
    conn.sendall(json.dumps(msg).encode() + b"\n")


#: True in a template that runs as PID 1 of its own bubblewrap sandbox (``sandboxfork``).
BOXED = False


def _reset() -> bool:
    """Boxed template only: end every other process in the sandbox and empty its temporary folders.

    The template is PID 1 of the sandbox's PID namespace, so ``kill(-1)`` reaches every process in
    the sandbox except the template itself (and nothing outside it), and nothing inside can signal
    the template. True when the sandbox is back to the template alone with empty ``/tmp``.
    """
    if os.getpid() != 1:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.005)
    else:
        return False
    mounts = _mount_points()
    return all(_empty(top, mounts) for top in ("/tmp", "/dev/shm") if os.path.isdir(top))


def _mount_points() -> set[str]:
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        return {line.split()[4].replace("\\040", " ") for line in f}


def _empty(folder: str, mounts: set[str]) -> bool:
    """Remove everything in `folder` except mount points and the folders that lead to them (the worker's
    socket folder and slot are bound into the sandbox's /tmp; the worker empties those itself)."""
    clean = True
    for entry in list(os.scandir(folder)):
        path = entry.path
        if path in mounts:
            continue
        if any(m.startswith(path + "/") for m in mounts):
            clean &= _empty(path, mounts)
        else:
            clean &= _wipe(path)
    return clean


def _wipe(path: str) -> bool:
    """Remove `path` (never following links), making folders writable first; True when it is gone."""
    import shutil

    def fix(func, p, _exc):
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p), 0o700)
            if os.path.isdir(p) and not os.path.islink(p):
                os.chmod(p, 0o700)
        with contextlib.suppress(OSError):
            func(p)

    if os.path.isdir(path) and not os.path.islink(path):
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=fix)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return not os.path.lexists(path)


def template_main(fd: int, boxed: bool = False) -> None:
    """The template's loop: fork a kernel for each request, report each kernel's exit.

    Requests are JSON lines: ``{"args", "cwd", "env"}`` forks a kernel (answer ``{"pid"}``);
    ``{"op": "signal", "pid", "sig"}`` signals a kernel's process group (boxed: its PIDs are the
    sandbox's own); ``{"op": "reset"}`` (boxed only) ends every other process in the sandbox and
    answers ``{"clean": bool}``. Each kernel's exit is reported as ``{"exit", "code"}``.
    """
    global BOXED
    BOXED = boxed
    _die_with_parent()
    if boxed:
        import ctypes

        # not dumpable: no process in the sandbox can read or write the template's memory
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(4, 0)  # PR_SET_DUMPABLE
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython adds the notebook's folder back
    # ipykernel reads JPY_PARENT_PID when it is imported: the template is every kernel's parent.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    preload()  # the same modules a plain or sandboxed kernel imports first (``launch``)
    import gc

    gc.collect()
    gc.freeze()  # keep the shared pages shared after fork
    conn = socket.socket(fileno=fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    _send(conn, {"ready": os.getpid()})
    buf = b""
    kids: set[int] = set()
    try:
        while True:
            readable, _, _ = select.select([conn, wake_r], [], [], 1.0)
            if wake_r in readable:
                os.read(wake_r, 4096)
            while kids or boxed:  # boxed: orphans of kernels come to PID 1 (this template) to be reaped
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                if pid in kids:
                    kids.discard(pid)
                    _send(conn, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})
            if conn not in readable:
                continue
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                request = json.loads(line)
                op = request.get("op", "spawn")
                if op == "signal":
                    if request["pid"] in kids:
                        with contextlib.suppress(OSError):
                            os.killpg(request["pid"], request["sig"])
                elif op == "reset":
                    ok = boxed and _reset()
                    for pid in kids:
                        _send(conn, {"exit": pid, "code": -signal.SIGKILL})
                    kids.clear()
                    _send(conn, {"clean": ok})
                else:
                    pid = os.fork()
                    if pid == 0:
                        _become_kernel(request, conn, (wake_r, wake_w))
                    kids.add(pid)
                    _send(conn, {"pid": pid})
    finally:
        for pid in kids:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)


# -- the worker's side ---------------------------------------------------------------------------
class ForkedKernel:
    """The ``subprocess.Popen`` surface jupyter_client uses, for a kernel the template forked."""

    stdin = stdout = stderr = None

    def __init__(self, template: Template, pid: int):
        self.template, self.pid, self.returncode = template, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.template.exit_code(self.pid, block=0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(LAUNCHER, timeout)
            self.returncode = self.template.exit_code(self.pid, block=min(left or 1.0, 1.0))
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            self.template.signal(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Template:
    """A worker's template process, started on first use and again if it has died."""

    _current: Template | None = None
    #: Set when a template could not start or answer: kernels then start the usual way.
    disabled = False

    def __init__(self, start_timeout: float = 60.0):
        mine, theirs = socket.socketpair()
        self.proc = self._start(theirs.fileno())
        theirs.close()
        self.conn, self.buf, self.exits = mine, b"", {}
        msg = self._next(start_timeout)
        if not msg or "ready" not in msg:
            self.close()
            raise RuntimeError("The kernel template did not start.")

    def _start(self, fd: int) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", __name__, str(fd)], pass_fds=[fd], stdin=subprocess.DEVNULL)

    @classmethod
    def get(cls) -> Template:
        if cls._current is None or cls._current.proc.poll() is not None:
            cls._current = Template()
        return cls._current

    def _next(self, timeout: float | None) -> dict | None:
        """The next message from the template, or None when none came in time."""
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = None if end is None else max(0.0, end - time.monotonic())
            ready, _, _ = select.select([self.conn], [], [], left)
            if not ready:
                return None
            data = self.conn.recv(65536)
            if not data:
                raise ConnectionError("the kernel template has exited")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        msg = json.loads(line)
        if "exit" in msg:
            self.exits[msg["exit"]] = msg["code"]
        return msg

    def _answer(self, key: str, timeout: float) -> dict:
        """The template's next answer that carries `key` (exits reported meanwhile are kept)."""
        end = time.monotonic() + timeout
        while True:
            msg = self._next(max(0.0, end - time.monotonic()))
            if msg is None:
                raise RuntimeError("The kernel template did not answer.")
            if key in msg:
                return msg

    def spawn(self, args: list[str], cwd: str, env: dict[str, str]) -> ForkedKernel:
        _send(self.conn, {"args": args, "cwd": cwd, "env": env})
        return ForkedKernel(self, self._answer("pid", 30.0)["pid"])

    def signal(self, pid: int, sig: int) -> None:
        os.kill(pid, sig)

    def exit_code(self, pid: int, block: float = 0) -> int | None:
        """The kernel's exit code once the template has seen it exit, else None."""
        try:
            while pid not in self.exits and self._next(block) is not None:
                pass
        except ConnectionError:  # the template is gone, and its kernels went with it
            self.exits.setdefault(pid, -signal.SIGKILL)
        return self.exits.pop(pid, None)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()


def kernel_args(cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments when `cmd` (a kernel command, or a kernel spec's argv, where jupyter_client
    reads ``python``/``python3``/``python3.X`` as this Python) starts this Python's ipykernel, else None."""
    if len(cmd) < 3 or cmd[1:3] != ["-m", LAUNCHER]:
        return None
    major, minor = sys.version_info[:2]
    if cmd[0] in {"python", f"python{major}", f"python{major}.{minor}"} or \
            os.path.realpath(cmd[0]) == os.path.realpath(sys.executable):
        return cmd[3:]
    return None


class ForkProvisioner(LocalProvisioner):
    """Launches this Python's ipykernel by forking the template; any other kernel as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        args = kernel_args(cmd)
        if args is None or Template.disabled:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            self.process = Template.get().spawn(args, cwd, env)
        except (OSError, RuntimeError, ConnectionError) as exc:
            print(f"peersupport: the kernel template failed ({exc}); starting kernels from scratch", file=sys.stderr)
            Template._current, Template.disabled = None, True
            return await super().launch_kernel(cmd, **kwargs)
        self.pid = self.pgid = self.process.pid  # the child made its own session and group
        self.cwd = cwd
        return self.connection_info


ForkKernelManager = manager_for(ForkProvisioner, "Kernels forked from the template (see ``ForkProvisioner``).")


def use_forked_kernels() -> None:
    """Make nbgrader's Execute step in this process start kernels from the template."""
    use(ForkKernelManager)


if __name__ == "__main__":
    template_main(int(sys.argv[1]), boxed=sys.argv[2:3] == ["--boxed"])
