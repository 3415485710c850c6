"""Kernels forked from the warm template behave like kernels started from scratch, one per submission."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time

import psutil
import pytest
from jupyter_client.manager import AsyncKernelManager

from peersupport.instructor.autograde.kernelfork import ForkKernelManager, Template, kernel_args

pytestmark = pytest.mark.slow  # real kernels and a real template process

PROBE = r'''
import json, os, sys
print(json.dumps({"path": sys.path, "argv0": sys.argv[0], "nargs": len(sys.argv), "cwd": os.getcwd(),
                  "env": dict(os.environ), "pid": os.getpid(), "ppid": os.getppid(),
                  "own_group": os.getpgid(0) == os.getpid(), "own_session": os.getsid(0) == os.getpid()}))
'''


async def _run(km, code: str, timeout: float = 30) -> tuple[str, list[str]]:
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=30)
        msg_id = kc.execute(code)
        out, errors = "", []
        while True:
            msg = await kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out += msg["content"]["text"]
            elif msg["msg_type"] == "error":
                errors.append(msg["content"]["ename"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return out, errors
    finally:
        kc.stop_channels()


async def _one(cls, code: str, cwd) -> tuple[str, list[str]]:
    km = cls(kernel_name="python3")
    await km.start_kernel(cwd=str(cwd))
    try:
        return await _run(km, code)
    finally:
        await km.shutdown_kernel(now=True)


def run(cls, code: str, cwd) -> tuple[str, list[str]]:
    return asyncio.run(_one(cls, code, cwd))


@pytest.fixture
def template():
    Template._current = None
    yield Template.get()
    Template._current.close()
    Template._current = None


def test_forked_kernel_starts_like_a_plain_one(template, tmp_path):
    plain, _ = run(AsyncKernelManager, PROBE, tmp_path)
    forked, _ = run(ForkKernelManager, PROBE, tmp_path)
    a, b = json.loads(plain), json.loads(forked)
    assert b["ppid"] == template.proc.pid, "the kernel was not forked from the template"
    assert b["path"] == a["path"]
    assert b["cwd"] == a["cwd"] == str(tmp_path.resolve())
    assert (b["argv0"], b["nargs"]) == (a["argv0"], a["nargs"])
    assert b["own_group"] and b["own_session"] and a["own_group"] and a["own_session"]
    changed = {k for k in set(a["env"]) | set(b["env"]) if a["env"].get(k) != b["env"].get(k)}
    assert changed == {"JPY_PARENT_PID"}
    assert b["env"]["JPY_PARENT_PID"] == str(b["ppid"])  # ipykernel watches its real parent


def test_each_kernel_is_fresh(template, tmp_path):
    tamper = ("import peersupport.grading.marking as m\nm.mark_single = None\nleft_behind = 1\n"
              "import os\nos.environ['LEFT'] = '1'\nprint(os.getpid())")
    first, _ = run(ForkKernelManager, tamper, tmp_path)
    check = ("import os, peersupport.grading.marking as m\n"
             "print(m.mark_single is not None, 'left_behind' in globals(), 'LEFT' in os.environ, os.getpid())")
    second, _ = run(ForkKernelManager, check, tmp_path)
    fresh, leaked_global, leaked_env, pid = second.split()
    assert (fresh, leaked_global, leaked_env) == ("True", "False", "False")
    assert pid != first.strip()


def test_widgets_are_imported_by_the_kernel_itself(template, tmp_path):
    code = ("import sys\nprint('ipywidgets' in sys.modules)\nimport ipywidgets\n"
            "print('jupyter.widget' in get_ipython().kernel.comm_manager.targets)")
    out, errors = run(ForkKernelManager, code, tmp_path)
    assert not errors
    assert out.split() == ["False", "True"]


def test_interrupt_stops_a_loop(template, tmp_path):
    async def go():
        km = ForkKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        try:
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=30)
            kc.execute("while True:\n    pass")
            await asyncio.sleep(1.0)
            await km.interrupt_kernel()
            reply = await kc.get_shell_msg(timeout=30)
            kc.stop_channels()
            return reply["content"]
        finally:
            await km.shutdown_kernel(now=True)

    content = asyncio.run(go())
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt"


def test_shutdown_leaves_no_kernel_behind(template, tmp_path):
    async def go():
        km = ForkKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        pid = km.provisioner.pid
        assert psutil.pid_exists(pid)
        await km.shutdown_kernel(now=True)
        return pid

    pid = asyncio.run(go())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and pid in {c.pid for c in psutil.Process(template.proc.pid).children()}:
        time.sleep(0.1)
    assert pid not in {c.pid for c in psutil.Process(template.proc.pid).children()}


def test_a_dead_template_is_replaced_and_takes_its_kernels(template, tmp_path):
    async def start():
        km = ForkKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        return km, km.provisioner.pid

    _km, kernel_pid = asyncio.run(start())
    os.kill(template.proc.pid, signal.SIGKILL)
    template.proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and psutil.pid_exists(kernel_pid) and \
            psutil.Process(kernel_pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.1)
    assert not psutil.pid_exists(kernel_pid) or psutil.Process(kernel_pid).status() == psutil.STATUS_ZOMBIE
    out, _ = run(ForkKernelManager, "import os; print(os.getppid())", tmp_path)
    assert Template._current is not template and int(out) == Template._current.proc.pid


def test_other_kernels_start_the_usual_way():
    assert kernel_args([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]) == ["-f", "c.json"]
    assert kernel_args(["/usr/bin/R", "--slave", "-e", "IRkernel::main()", "--args", "c.json"]) is None
    assert kernel_args([sys.executable, "-m", "other_kernel", "-f", "c.json"]) is None
    assert kernel_args(["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"]) == ["-f", "{connection_file}"]
    assert kernel_args(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "c.json"]) is None


def test_without_a_template_kernels_start_the_usual_way(tmp_path, monkeypatch):
    monkeypatch.setattr(Template, "_current", None)
    monkeypatch.setattr(Template, "disabled", False)

    def broken(cls):
        raise RuntimeError("The kernel template did not start.")

    monkeypatch.setattr(Template, "get", classmethod(broken))
    out, errors = run(ForkKernelManager, "import os; print(os.getppid())", tmp_path)
    assert not errors and int(out) == os.getpid()  # launched by jupyter_client itself
    assert Template.disabled
