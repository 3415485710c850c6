"""Sandboxed kernels without the start-up cost: a warm template inside each worker's own sandbox.

A sandbox started for every kernel (``sandbox.SandboxProvisioner``) pays Python's, ipykernel's and
the grading package's imports again for every submission. Here each worker keeps one bubblewrap
sandbox whose first process, PID 1 of the sandbox, is a kernel template (``kernelfork``) that has
imported those modules and done nothing else. Every kernel is forked from it, one submission at a
time, so the sandbox never holds more than one trainee's code.

The sandbox holds what ``sandbox`` describes (the system and Python environment read-only, the
course's scenarios read-only, an empty ``/tmp``, the worker's socket folder, its own PID, network,
IPC, UTS, cgroup and user namespaces, trainee code as ``nobody``, the same limits), plus one
writable *slot* folder bound where the course's ``autograded/`` folder is. For each submission:

1. the worker copies that trainee's submission folder into the slot (so the kernel sees it at its
   usual path) and asks the template to fork a kernel there;
2. nbgrader runs the notebook, talking to the kernel over ``ipc`` sockets in the socket folder;
3. when the kernel has ended, the template ends every other process in the sandbox (``kill(-1)``
   from PID 1 reaches all of them and nothing outside) and empties ``/tmp`` and ``/dev/shm``; the
   worker copies back what the kernel left (regular files only), then empties the slot and the
   socket folder. Only then does the next submission's copy go in.

Nothing in the sandbox can end, stop or read the template: signals from inside a PID namespace
never reach its PID 1, and the template is not dumpable (no ``ptrace``, no ``/proc/1/mem``). If the
template does not answer, or cannot clean up, the worker ends the whole sandbox and starts a new one
for the next submission. A kernel that is not this Python's ipykernel gets a sandbox of its own as
before (``sandbox.SandboxProvisioner``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import ClassVar

from .kernelfork import ForkedKernel, Template, kernel_args
from .managers import manager_for, use
from .sandbox import (
    ENV_KEEP,
    SandboxProvisioner,
    _mirror,
    _remove_cgroup,
    bwrap_args,
    content_for,
    pythonpath,
)

TEMPLATE = "peersupport.instructor.autograde.kernelfork"
#: the template module found with the working directory off ``sys.path`` (as ``sandbox.BOOT`` does)
BOOT = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; import runpy; "
        f"runpy.run_module({TEMPLATE!r}, run_name='__main__', alter_sys=True)")


def kernel_env(env: dict, content: Path | None, binds: list[str]) -> dict[str, str]:
    """The environment a sandboxed kernel gets: the few host settings kept, the rest inside /tmp."""
    out = {k: env[k] for k in ENV_KEEP if k in env}
    if content is not None:
        out["PEERSUPPORT_CONTENT"] = str(content)
    out.update(HOME="/tmp", IPYTHONDIR="/tmp/.ipython", JUPYTER_RUNTIME_DIR="/tmp/.jupyter",
               MPLCONFIGDIR="/tmp/.mpl", PYTHONPATH=pythonpath(env, binds))
    return out


class BoxedTemplate(Template):
    """One worker's sandbox with a kernel template as its PID 1 (see the module's docstring)."""

    _current: BoxedTemplate | None = None
    disabled = False
    settings: ClassVar[dict] = {}

    def __init__(self, slot_at: Path, content: Path | None, start_timeout: float = 60.0):
        self.slot_at, self.content = slot_at, content
        self.tmp = Path(tempfile.mkdtemp(prefix="ps-sbx-"))
        self.slot, self.run_dir = self.tmp / "slot", self.tmp / "run"
        self.slot.mkdir(mode=0o700)  # nobody in the sandbox is the grader's own account outside it
        self.run_dir.mkdir(mode=0o700)
        self.cgroups = SandboxProvisioner._cgroups(self)
        try:
            super().__init__(start_timeout)
        except BaseException:
            self._remove()
            raise

    def _start(self, fd: int) -> subprocess.Popen:
        limits = self.settings["limits"]
        binds = list(self.settings["binds"])
        if self.content is not None:
            binds.append(str(self.content))
        box = bwrap_args(self.settings["bwrap"], binds, self.slot, self.slot_at, self.run_dir)
        box[box.index("--chdir") + 1] = "/tmp"
        box.insert(1, "--as-pid-1")
        for k, v in kernel_env(dict(os.environ), self.content, self.settings["binds"]).items():
            box += ["--setenv", k, v]
        rlimits = [f"--fsize={limits['fsize']}", "--core=0"]
        if not any("memory" in str(c) for c in self.cgroups):
            rlimits.append(f"--as={limits['memory'] * 2}")  # address space, when no memory cgroup caps it
        join = " && ".join(f"echo $$ > {c}/cgroup.procs" for c in self.cgroups) or ":"
        full = ["/bin/sh", "-c", f'{join} && exec "$@"', "sh", "prlimit", *rlimits, "--", *box,
                sys.executable, "-c", BOOT, str(fd), "--boxed"]
        return subprocess.Popen(full, pass_fds=[fd], stdin=subprocess.DEVNULL, cwd=str(self.tmp),
                                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, start_new_session=True)

    @classmethod
    def for_kernel(cls, cwd: Path, content: Path | None) -> BoxedTemplate:
        """The worker's sandbox for a kernel in `cwd` (a new one if none is running or it differs)."""
        slot_at = cwd.parent.parent  # the course's autograded/ folder (autograded/STUDENT/ASSIGNMENT)
        cur = cls._current
        if cur is not None and (cur.proc.poll() is not None or cur.slot_at != slot_at or cur.content != content):
            cur.close()
            cur = None
        if cur is None:
            cur = cls._current = cls(slot_at, content)
        return cur

    def place(self, cwd: Path) -> Path:
        """Copy the submission folder `cwd` into the slot, where the sandbox sees it at `cwd`."""
        inside = self.slot / cwd.relative_to(self.slot_at)
        shutil.copytree(cwd, inside, symlinks=True)
        return inside

    def signal(self, pid: int, sig: int) -> None:
        from .kernelfork import _send

        with contextlib.suppress(OSError):
            _send(self.conn, {"op": "signal", "pid": pid, "sig": int(sig)})

    def reset(self, timeout: float = 20.0) -> bool:
        """Ask the template to end every other process in the sandbox; False when it could not."""
        from .kernelfork import _send

        try:
            _send(self.conn, {"op": "reset"})
            return bool(self._answer("clean", timeout)["clean"])
        except (OSError, RuntimeError, ConnectionError, ValueError):
            return False

    def finish(self, inside: Path | None, cwd: Path | None) -> None:
        """After a kernel: clean the sandbox (or end it), copy back what the kernel left, empty the slot."""
        clean = self.reset()
        if not clean:
            print("peersupport: the sandbox could not be cleaned after a kernel; starting a new one",
                  file=sys.stderr)
            self._end()  # nothing runs in the sandbox any more: its files can be read safely
        with contextlib.suppress(OSError):
            if inside is not None and cwd is not None and inside.is_dir() and cwd.is_dir():
                _mirror(inside, cwd)
        if not clean:
            self.close()
            return
        for d in (self.slot, self.run_dir):
            for p in list(d.iterdir()):
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()

    def _end(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # bubblewrap and, with it, the whole sandbox
        self.proc.wait()

    def close(self) -> None:
        self._end()
        self._remove()
        if BoxedTemplate._current is self:
            BoxedTemplate._current = None

    def _remove(self) -> None:
        for d in getattr(self, "cgroups", []):
            _remove_cgroup(d)
        shutil.rmtree(self.tmp, ignore_errors=True)


class BoxedForkProvisioner(SandboxProvisioner):
    """Forks this Python's ipykernel from the worker's sandboxed template; any other kernel gets a
    sandbox of its own (``SandboxProvisioner``)."""

    boxed: BoxedTemplate | None = None

    async def pre_launch(self, **kwargs):
        km = self.parent
        self.boxed = None
        spec = km.kernel_spec
        if spec is not None and kernel_args(list(spec.argv)) is not None and not BoxedTemplate.disabled:
            cwd = Path(kwargs.get("cwd") or os.getcwd()).resolve()
            content = content_for(cwd, dict(kwargs.get("env") or os.environ))
            content = content if content is not None and content.is_dir() else None
            try:
                self.boxed = BoxedTemplate.for_kernel(cwd, content)
            except (OSError, RuntimeError, ConnectionError) as exc:
                print(f"peersupport: no sandboxed kernel template ({exc}); a sandbox per kernel instead",
                      file=sys.stderr)
                BoxedTemplate.disabled = True
        if self.boxed is None:
            return await super().pre_launch(**kwargs)
        # the connection file and the kernel's ipc sockets go in the template's socket folder
        km.transport = "ipc"
        km.ip = str(self.boxed.run_dir / f"kernel-{self.kernel_id}")
        km.connection_file = str(self.boxed.run_dir / f"kernel-{self.kernel_id}.json")
        spec.interrupt_mode = "message"  # signals do not cross into the sandbox's session
        return await super(SandboxProvisioner, self).pre_launch(**kwargs)

    async def launch_kernel(self, cmd: list[str], **kwargs):
        box = self.boxed
        if box is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = Path(kwargs.get("cwd") or os.getcwd()).resolve()
        env = dict(kwargs.get("env") or os.environ)
        self.inside, self.at = box.place(cwd), cwd
        try:
            self.process: ForkedKernel = box.spawn(kernel_args(cmd), str(cwd),
                                                   kernel_env(env, box.content, self.settings["binds"]))
        except (OSError, RuntimeError, ConnectionError):
            box.close()
            raise
        self.pid, self.pgid = self.process.pid, None  # a PID inside the sandbox: signals go through the template
        self.cwd = str(cwd)
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        box = self.boxed
        if box is None:
            return await super().cleanup(restart)
        self.boxed = None
        await super(SandboxProvisioner, self).cleanup(restart)
        box.finish(getattr(self, "inside", None), getattr(self, "at", None))  # None: the copy never went in


BoxedForkKernelManager = manager_for(BoxedForkProvisioner, "Kernels forked inside the worker's sandbox.")


def use_boxed_forked_kernels(settings: dict) -> None:
    """Make nbgrader's Execute step in this process fork each kernel from a sandboxed template."""
    SandboxProvisioner.settings = settings
    BoxedTemplate.settings = settings
    use(BoxedForkKernelManager)


def close() -> None:
    if BoxedTemplate._current is not None:
        BoxedTemplate._current.close()
