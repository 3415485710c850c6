"""Each submission's kernel in its own bubblewrap sandbox; the trusted launcher for every kernel.

What the sandbox holds: the system's programs and libraries and the Python environment (read-only),
the grading package and the course's scenarios (read-only), a private writable copy of the one submission folder (at its usual
path, as the working directory), an empty ``/tmp`` and a socket folder shared with this worker
only. Nothing else of the course (gradebook, sources, release, other submissions, grading state,
pseudonym key, Jupyter's runtime folder) exists inside it. It has its own PID, network (loopback
only), IPC, UTS, cgroup and user namespaces; trainee code runs as ``nobody`` there. The kernel
talks to nbgrader over jupyter_client's ``ipc`` transport (Unix sockets in the socket folder), so no
TCP port is opened anywhere. Limits: a ``pids`` and a ``memory`` cgroup per submission when the
host lets us create them (else ``RLIMIT_AS``), plus ``RLIMIT_FSIZE``. When the kernel exits or is
killed, bubblewrap's init ends every process left in the sandbox; the private copy is mirrored
back into nbgrader's ``autograded/`` folder (regular files only) and removed.

nbgrader itself (reading the gradebook, restoring cells, writing scores) runs in the worker,
outside the sandbox; the sandbox hands back only what the kernel sends over its sockets.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import site
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from jupyter_client.provisioning import LocalProvisioner

from .managers import manager_for, use

LAUNCH = "peersupport.instructor.autograde.launch"
#: ``python -m LAUNCH`` would look for LAUNCH in the working directory first (a submission may ship a
#: ``peersupport/`` folder): take the working directory off sys.path before finding the launcher.
BOOT = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; import runpy; "
        f"runpy.run_module({LAUNCH!r}, run_name='__main__', alter_sys=True)")


def trusted_command(cmd: list[str], python: str | None = None) -> list[str]:
    """`cmd` (``python -m ipykernel_launcher ARGS``) started through the trusted launcher instead."""
    if cmd[1:3] == ["-m", "ipykernel_launcher"]:
        return [python or cmd[0], "-c", BOOT, *cmd[3:]]
    return cmd
NOBODY = 65534
LIMITS = {"memory": 2 << 30, "pids": 256, "fsize": 256 << 20}
ETC = ("passwd", "group", "nsswitch.conf", "localtime", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives",
       "mime.types", "ssl", "fonts")
ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "NBGRADER_EXECUTION",
            "PEERSUPPORT_CONTENT")
MIRROR_MAX = 50 << 20  # bytes of one file copied back from the sandbox


def _within(path: Path, other: Path) -> bool:
    return path == other or other in path.parents


def python_paths() -> list[Path]:
    """Folders the kernel needs to import Python and the grading package (read-only)."""
    import peersupport

    wanted = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).parent,
              Path(peersupport.__file__).resolve().parents[1], *map(Path, site.getsitepackages())]
    wanted += [Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    out: list[Path] = []
    for p in wanted:
        p = p.resolve()
        if p.is_dir() and not _within(p, Path("/usr")) and p not in out:
            out.append(p)
    return out


def pythonpath(env: dict, binds: list[str]) -> str:
    """The PYTHONPATH entries of `env` that are bound into the sandbox."""
    return os.pathsep.join(p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                           if p and str(Path(p).resolve()) in binds)


def content_for(cwd: Path, env: dict) -> Path | None:
    """The scenarios/ folder a kernel started in `cwd` would read (``peersupport.scenarios.content_root``)."""
    from ..course import _working_dir

    if env.get("PEERSUPPORT_CONTENT"):
        return Path(env["PEERSUPPORT_CONTENT"]).resolve()
    try:
        from ...scenarios.loader import content_root

        with _working_dir(cwd):
            return content_root()
    except (ImportError, FileNotFoundError, OSError):
        return None


def sweep_cgroups(base: Path, older_than: float = 3600.0) -> None:
    """Remove empty ``peersupport-*`` cgroups left by a grading run that was killed (kill -9)."""
    import time

    for d in base.glob("peersupport-*"):
        with contextlib.suppress(OSError):
            if time.time() - d.stat().st_mtime > older_than and not (d / "cgroup.procs").read_text().split():
                d.rmdir()


def _cgroup_base(controller: str) -> Path | None:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, names, path = line.split(":", 2)
            if controller in names.split(","):
                base = Path(f"/sys/fs/cgroup/{controller}") / path.lstrip("/")
                probe = base / f"peersupport-probe-{os.getpid()}"
                probe.mkdir()
                probe.rmdir()
                sweep_cgroups(base)
                return base
    except OSError:
        return None
    return None


@dataclass
class Check:
    ok: bool
    problem: str = ""
    version: str = ""
    bwrap: str = ""

    def settings(self, course) -> dict:
        hidden = [str(course.root), str(course.path("submitted")), str(course.path("source")),
                  str(course.state_dir), str(course.cwd)]
        db = course.db_url
        if db.startswith("sqlite:///"):
            hidden.append(str(Path(db[len("sqlite:///"):]).resolve().parent))
        binds = [str(p) for p in python_paths() if not any(_within(Path(h), p) for h in hidden)]
        return {"bwrap": self.bwrap, "binds": binds, "limits": dict(LIMITS),
                "cgroups": {c: str(b) for c in ("pids", "memory") if (b := _cgroup_base(c)) is not None}}


def bwrap_args(bwrap: str, binds: list[str], work: Path, at: Path, run: Path) -> list[str]:
    args = [bwrap, "--unshare-all", "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
            "--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for top in ("/usr", "/opt"):
        if Path(top).is_dir():
            args += ["--ro-bind", top, top]
    for link in ("bin", "lib", "lib32", "lib64", "sbin"):
        p = Path("/") / link
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    for name in ETC:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp"]
    for b in binds:
        args += ["--ro-bind", b, b]
    args += ["--bind", str(run), str(run), "--bind", str(work), str(at), "--chdir", str(at)]
    return args


def check(bwrap: str | None = None) -> Check:
    """Whether bubblewrap is installed and can make the namespaces a sandbox needs on this host."""
    bwrap = bwrap or os.environ.get("PEERSUPPORT_BWRAP") or shutil.which("bwrap") or ""
    if not bwrap or not os.access(bwrap, os.X_OK):
        return Check(False, "bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap")
    version = subprocess.run([bwrap, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="ps-sbx-check-") as tmp:
        work, run = Path(tmp) / "work", Path(tmp) / "run"
        work.mkdir()
        run.mkdir()
        binds = [str(p) for p in python_paths()]
        cmd = [*bwrap_args(bwrap, binds, work, work, run), "--setenv", "PATH", "/usr/bin",
               "--setenv", "PYTHONPATH", pythonpath(dict(os.environ), binds), sys.executable, "-c", "import peersupport.grading, socket, os; os.listdir('.')"]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Check(False, f"bubblewrap could not run: {exc}", version, bwrap)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no message"])[-1]
        return Check(False, f"bubblewrap cannot make a sandbox on this host (namespaces disabled?): {last}",
                     version, bwrap)
    return Check(True, "", version, bwrap)


def _mirror(src: Path, dst: Path) -> None:
    """Make dst hold what the kernel left in src: regular files only, each at most MIRROR_MAX bytes."""
    keep = set()
    for p in src.rglob("*"):
        rel = p.relative_to(src)
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            continue
        keep.add(rel)
        target = dst / rel
        if p.is_dir():
            if target.is_symlink() or target.is_file():
                target.unlink()
            target.mkdir(parents=True, exist_ok=True)
        elif p.stat().st_size <= MIRROR_MAX:
            if target.is_symlink() or target.is_dir():
                shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target, follow_symlinks=False)
    for p in sorted(dst.rglob("*"), key=lambda q: -len(q.parts)):
        if p.relative_to(dst) not in keep:
            with contextlib.suppress(OSError):
                p.unlink() if (p.is_symlink() or not p.is_dir()) else p.rmdir()


def _remove_cgroup(d: Path, wait: float = 5.0) -> None:
    """End every process still in the cgroup `d`, then remove it (a cgroup goes once it is empty)."""
    import time

    end = time.monotonic() + wait
    while True:
        try:
            pids = (d / "cgroup.procs").read_text().split()
        except OSError:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
        try:
            d.rmdir()
            return
        except OSError:
            if time.monotonic() > end:
                return
            time.sleep(0.05)


class SandboxProvisioner(LocalProvisioner):
    """Starts this Python's ipykernel inside a new bubblewrap sandbox (see the module's docstring)."""

    settings: ClassVar[dict] = {}

    async def pre_launch(self, **kwargs):
        km = self.parent
        self.tmp = Path(tempfile.mkdtemp(prefix="ps-sbx-"))
        self.run_dir = self.tmp / "run"
        self.work = self.tmp / "work"
        self.run_dir.mkdir()
        km.transport = "ipc"
        km.ip = str(self.run_dir / "kernel")
        km.connection_file = str(self.run_dir / "kernel.json")
        if km.kernel_spec is not None:
            km.kernel_spec.interrupt_mode = "message"  # signals do not cross into the sandbox's session
        return await super().pre_launch(**kwargs)

    def _cgroups(self) -> list[Path]:
        made = []
        limits = self.settings["limits"]
        for controller, base in self.settings.get("cgroups", {}).items():
            d = Path(base) / f"peersupport-{uuid.uuid4().hex[:12]}"
            try:
                d.mkdir()
                if controller == "pids":
                    (d / "pids.max").write_text(str(limits["pids"]))
                else:
                    (d / "memory.limit_in_bytes").write_text(str(limits["memory"]))
                    with contextlib.suppress(OSError):
                        (d / "memory.memsw.limit_in_bytes").write_text(str(limits["memory"]))
                made.append(d)
            except OSError:
                with contextlib.suppress(OSError):
                    d.rmdir()
        return made

    async def launch_kernel(self, cmd: list[str], **kwargs):
        from jupyter_client.launcher import launch_kernel

        cwd = Path(kwargs.pop("cwd", None) or os.getcwd()).resolve()
        self.at = cwd
        shutil.copytree(cwd, self.work, symlinks=True)
        env = kwargs.pop("env", None) or dict(os.environ)
        limits = self.settings["limits"]
        self.cgroups = self._cgroups()
        inner = trusted_command(cmd, sys.executable)
        binds = list(self.settings["binds"])
        content = content_for(cwd, env)  # the course's scenarios (read-only): hidden tests read them
        if content is not None and content.is_dir():
            binds.append(str(content))
            env = dict(env, PEERSUPPORT_CONTENT=str(content))
        box = bwrap_args(self.settings["bwrap"], binds, self.work, cwd, self.run_dir)
        for k in ENV_KEEP:
            if k in env:
                box += ["--setenv", k, env[k]]
        box += ["--setenv", "HOME", "/tmp", "--setenv", "IPYTHONDIR", "/tmp/.ipython",
                "--setenv", "JUPYTER_RUNTIME_DIR", "/tmp/.jupyter", "--setenv", "MPLCONFIGDIR", "/tmp/.mpl",
                "--setenv", "PYTHONPATH", pythonpath(env, self.settings["binds"])]
        rlimits = [f"--fsize={limits['fsize']}", "--core=0"]
        if not any(c.parent.name == "memory" or "memory" in str(c) for c in self.cgroups):
            rlimits.append(f"--as={limits['memory'] * 2}")  # address space, when no memory cgroup caps it
        join = " && ".join(f"echo $$ > {c}/cgroup.procs" for c in self.cgroups) or ":"
        full = ["/bin/sh", "-c", f'{join} && exec "$@"', "sh", "prlimit", *rlimits, "--", *box, *inner]
        scrubbed = LocalProvisioner._scrub_kwargs(kwargs)
        self.process = launch_kernel(full, cwd=str(self.tmp), env={"PATH": env.get("PATH", "/usr/bin:/bin")},
                                     **scrubbed)
        pgid = None
        with contextlib.suppress(OSError):
            pgid = os.getpgid(self.process.pid)
        self.pid, self.pgid = self.process.pid, pgid
        self.cwd = str(cwd)
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        tmp = getattr(self, "tmp", None)
        if tmp is None:
            return
        with contextlib.suppress(OSError):
            if self.work.is_dir() and self.at.is_dir():
                _mirror(self.work, self.at)
        for d in getattr(self, "cgroups", []):
            _remove_cgroup(d)
        shutil.rmtree(tmp, ignore_errors=True)
        self.tmp = None


SandboxKernelManager = manager_for(SandboxProvisioner, "Kernels in a bubblewrap sandbox each.")


class TrustedProvisioner(LocalProvisioner):
    """The ordinary launch, through the trusted launcher (``launch``) instead of ipykernel_launcher."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        return await super().launch_kernel(trusted_command(cmd), **kwargs)


TrustedKernelManager = manager_for(TrustedProvisioner, "Kernels started through the trusted launcher.")


def use_sandboxed_kernels(settings: dict) -> None:
    """Make nbgrader's Execute step in this process start each kernel in its own sandbox."""
    SandboxProvisioner.settings = settings
    use(SandboxKernelManager)


def use_trusted_kernels() -> None:
    use(TrustedKernelManager)
