"""The whole nbgrader round trip through a real JupyterHub, and what one trainee cannot do to another.

An instructor and two trainees are created through the hub's REST API; each runs their own server as
their own local account. The instructor generates and releases the Module 01 exercise through the
course's formgrader service; each trainee fetches it, answers through the item widgets in a kernel of
their own server (the widget writes my-answers.json) and submits through their server's nbgrader
endpoints. Trainee A then forges a submission in B's name. The instructor runs `peersupport grade` in
a kernel of the grader service, generates and releases feedback, and each trainee fetches their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import psutil
import pytest

from peersupport.grading.authoring import load_spec

from .conftest import ARTIFACTS, COURSE, REPO, A
from .hubtools import Kernel, session

pytestmark = [pytest.mark.slow]
SPEC = load_spec(REPO / "autograder" / "items" / f"{A}.yaml")
SINGLE = [i for i in SPEC.items if i.kind == "single"]
RIGHT = {i.id: i.key for i in SINGLE}
WRONG = {i.id: next(o for o in i.options if o != i.key and o not in (i.partial or {}) and o not in (i.near_miss or []))
         for i in SINGLE}


def _answer_code(answers: dict[str, str]) -> str:
    return f"""
import os
os.chdir(os.path.expanduser("~/{A}"))
from peersupport.grading.answers import AnswerStore
from peersupport.grading.items import load_items
from peersupport.grading.views import ItemView
items = load_items(".")
for item_id, option in {answers!r}.items():
    ItemView(items.get(item_id), AnswerStore(".")).picker.value = option
print(open("my-answers.json").read())
"""


def _probe_code(paths: dict[str, str]) -> str:
    """Code a trainee runs in their own kernel: try to list or read each path; report what happened."""
    return f"""
import json, os
found = {{}}
for what, path in {paths!r}.items():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        found[what] = "READ"
    except PermissionError:
        found[what] = "denied"
    except FileNotFoundError:
        found[what] = "not found"
print(json.dumps(found))
"""


def _fetch(hub, who):
    s = session(hub.tokens[who])
    r = s.post(f"{hub.url}/user/{who}/assignments/fetch", data={"course_id": COURSE, "assignment_id": A})
    r.raise_for_status()
    return r.json()


def test_round_trip_and_isolation(released):
    hub = released
    url, (ta, tb), inst = hub.url, hub.trainees, session(hub.tokens[hub.instructor])
    fg = f"{url}/services/{COURSE}/formgrader/api"

    # the instructor has generated and released the exercise through formgrader's endpoints (`released`)

    # trainees: fetch, answer through the widgets in their own kernel, submit through their own server
    for who, answers in ((ta, RIGHT), (tb, WRONG)):
        listing = _fetch(hub, who)
        assert any(a["assignment_id"] == A and a["status"] == "fetched" for a in listing["value"]), listing
        k = Kernel(f"{url}/user/{who}", hub.tokens[who])
        try:
            saved = json.loads(k.run(_answer_code(answers)))
        finally:
            k.close()
        assert {i: saved["answers"][i] for i in answers} == answers
        assert saved["trainee"] == who   # the hub identity (JUPYTERHUB_USER) orders the options and is saved
        r = session(hub.tokens[who]).post(f"{url}/user/{who}/assignments/submit",
                                          data={"course_id": COURSE, "assignment_id": A})
        assert r.ok and "submitted" in r.text, r.text[:2000]

    inbound = hub.exchange / COURSE / "inbound"
    b_subs = sorted(p for p in inbound.iterdir() if p.name.startswith(f"{tb}+"))
    assert len(b_subs) == 1 and b_subs[0].owner() == tb

    # A forges a submission in B's name with nbgrader's own command (A's correct answers, a later timestamp)
    k = Kernel(f"{url}/user/{ta}", hub.tokens[ta])
    try:
        out = k.run(f"""
import subprocess, os
r = subprocess.run(["nbgrader", "submit", "{A}", "--student={tb}"], cwd=os.path.expanduser("~"),
                   capture_output=True, text=True)
