"""Fast checks of the instructor pieces that need no kernel: statistics, alerts, pseudonyms,
suggestions, the state file, failure reasons and HTML escaping."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from harness.course import REPO
from peersupport.grading.rubrics import load_rubric
from peersupport.instructor.autograde.reasons import failure_reason, warnings_from_log
from peersupport.instructor.autograde.state import GradeState, folder_hash
from peersupport.instructor.reports import analysis, htmlreport
from peersupport.instructor.reports.pseudonym import Namer, course_key, pseudonym
from peersupport.instructor.suggest import MARKER, STUB, suggest_one


def frame(rows):
    df = pd.DataFrame(rows, columns=["student", "assignment", "item", "kind", "competency", "category", "domains",
                                     "score", "max_score", "needs_manual_grade"])
    return df


def test_point_biserial_equals_pearson_on_a_zero_one_variable():
    rng = np.random.default_rng(3)
    x = (rng.random(40) > 0.4).astype(float)
    y = rng.normal(size=40) + x
    assert analysis.point_biserial(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert np.isnan(analysis.point_biserial(np.ones(5), np.arange(5.0)))


def test_crisis_items_below_the_threshold_raise_an_alert_and_ungraded_cells_do_not_count():
    rows = []
    for s, crisis, other in [("ana", 1.0, 1.0), ("ben", 0.5, 1.0), ("cy", 1.0, 0.2)]:
        rows.append((s, "m7", "c1", "single", "asking-about-suicide", "crisis-support", ("icrc-ethics",), 2 * crisis, 2, False))
        rows.append((s, "m7", "o1", "single", "attending", "communication", ("ncps-relationship",), 8 * other, 8, False))
        rows.append((s, "m7", "w1", "written", "attending", "communication", ("ncps-relationship",), 0, 3, True))
    df = frame(rows)
    alerts = analysis.alerts(df, threshold=0.6, critical_threshold=0.8, failures={"dee": "broken notebook"})
    got = {(r.student, r.alert) for r in alerts.itertuples()}
    assert got == {("ben", "critical skill"), ("cy", "low score"), ("dee", "not graded")}
    m = analysis.mastery_by_competency(df).set_index(["student", "competency"])["mastery"]
    assert m[("cy", "attending")] == pytest.approx(0.2)  # the ungraded written cell is left out
    assert analysis.awaiting_manual(df) == 3
    dom = analysis.mastery_by_domain(df).set_index(["student", "domain"])["mastery"]
    assert dom[("ben", "icrc-ethics")] == pytest.approx(0.5)


def test_pseudonyms_are_stable_keyed_and_not_the_id(tmp_path, monkeypatch):
    monkeypatch.delenv("PEERSUPPORT_PSEUDONYM_KEY", raising=False)
    key = course_key(tmp_path)
    assert course_key(tmp_path) == key and (tmp_path / "pseudonym.key").stat().st_mode & 0o077 == 0
    assert pseudonym("jo", key) == pseudonym("jo", key) != pseudonym("jo", b"another key")
    assert pseudonym("jo", key) != pseudonym("jon", key) and "jo" not in pseudonym("jo", key)[2:]
    assert Namer(None, {"jo": "Jo Díaz"})("jo") == "Jo Díaz (jo)"


def test_suggestions_say_they_are_suggestions_and_handle_blank_answers():
    rubric = load_rubric(REPO / "autograder" / "rubrics" / "active-listening.yaml")
    w1 = next(i for i in rubric.items if i.item == "al-w1")
    ctx = "My mom keeps checking my arms when I visit. It makes me feel like nothing I do counts."
    pts, text = suggest_one(STUB, ctx, w1)
    assert pts == 0 and text.startswith(MARKER) and "No written answer" in text
    good, text = suggest_one("It hurts that your mom still checks your arms, like nothing you do counts.", ctx, w1)
    poor, text2 = suggest_one("At least you still have your mom! You should talk to her.", ctx, w1)
    assert good > poor and 0 <= poor <= w1.points and good <= w1.points
    assert text.startswith(MARKER) and "Suggested points" in text and "to look at" in text2


def test_the_state_file_survives_damage_and_the_hash_sees_every_byte(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ipynb").write_text("{}")
    h = folder_hash(tmp_path / "sub", "k")
    assert h == folder_hash(tmp_path / "sub", "k") != folder_hash(tmp_path / "sub", "other settings")
    (tmp_path / "sub" / "my-answers.json").write_text("{}")
    assert folder_hash(tmp_path / "sub", "k") != h
    state = GradeState(tmp_path)
    state.record("a1", "jo", {"hash": h, "status": "graded"})
    assert json.loads((tmp_path / "grade-state.json").read_text())["a1"]["jo"]["status"] == "graded"
    (tmp_path / "grade-state.json").write_text("{not json")
    assert GradeState(tmp_path).data == {}


def test_failure_reasons_are_plain_words():
    assert "not valid JSON" in failure_reason("nbformat.reader.NotJSONError: x", "", 30)
    assert "ended Python" in failure_reason("", "nbclient.exceptions.DeadKernelError: Kernel died", 30)
    assert warnings_from_log("[ERROR] Timeout waiting for execute reply (30s).", 30) == [
        "1 cell(s) ran past the 30 s limit and were stopped (those cells score 0)"]


def test_html_report_escapes_names_and_text():
    df = pd.DataFrame({"student": ["<script>alert(1)</script>"], "detail": ["O'Neil & <b>co</b>"]})
    page = htmlreport.render("Report <i>x</i>", [("Alerts <b>", htmlreport.table(df))], ["note <u>"])
    assert "<script>" not in page and "<b>co</b>" not in page and "<i>x</i>" not in page and "<u>" not in page
    assert "&lt;script&gt;" in page


def test_grading_processes_skip_the_slow_iri_grammar():
    import subprocess
    import sys

    code = ("from peersupport.instructor.course import skip_unused_imports\nskip_unused_imports()\n"
            "import sys, nbformat\nnb = nbformat.v4.new_notebook()\nnbformat.validate(nb)\n"
            "from nbgrader.nbgraderformat import ValidationError\n"
            "print(sys.modules.get('rfc3987_syntax'), 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["None", "True"]
