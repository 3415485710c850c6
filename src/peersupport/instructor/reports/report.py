"""`peersupport report`: the cohort report (HTML with figures, and CSV files) from the gradebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..autograde.state import GradeState
from . import analysis, htmlreport, plots
from .data import grades_frame, load_vocabulary, trainees_and_submissions
from .pseudonym import Namer, course_key


@dataclass
class ReportData:
    grades: pd.DataFrame
    competency: pd.DataFrame
    domain: pd.DataFrame
    totals: pd.DataFrame
    distribution: pd.DataFrame
    items: pd.DataFrame
    alerts: pd.DataFrame
    awaiting_manual: int
    distractors: pd.DataFrame | None = None
    distractor_flags: pd.DataFrame | None = None


def namer_for(root: Path, state_dir: Path, db_url: str, course_id: str, real_names: bool) -> Namer:
    if real_names:
        trainees, _ = trainees_and_submissions(db_url, course_id)
        return Namer(None, {t.id: t.name for t in trainees.values()})
    return Namer(course_key(state_dir))


def compute(root: Path, db_url: str, course_id: str, source_dir: Path, state_dir: Path, namer: Namer,
            assignments: list[str] | None = None, threshold: float = 0.6, critical_threshold: float = 0.8,
            autograded: Path | None = None) -> ReportData:
    """Everything the report shows; `autograded` (nbgrader's autograded/ folder) adds the distractor analysis."""
    df = grades_frame(db_url, source_dir, course_id, load_vocabulary(root))
    if assignments:
        df = df[df["assignment"].isin(assignments)]
    state = GradeState(state_dir)
    failures = {namer(s): f"{a}: {e.get('reason', '')}" for a, by in state.data.items() if not assignments or a in assignments
                for s, e in by.items() if e.get("status") == "failed"}
    df = df.assign(student=df["student"].map(namer))
    from .distractors import distractor_table, flags

    chosen = distractor_table(root, autograded, sorted(set(df["assignment"]))) if autograded else None
    return ReportData(df, analysis.mastery_by_competency(df), analysis.mastery_by_domain(df), analysis.totals(df),
                      analysis.distribution(df), analysis.item_stats(df),
                      analysis.alerts(df, threshold=threshold, critical_threshold=critical_threshold, failures=failures),
                      analysis.awaiting_manual(df), chosen, flags(chosen) if chosen is not None else None)


def write(data: ReportData, out_dir: Path, title: str, pseudonymized: bool) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "mastery-by-competency.csv": data.competency, "mastery-by-domain.csv": data.domain,
        "scores.csv": data.totals, "score-distribution.csv": data.distribution, "items.csv": data.items,
        "alerts.csv": data.alerts,
    }
    paths = {}
    for name, frame in files.items():
        frame.to_csv(out_dir / name, index=False)
        paths[name] = out_dir / name
    comp_wide = data.competency.pivot(index="student", columns="competency", values="mastery")
    dom_wide = data.domain.pivot(index="student", columns="domain", values="mastery")
    sections = [
        ("Alerts", htmlreport.table(data.alerts)),
        ("Score distribution", htmlreport.table(data.distribution.astype({"count": int}).rename(columns={"count": "trainees"}),
                                                 pct=("mean", "std", "min", "25%", "50%", "75%", "max"))
         + (htmlreport.img(plots.score_histogram(data.totals), "histogram of scores") if len(data.totals) else "")),
        ("Mastery by competency", (htmlreport.img(plots.mastery_heatmap(comp_wide, "mastery by competency"),
                                                  "mastery heatmap by competency") if len(comp_wide) else "")
         + htmlreport.wide_table(comp_wide)),
        ("Mastery by certification domain", htmlreport.wide_table(dom_wide)),
        ("Items: difficulty and discrimination", htmlreport.table(data.items, pct=("p_full", "mean_score"))
         + (htmlreport.img(plots.item_scatter(data.items), "item difficulty and discrimination") if len(data.items) else "")),
        ("Scores by trainee", htmlreport.table(data.totals, pct=("fraction",))),
    ]
    if data.distractors is not None:
        data.distractors.to_csv(out_dir / "distractors.csv", index=False)
        paths["distractors.csv"] = out_dir / "distractors.csv"
        sections.append(("Distractors: options nobody picks, keys that draw fewer trainees than a distractor",
                         htmlreport.table(data.distractor_flags) if len(data.distractor_flags)
                         else "<p>No flags (items with fewer than 5 answers are not judged).</p>"))
    notes = [f"{data.awaiting_manual} written answer(s) still wait for the instructor's grade and are left out of every number.",
             "Trainees are shown by pseudonym (a keyed hash); run with --real-names to see names." if pseudonymized
             else "Real names are shown: keep this file private.",
             "Mastery = points earned / points possible on graded cells; an item counts toward every domain of its competency.",
             "Difficulty = share with full marks; discrimination = point-biserial correlation with the rest of the assignment."]
    (out_dir / "report.html").write_text(htmlreport.render(title, sections, notes), encoding="utf-8")
    paths["report.html"] = out_dir / "report.html"
    return paths
