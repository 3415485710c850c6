"""The whole instructor path on a synthetic cohort of 32 trainees: grade (killed and resumed),
compare with `nbgrader autograde` one trainee at a time, suggest, report, export; the report's
numbers are recomputed here from the gradebook and the grader-side item specs."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from harness.course import REPO, SPEC, TIMEOUT, A, make_course, peersupport, release_nb
from harness.synthetic import cohort_profiles, write_cohort
from peersupport.instructor.suggest import MARKER

pytestmark = pytest.mark.slow
N = 30
PROFILES = cohort_profiles(N)
# kill-grader cannot reach the grader from its sandbox (it is graded); broken and exit fail by their own doing
FAILS = {s for s, p in PROFILES.items() if p in ("broken", "exit")}
COMPARE = [next(s for s, p in PROFILES.items() if p == kind) for kind in ("full", "partial", "tamper", "deletes")]
CHANGED = [s for s, p in PROFILES.items() if p == "partial" and s not in COMPARE][-1]
COMPETENCY = {i.id: i.competency for i in SPEC.items} | {w.id: w.competency for w in SPEC.written}


def _state(course) -> dict:
    path = course.root / "course" / ".peersupport" / "grade-state.json"
    return json.loads(path.read_text()).get(A, {}) if path.is_file() else {}


def _cell_scores(db_url: str, students) -> dict:
    with Gradebook(db_url, "peer-support") as gb:
        return {s: {g.name: (g.score, g.needs_manual_grade) for g in gb.find_submission_notebook(A, A, s).grades}
                for s in students}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("cohort")
    course = make_course(scratch)
    write_cohort(course.root / "course" / "submitted", SPEC, release_nb(course), PROFILES, seed=7)
    twin = scratch / "twin"  # the same submissions, for nbgrader's own autograde
    shutil.copytree(course.root, twin, ignore=shutil.ignore_patterns("autograded", ".peersupport"))
    args = ["grade", A, "--root", str(course.root), "--timeout", str(TIMEOUT), "--workers", "3",
            "--exchange", str(course.exchange)]
    # first run: killed (SIGKILL, no clean-up) once a few submissions are done
    proc = subprocess.Popen([sys.executable, "-m", "peersupport.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 400
    while len(_state(course)) < 6 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before_kill = set(_state(course))
    time.sleep(1)
    second = peersupport(*args)
    third = peersupport(*args)
    return course, twin, done_before_kill, second, third


def _summary_counts(out: str) -> tuple[int, int, int]:
    """(graded, failed, unchanged) from the summary line `A: 1 failed, 2 graded, 3 unchanged, 0 missing in …`."""
    line = next(l for l in out.splitlines() if l.startswith(f"{A}: "))
    words = line.replace(",", " ").split()
    count = {words[i + 1]: int(w) for i, w in enumerate(words[:-1]) if w.isdigit()}
    return count["graded"], count["failed"], count["unchanged"]


def test_a_killed_run_resumes_with_only_what_is_missing(cohort):
    course, _, before, second, third = cohort
    assert 6 <= len(before) < N, "the first run was killed part way"
    graded, failed, unchanged = _summary_counts(second.stdout)
    done_and_failed = {s for s in before if s in FAILS}
    assert unchanged == len(before - done_and_failed) and graded + failed == N - unchanged
    assert _summary_counts(third.stdout) == (0, len(FAILS), N - len(FAILS))
    assert set(_state(course)) == set(PROFILES)


def test_every_problem_submission_is_reported_by_name_with_its_reason(cohort):
    course, _, _, second, _ = cohort
    state = _state(course)
    expect = {"broken": "not valid JSON", "exit": "ended Python",
              "timeout": f"ran past the {TIMEOUT} s limit", "deletes": "files were deleted", "flood": "graded notebook is very large",
              "tamper": "read-only cells were edited"}
    for student, profile in PROFILES.items():
        entry = state[student]
        said = entry["reason"] + " ".join(entry["warnings"])
        if profile in expect:
            assert expect[profile] in said, (student, profile, entry)
        if profile in ("full", "partial", "blank"):
            assert entry["status"] == "graded" and not entry["warnings"], (student, entry)
    assert {s for s, e in state.items() if e["status"] == "failed"} == FAILS
    assert not any(e.get("environment") for e in state.values())
    # every trainee has a line with their state in every summary, failures with their reason
    for out in (second.stdout, cohort[4].stdout):
        rows = {ln.split()[0]: ln.split()[1] for ln in out.splitlines() if ln.split() and ln.split()[0] in PROFILES}
        assert set(rows) == set(PROFILES)
        assert {s for s, st in rows.items() if st == "failed"} == FAILS


def test_a_changed_submission_is_graded_again_and_nothing_else(cohort):
    course, _, _, _, _ = cohort
    who = CHANGED  # hands in a new version with a different first answer
    path = course.root / "course" / "submitted" / who / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "al-q1-typed")
    item = next(i for i in SPEC.items if i.id == "al-q1")
    key = item.arranged(who).letter(item.key)  # the key's letter as this trainee sees the options
    other = next(item.arranged(who).letter(o) for o in item.options if o != item.key and not (item.partial or {}).get(o))
    new = other if f'"{key}"' in cell.source else key
    cell.source = f'answer("al-q1", "{new}")'
    nbformat.write(nb, path)
    out = peersupport("grade", A, "--root", str(course.root), "--timeout", str(TIMEOUT), "--no-collect")
    assert _summary_counts(out.stdout) == (1, len(FAILS), N - 1 - len(FAILS))  # failures stay failed, unchanged
    with Gradebook(course.db_url, "peer-support") as gb:
        assert gb.find_grade("al-q1-test", A, A, who).score == (1 if new == key else 0)


def test_scores_are_identical_to_nbgrader_autograde_one_trainee_at_a_time(cohort):
    course, twin, _, _, _ = cohort
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    for student in COMPARE:
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", A, "--student", student,
                        f"--Execute.timeout={TIMEOUT}"], cwd=twin / "autograder", env=env, check=True,
                       capture_output=True, timeout=600)
    ours = _cell_scores(course.db_url, COMPARE)
    theirs = _cell_scores(f"sqlite:///{twin / 'course' / 'gradebook.db'}", COMPARE)
    assert ours == theirs
    assert sum(s for s, _ in ours[COMPARE[0]].values()) == sum(i.points for i in SPEC.items)  # full marks on autograded items


def test_suggestions_are_drafts_and_never_replace_the_instructor(cohort):
    course, _, _, _, _ = cohort
    mine = COMPARE[0]
    with Gradebook(course.db_url, "peer-support") as gb:
        waiting = {(sub.student_id, g.name): g.needs_manual_grade for sub in gb.assignment_submissions(A)
                   for g in sub.notebooks[0].grades}
        gb.find_comment("al-w1-answer", A, A, mine).manual_comment = "Lovely reflection. (instructor)"
        gb.db.commit()
    out = peersupport("suggest", A, "--root", str(course.root))
    assert "No score was set" in out.stdout
    with Gradebook(course.db_url, "peer-support") as gb:
        comments = {(c.student.id, c.name): c.manual_comment for sub in gb.assignment_submissions(A)
                    for nb in sub.notebooks for c in nb.comments if c.name.endswith("-answer") and c.name.startswith("al-w")}
        grades = {(sub.student_id, g.name): g for sub in gb.assignment_submissions(A) for nb in sub.notebooks
                  for g in nb.grades if g.name.startswith("al-w")}
        assert comments[(mine, "al-w1-answer")] == "Lovely reflection. (instructor)"
        drafts = [c for k, c in comments.items() if k != (mine, "al-w1-answer")]
        assert len(drafts) == 2 * N - 1 and all(c.startswith(MARKER) and "Suggested points" in c for c in drafts)
        assert all(g.manual_score is None for g in grades.values())
        assert waiting == {(sub.student_id, g.name): g.needs_manual_grade for sub in gb.assignment_submissions(A)
                           for g in sub.notebooks[0].grades}


def _key(course) -> bytes:
    return (course.root / "course" / ".peersupport" / "pseudonym.key").read_text().strip().encode()


def _independent(course):
    """Per trainee and item: score and max from the gradebook, competency from the grader-side spec."""
    rows = []
    with Gradebook(course.db_url, "peer-support") as gb:
        for sub in gb.assignment_submissions(A):
            for g in sub.notebooks[0].grades:
                if g.needs_manual_grade:
                    continue
                item = g.name.rsplit("-", 1)[0]
                rows.append((sub.student_id, item, COMPETENCY[item], float(g.score), float(g.max_score)))
    return pd.DataFrame(rows, columns=["student", "item", "competency", "score", "max"])


def test_report_numbers_match_an_independent_computation(cohort, tmp_path):
    course, _, _, _, _ = cohort
    out = tmp_path / "report"
    peersupport("report", A, "--root", str(course.root), "--out", str(out))
    key = _key(course)
    alias = lambda s: "T-" + hmac.new(key, s.encode(), hashlib.sha256).hexdigest()[:10]
    df = _independent(course)
    # mastery by competency
    mine = pd.read_csv(out / "mastery-by-competency.csv")
    got = {(r.student, r.competency): r.mastery for r in mine.itertuples()}
    for (s, c), g in df.groupby(["student", "competency"]):
        assert got[(alias(s), c)] == pytest.approx(g["score"].sum() / g["max"].sum())
    assert len(got) == df.groupby(["student", "competency"]).ngroups
    # item difficulty and point-biserial discrimination (Pearson of 0/1 with the rest of the assignment)
    items = pd.read_csv(out / "items.csv").set_index("item")
    totals = df.groupby("student")["score"].sum()
    for item, g in df.groupby("item"):
        g = g.set_index("student")
        full = (g["score"] >= g["max"]).astype(float)
        rest = totals.loc[g.index] - g["score"]
        assert items.loc[item, "p_full"] == pytest.approx(full.mean())
        if full.std() > 0 and rest.std() > 0:
            assert items.loc[item, "point_biserial"] == pytest.approx(np.corrcoef(full, rest)[0, 1])
    # score distribution and alerts
    frac = df.groupby("student")["score"].sum() / df.groupby("student")["max"].sum()
    dist = pd.read_csv(out / "score-distribution.csv").iloc[0]
    assert dist["mean"] == pytest.approx(frac.mean()) and dist["50%"] == pytest.approx(frac.median())
    alerts = pd.read_csv(out / "alerts.csv")
    assert set(alerts[alerts["alert"] == "low score"]["student"]) == {alias(s) for s, f in frac.items() if f < 0.6}
    assert set(alerts[alerts["alert"] == "not graded"]["student"]) == {alias(s) for s in FAILS}
    # the HTML report: pseudonyms only, figures inline, nothing fetched from elsewhere
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 3 and "http://" not in page and "https://" not in page
    assert all(s not in page for s in PROFILES) and alias(COMPARE[0]) in page


def test_exports_quote_names_pseudonymize_by_default_and_escape_html(cohort, tmp_path):
    course, _, _, _, _ = cohort
    who = COMPARE[1]
    with Gradebook(course.db_url, "peer-support") as gb:
        st = gb.find_student(who)
        st.first_name, st.last_name, st.email = "Ana <b>", "O'Neil, Jr.", "ana@example.org"
        gb.db.commit()
    out = tmp_path / "exp"
    peersupport("export", "--root", str(course.root), "--out", str(out))
    text = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "O'Neil" not in text and who not in text and "ana@example.org" not in text
    peersupport("export", "--root", str(course.root), "--out", str(out), "--real-names")
    with open(out / "grades-nbgrader.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N
    row = next(r for r in rows if r["student_id"] == who)
    assert row["last_name"] == "O'Neil, Jr." and row["first_name"] == "Ana <b>"
    with Gradebook(course.db_url, "peer-support") as gb:
        assert float(row["score"]) == pytest.approx(gb.find_submission(A, who).score)
    with open(out / "grades-canvas.csv", newline="") as fh:
        canvas = list(csv.reader(fh))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and canvas[1][0] == "Points Possible"
    assert any(r[0] == "O'Neil, Jr., Ana <b>" and r[2] == who for r in canvas[2:])
    page = next(p for p in (out / "records").glob("*.html") if who in p.name).read_text()
    assert "Ana &lt;b&gt;" in page and "Ana <b>" not in page
    rec = pd.read_csv(next(p for p in (out / "records").glob("*.csv") if who in p.name))
    module = rec[(rec["section"] == "module") & (rec["id"] == "01-active-listening")].iloc[0]
    doms = rec[rec["section"] == "domain minutes"]
    from peersupport.timing import estimate

    assert module["completed"] == "yes"
    assert float(module["minutes"]) == pytest.approx(estimate(REPO / "modules" / "01-active-listening.ipynb", REPO).total, abs=0.1)
    for framework in ("icrc-", "ncps-"):  # each framework counts the module's minutes once, shared among its domains
        mine = doms[doms["id"].str.startswith(framework)]
        assert mine["minutes"].sum() == pytest.approx(float(module["minutes"]), abs=0.15)


def test_dashboard_filters_by_trainee_competency_and_assignment(cohort):
    from peersupport.instructor.dashboard import ALL, Dashboard

    course, _, _, _, _ = cohort
    board = Dashboard(course.root)
    someone = board.trainee.options[1]
    board.trainee.value = someone
    board.competency.value = "open-questions"
    chosen = board.selected()
    assert len(chosen) and set(chosen["student"]) == {someone} and set(chosen["competency"]) == {"open-questions"}
    assert board.assignment.options == (ALL, A)
    assert all(not o.startswith("trainee-") for o in board.trainee.options)  # pseudonyms by default
