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

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from .launch import preload
from .worker import _die_with_parent

LAUNCHER = "ipykernel_launcher"


# -- the template process ------------------------------------------------------------------------
def _become_kernel(request: dict, conn: socket.socket) -> None:
    """In the forked child: turn into `python -m ipykernel_launcher ARGS`; never returns."""
    code = 1
    try:
        os.setsid()
        _die_with_parent()
        conn.close()
        signal.set_wakeup_fd(-1)
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


def template_main(fd: int) -> None:
    """The template's loop: fork a kernel for each request, report each kernel's exit."""
    _die_with_parent()
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
            while kids:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
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
                pid = os.fork()
                if pid == 0:
                    _become_kernel(json.loads(line), conn)
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
            os.kill(self.pid, sig)

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
        self.proc = subprocess.Popen([sys.executable, "-m", __name__, str(theirs.fileno())],
                                     pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn, self.buf, self.exits = mine, b"", {}
        msg = self._next(start_timeout)
        if not msg or "ready" not in msg:
            self.close()
            raise RuntimeError("The kernel template did not start.")

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
        return json.loads(line)

    def spawn(self, args: list[str], cwd: str, env: dict[str, str]) -> ForkedKernel:
        _send(self.conn, {"args": args, "cwd": cwd, "env": env})
        while True:
            msg = self._next(30.0)
            if msg is None:
                raise RuntimeError("The kernel template did not answer.")
            if "exit" in msg:
                self.exits[msg["exit"]] = msg["code"]
            elif "pid" in msg:
                return ForkedKernel(self, msg["pid"])

    def exit_code(self, pid: int, block: float = 0) -> int | None:
        """The kernel's exit code once the template has seen it exit, else None."""
        try:
            while pid not in self.exits:
                msg = self._next(block)
                if msg is None:
                    break
                if "exit" in msg:
                    self.exits[msg["exit"]] = msg["code"]
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
    """The ipykernel arguments when `cmd` starts this Python's ipykernel, else None."""
    if len(cmd) >= 3 and cmd[1:3] == ["-m", LAUNCHER] and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable):
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


class ForkKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernels come from the template (see ``ForkProvisioner``)."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def use_forked_kernels() -> None:
    """Make nbgrader's Execute step in this process start kernels from the template."""
    from nbgrader.preprocessors import execute

    execute.AsyncKernelManager = ForkKernelManager


if __name__ == "__main__":
    template_main(int(sys.argv[1]))
