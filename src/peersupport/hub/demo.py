"""A real JupyterHub for a demonstration or a test: ``make hub`` (``python -m peersupport.hub.demo``).

As root, it creates a local account for each trainee, instructor and the course's grader (homes under
--base), installs the course for the grader, makes the exchange, starts JupyterHub with
deploy/jupyterhub/jupyterhub_config.py on 127.0.0.1 and (unless --no-register) adds the people through
the hub's REST API. Ctrl+C (or SIGTERM) stops the hub and every server, removes the accounts it
created and, when --base was not given, the files. While the hub runs, the checkout's exercises/ and
autograder/ (answer keys) are closed to every account but root.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from . import provision

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def wait_for_hub(url: str, proc: subprocess.Popen, timeout: float = 90) -> float:
    """Seconds until the hub's REST API answers (raises if the hub exits or is not up in time)."""
    t0 = time.perf_counter()
    while True:
        try:
            if requests.get(f"{url}/hub/api/", timeout=2).ok:
                return time.perf_counter() - t0
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with status {proc.returncode}")
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s")
        time.sleep(0.25)


def register(url: str, token: str, instructors: list[str], trainees: list[str]) -> None:
    """Add people to the hub and to their groups through the REST API (as the course-admin service)."""
    s = requests.Session()
    s.headers["Authorization"] = f"token {token}"
    course = os.environ.get("PEERSUPPORT_COURSE", "peer-support")
    for name in instructors + trainees:
        r = s.post(f"{url}/hub/api/users/{name}")
        if r.status_code not in (201, 409):
            r.raise_for_status()
    for group, members in (("instructors", instructors), (f"formgrade-{course}", instructors),
                           ("trainees", trainees), (f"nbgrader-{course}", instructors + trainees)):
        if members:
            s.post(f"{url}/hub/api/groups/{group}/users", json={"users": members}).raise_for_status()


def _pids_of(accounts: list[str]) -> list[int]:
    """Process ids still running as the accounts created here (all started by this hub)."""
    import psutil

    return [p.pid for p in psutil.process_iter(["username"]) if p.info["username"] in accounts]


def _stop_proxy(pid_file: Path) -> None:
    """The hub stops its proxy when it exits normally; after a failed start the proxy may be left running."""
    import psutil

    try:
        proc = psutil.Process(int(pid_file.read_text().strip()))
        if "configurable-http-proxy" in " ".join(proc.cmdline()):
            proc.terminate()
            proc.wait(10)
    except (OSError, ValueError, psutil.Error):
        pass


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", help="folder for homes, exchange and the hub's files (default: a new temporary one)")
    p.add_argument("--port", type=int, default=int(os.environ.get("PEERSUPPORT_HUB_PORT", "8000")))
    p.add_argument("--api-port", type=int, default=8081)
    p.add_argument("--proxy-api-port", type=int, default=8001)
    p.add_argument("--grader-port", type=int, default=9999)
    p.add_argument("--trainees", default="trainee1,trainee2")
    p.add_argument("--instructors", default="instructor1")
    p.add_argument("--grader", default=None, help="the grader account (default: grader-<course>)")
    p.add_argument("--password", default=None, help="everyone's demo password (default: a new random one)")
    p.add_argument("--admin-token", default=None, help="token of the course-admin service (default: random)")
    p.add_argument("--no-register", action="store_true", help="make the accounts but leave adding people to the hub "
                   "to the caller (through the REST API)")
    p.add_argument("--keep-accounts", action="store_true", help="do not remove the accounts created here at exit")
    args = p.parse_args(argv)
    if os.geteuid() != 0:
        print("make hub needs root: it creates a local account for each person, as a JupyterHub on one machine does.\n"
              "Run it in a container or a virtual machine (for example `sudo make hub`).", file=sys.stderr)
        return 2
    if not shutil.which("configurable-http-proxy"):
        print("configurable-http-proxy is missing: npm install -g configurable-http-proxy (.ci/run does it)",
              file=sys.stderr)
        return 2

    course = os.environ.get("PEERSUPPORT_COURSE", "peer-support")
    trainees, instructors = _split(args.trainees), _split(args.instructors)
    grader = args.grader or f"grader-{course}"
    temporary = args.base is None
    base = Path(args.base or tempfile.mkdtemp(prefix="peersupport-hub-")).resolve()
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    (base / "home").mkdir(exist_ok=True)
    (base / "home").chmod(0o755)
    state = base / "hub"
    state.mkdir(exist_ok=True)
    state.chmod(0o700)
    password = args.password or secrets.token_urlsafe(9)
    token = args.admin_token or secrets.token_hex(32)

    created: list[str] = []
    closed: list = []
    proc = None
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for name in [grader, *instructors, *trainees]:
            if provision.ensure_account(name, base / "home" / name):
                created.append(name)
        course_root = provision.install_course(REPO, base / "home" / grader / course, grader)
        closed = provision.close_answer_keys(REPO)
        exchange = provision.make_exchange(base / "exchange", course, grader)
        env = {**os.environ, "PEERSUPPORT_COURSE": course, "PEERSUPPORT_GRADER": grader,
               "PEERSUPPORT_COURSE_ROOT": str(course_root), "PEERSUPPORT_EXCHANGE": str(exchange),
               "PEERSUPPORT_HUB_STATE": str(state), "PEERSUPPORT_HUB_PORT": str(args.port),
               "PEERSUPPORT_HUB_API_PORT": str(args.api_port), "PEERSUPPORT_PROXY_API_PORT": str(args.proxy_api_port),
               "PEERSUPPORT_GRADER_PORT": str(args.grader_port), "PEERSUPPORT_AUTH": "dummy",
               "PEERSUPPORT_DEMO_PASSWORD": password, "PEERSUPPORT_ADMIN_TOKEN": token,
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        log = open(state / "jupyterhub.log", "a")  # noqa: SIM115 - open while the hub runs
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=state, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{args.port}"
        seconds = wait_for_hub(url, proc)
        if not args.no_register:
            register(url, token, instructors, trainees)
        info = {"url": url, "seconds_to_api": round(seconds, 2), "base": str(base), "log": str(state / "jupyterhub.log"),
                "trainees": trainees, "instructors": instructors, "grader": grader, "course_root": str(course_root),
                "exchange": str(exchange)}
        (state / "ready.json").write_text(json.dumps(info), encoding="utf-8")
        print(f"JupyterHub is up at {url}/hub/login (API answered after {seconds:.1f} s)\n"
              f"  trainees:    {', '.join(trainees) or '-'}\n  instructors: {', '.join(instructors) or '-'}\n"
              f"  password:    {password}   (every demo account)\n"
              f"  formgrader:  {url}/services/{course}/formgrader (instructors)\n"
              f"  log:         {state / 'jupyterhub.log'}\nStop with Ctrl+C.", flush=True)
        while proc.poll() is None:
            time.sleep(0.5)
        return 0 if stopping else (proc.returncode or 1)
    finally:
        stop()
        if proc:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        _stop_proxy(state / "jupyterhub-proxy.pid")
        # anything of the accounts still running (a kernel that outlived its server) ends with them
        for pid in _pids_of(created):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not args.keep_accounts:
            for name in created:
                provision.remove_account(name)
        provision.reopen_answer_keys(closed)
        if temporary:
            shutil.rmtree(base, ignore_errors=True)
        print("JupyterHub stopped" + (f"; removed accounts {', '.join(created)}" if created and not args.keep_accounts
                                      else "") + ".", flush=True)


if __name__ == "__main__":
    sys.exit(main())