print(r.returncode, r.stdout, r.stderr)
""")
        assert len([p for p in inbound.iterdir() if p.name.startswith(f"{tb}+")]) == 2, out
        # what A's own account can reach: nothing of B's, nothing of the grader's
        probes = {
            "the exchange's inbound folder (list)": str(inbound),
            "B's submission": str(b_subs[0] / f"{A}.ipynb"),
            "B's answers file": str(b_subs[0] / "my-answers.json"),
            "B's submission secret": str(b_subs[0] / "submission_secret.txt"),
            "B's home": f"/{Path(hub.base, 'home', tb).relative_to('/')}",
            "the course source with answer keys": str(hub.course_root / "exercises" / A / f"{A}.ipynb"),
            "the item keys": str(hub.course_root / "autograder" / "items" / f"{A}.yaml"),
            "the course folder (list)": str(hub.course_root),
            "the checkout's exercise source": str(REPO / "exercises" / A / f"{A}.ipynb"),
            "the checkout's item keys": str(REPO / "autograder" / "items" / f"{A}.yaml"),
        }
        seen = json.loads(k.run(_probe_code(probes)))
    finally:
        k.close()
    assert seen == {what: "denied" for what in probes}, seen
    # and through the hub: A's token opens neither B's server nor formgrader
    a_http = session(hub.tokens[ta])
    assert a_http.get(f"{url}/user/{tb}/api/contents").status_code in (403, 404)
    assert a_http.get(f"{fg}/assignments", allow_redirects=False).status_code in (302, 403)

    # instructor: `peersupport grade` in a kernel of the grader service (as the grader account)
    g = Kernel(f"{url}/services/{COURSE}", hub.tokens[hub.instructor])
    try:
        graded = g.run(f"""
import subprocess
r = subprocess.run(["peersupport", "grade", "{A}"], capture_output=True, text=True)
print(r.returncode); print(r.stdout); print(r.stderr)
""", timeout=600)
    finally:
        g.close()
    assert graded.startswith("0\n"), graded
    summary = next(line for line in graded.splitlines() if line.startswith(f"{A}: "))
    assert re.search(r"\b2 graded\b", summary) and re.search(r"\b0 failed\b", summary), graded
    # B's collected submission is B's own (the forged one was refused), scored on B's own answers
    b_answers = json.loads((hub.course_root / "course" / "submitted" / tb / A / "my-answers.json").read_text())
    assert {i: b_answers["answers"][i] for i in WRONG} == WRONG and b_answers["trainee"] == tb

    subs = {s["student"]: s for s in inst.get(f"{fg}/submissions/{A}").json()}
    right_points = sum(i.points for i in SINGLE)
    assert subs[ta]["score"] == pytest.approx(right_points), subs[ta]
    assert subs[tb]["score"] < subs[ta]["score"], subs[tb]

    for step in ("generate_feedback", "release_feedback"):
        r = inst.post(f"{fg}/assignment/{A}/{step}")
        assert r.ok and r.json()["success"], f"{step}: {r.text[:3000]}"

    feedback = {}
    for who in (ta, tb):
        r = session(hub.tokens[who]).post(f"{url}/user/{who}/assignments/fetch_feedback",
                                          data={"course_id": COURSE, "assignment_id": A})
        assert r.ok, r.text[:2000]
        files = list(Path(hub.base, "home", who, A, "feedback").glob(f"*/{A}.html"))
        assert len(files) == 1, (who, files, r.text[:2000])
        feedback[who] = files[0].read_text()
        assert files[0].owner() == who
    for who, other in ((ta, tb), (tb, ta)):
        score = subs[who]["score"]
        assert re.search(rf"Score:\s*{score:g}\b|{score:.1f}\s*/", feedback[who]) or f"{score:g}" in feedback[who]
        assert feedback[who] != feedback[other]
    # A cannot list the feedback folder (files are named by a hash of each trainee's own secret)
    k = Kernel(f"{url}/user/{ta}", hub.tokens[ta])
    try:
        seen = json.loads(k.run(_probe_code({"feedback (list)": str(hub.exchange / COURSE / "feedback"),
                                             "the gradebook": str(hub.course_root / "course" / "gradebook.db")})))
    finally:
        k.close()
    assert seen == {"feedback (list)": "denied", "the gradebook": "denied"}, seen


def test_trainee_kernel_memory_after_module_01(people):
    """Run every code cell of Module 01 in a trainee's kernel on the hub; record the kernel's and server's RSS."""
    import nbformat

    hub, who = people, people.trainees[0]
    nb = nbformat.read(REPO / "modules" / "01-active-listening.ipynb", as_version=4)
    k = Kernel(f"{hub.url}/user/{who}", hub.tokens[who], path="modules/01-active-listening.ipynb")
    try:
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.strip():
                k.run(cell.source)
        pid = int(k.run("import os; print(os.getpid())"))
        kernel_rss = psutil.Process(pid).memory_info().rss
    finally:
        k.close()
    server = [p for p in psutil.process_iter(["username", "cmdline"])
              if p.info["username"] == who and "jupyterhub-singleuser" in " ".join(p.info["cmdline"] or [])]
    server_rss = server[0].memory_info().rss
    hub.timings["trainee kernel RSS after Module 01 (MB)"] = round(kernel_rss / 2**20, 1)
    hub.timings["trainee server RSS (MB)"] = round(server_rss / 2**20, 1)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hub-measurements.json").write_text(json.dumps(hub.timings, indent=1))
    print(json.dumps(hub.timings, indent=1))
    assert 20 * 2**20 < kernel_rss < 400 * 2**20
