"""The instructor dashboard (``autograder/instructor-dashboard.ipynb``): the report's numbers,
interactively. Pick a trainee, a competency and an assignment; pseudonyms unless real names are asked for.

In the notebook::

    from peersupport.instructor.dashboard import dashboard
    dashboard()
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML, display

from .course import load
from .reports import analysis
from .reports.report import compute, namer_for

ALL = "(all)"


def _frame_html(df: pd.DataFrame, pct: tuple[str, ...] = ()) -> str:
    from .reports.htmlreport import table

    return table(df, pct=pct)


class Dashboard:
    def __init__(self, root: Path | None = None, db_url: str | None = None, real_names: bool = False):
        c = load(root, db_url=db_url)
        db, cid, sdir = c.db_url, c.course_id, c.state_dir
        self.data = compute(c.root, db, cid, c.path("source"), sdir, namer_for(c.root, sdir, db, cid, real_names))
        g = self.data.grades
        self.assignment = w.Dropdown(description="Assignment", options=[ALL, *sorted(g["assignment"].unique())])
        self.trainee = w.Dropdown(description="Trainee", options=[ALL, *sorted(g["student"].unique())])
        self.competency = w.Dropdown(description="Competency", options=[ALL, *sorted(c for c in g["competency"].unique() if c)])
        self.out = w.Output()
        for control in (self.assignment, self.trainee, self.competency):
            control.observe(lambda _change: self.refresh(), names="value")
        self.view = w.VBox([w.HBox([self.assignment, self.trainee, self.competency]), self.out])
        self.refresh()

    def selected(self) -> pd.DataFrame:
        g = self.data.grades
        for control, column in ((self.assignment, "assignment"), (self.trainee, "student"), (self.competency, "competency")):
            if control.value != ALL:
                g = g[g[column] == control.value]
        return g

    def refresh(self) -> None:
        g = self.selected()
        parts = [f"<p>{len(g)} graded cell(s) selected; {analysis.awaiting_manual(g)} written answer(s) await your grade.</p>"]
        parts.append("<h4>Mastery by competency</h4>" + _frame_html(analysis.mastery_by_competency(g), ("mastery",)))
        parts.append("<h4>Mastery by certification domain</h4>" + _frame_html(analysis.mastery_by_domain(g), ("mastery",)))
        if self.trainee.value == ALL:
            parts.append("<h4>Items</h4>" + _frame_html(analysis.item_stats(g), ("p_full", "mean_score")))
        alerts = self.data.alerts
        if self.trainee.value != ALL:
            alerts = alerts[alerts["student"] == self.trainee.value]
        parts.append("<h4>Alerts</h4>" + _frame_html(alerts))
        with self.out:
            self.out.clear_output(wait=True)
            display(HTML("".join(parts)))

    def _ipython_display_(self):
        display(self.view)


def dashboard(root: str | Path | None = None, real_names: bool = False) -> Dashboard:
    """The dashboard for the course nbgrader finds from the working directory (or `root`, as --course-dir)."""
    return Dashboard(Path(root) if root else None, real_names=real_names)


__all__ = ["Dashboard", "dashboard"]
