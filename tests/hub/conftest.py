"""A real JupyterHub for the hub tests, started the way `make hub` starts it (python -m peersupport.hub.demo).

One hub serves the module's tests: configurable-http-proxy from npm, LocalProcessSpawner with one local
account per person, the course's grader service (formgrader), on 127.0.0.1 ports chosen here. The test
creates the people through the hub's REST API. Stopping the hub removes the accounts it made.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .hubtools import free_port, session

REPO = Path(__file__).resolve().parents[2]
HUB_PYTHON = REPO / ".venv-hub" / "bin" / "python"
ARTIFACTS = REPO / "test-artifacts"
COURSE = "peer-support"
A = "active-listening"


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub tests create local accounts and need root (CI runs as root)"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy is missing (npm install -g configurable-http-proxy; .ci/run installs it)"
    if not HUB_PYTHON.exists():
        return "the hub's environment .venv-hub is missing (make .venv-hub/.installed; make test builds it)"
    return None


@dataclass
class Hub:
    url: str
    admin: object
    base: Path
    info: dict
    trainees: list[str]
    instructor: str
    password: str
    tokens: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def course_root(self) -> Path:
        return Path(self.info["course_root"])

    @property
    def exchange(self) -> Path:
        return Path(self.info["exchange"])

    def log(self) -> str:
        return Path(self.info["log"]).read_text(errors="replace")


@pytest.fixture(scope="package")  # stopped when tests/hub/ is done
def hub():
    why = _missing()
    if why:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI must run the hub tests: {why}")
        pytest.skip(why)
    sfx = secrets.token_hex(2)
    trainees, instructor, grader = [f"pst{sfx}a", f"pst{sfx}b"], f"psi{sfx}", f"psg{sfx}"
    base = Path(tempfile.mkdtemp(prefix="peersupport-hubtest-"))
    token, password = secrets.token_hex(32), secrets.token_urlsafe(12)
    port = free_port()
    cmd = [str(HUB_PYTHON), "-m", "peersupport.hub.demo", "--base", str(base), "--port", str(port),
           "--api-port", str(free_port()), "--proxy-api-port", str(free_port()), "--grader-port", str(free_port()),
           "--trainees", ",".join(trainees), "--instructors", instructor, "--grader", grader,
           f"--admin-token={token}", f"--password={password}", "--no-register"]
    env = {**os.environ, "PEERSUPPORT_CULL_IDLE": "3600"}
    out = open(base / "demo.out", "w")  # noqa: SIM115 - closed at teardown
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    ready = base / "hub" / "ready.json"
    try:
        while not ready.exists():
            if proc.poll() is not None or time.perf_counter() - t0 > 180:
                raise RuntimeError("the hub did not start:\n" + (base / "demo.out").read_text()[-3000:]
                                   + (base / "hub" / "jupyterhub.log").read_text()[-5000:])
            time.sleep(0.2)
        info = json.loads(ready.read_text())
        h = Hub(url=info["url"], admin=session(token), base=base, info=info, trainees=trainees, instructor=instructor,
                password=password)
        h.timings["hub API up (s)"] = info["seconds_to_api"]
        h.timings["accounts + course + hub up (s)"] = round(time.perf_counter() - t0, 2)
        yield h
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)   # as Ctrl+C: the hub stops and the accounts are removed
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        out.close()
        text = (base / "demo.out").read_text()
        shutil.rmtree(base, ignore_errors=True)
        assert "JupyterHub stopped" in text, text[-3000:]


def _wait_ready(hub, names, timeout=120):
    """perf_counter() when each server was first seen ready."""
    t0, ready = time.perf_counter(), {}
    while len(ready) < len(names):
        for name in names:
            if name in ready:
                continue
            server = hub.admin.get(f"{hub.url}/hub/api/users/{name}").json()["servers"].get("", {})
            if server.get("ready"):
                ready[name] = time.perf_counter()
        assert time.perf_counter() - t0 < timeout, f"servers not ready after {timeout} s:\n{hub.log()[-4000:]}"
        time.sleep(0.2)
    return ready


@pytest.fixture(scope="package")  # stopped when tests/hub/ is done
def people(hub):
    """Create the instructor and the trainees through the REST API, put them in their groups, start their servers."""
    url, admin = hub.url, hub.admin
    for name in [hub.instructor, *hub.trainees]:
        assert admin.post(f"{url}/hub/api/users/{name}").status_code == 201
    for group, members in (("instructors", [hub.instructor]), (f"formgrade-{COURSE}", [hub.instructor]),
                           ("trainees", hub.trainees), (f"nbgrader-{COURSE}", [hub.instructor, *hub.trainees])):
        admin.post(f"{url}/hub/api/groups/{group}/users", json={"users": members}).raise_for_status()
    names = [hub.instructor, *hub.trainees]
    started = {}
    for name in names:  # the hub answers when the server is up, or with 202 after 10 s and goes on starting it
        started[name] = time.perf_counter()
        assert admin.post(f"{url}/hub/api/users/{name}/server").status_code in (201, 202)
    ready = _wait_ready(hub, names)
    hub.timings["server start request -> ready (s)"] = {n: round(ready[n] - started[n], 2) for n in names}
    for name in names:
        r = admin.post(f"{url}/hub/api/users/{name}/tokens", json={"note": "hub test", "expires_in": 3600})
        r.raise_for_status()
        hub.tokens[name] = r.json()["token"]
    return hub


@pytest.fixture(scope="package")  # stopped when tests/hub/ is done
def released(people):
    """The instructor generates and releases the Module 01 exercise through formgrader's REST endpoints."""
    inst = session(people.tokens[people.instructor])
    fg = f"{people.url}/services/{COURSE}/formgrader/api"
    for step in ("assign", "release"):
        r = inst.post(f"{fg}/assignment/{A}/{step}")
        assert r.ok and r.json()["success"], f"{step}: {r.text[:3000]}"
    return people
