"""The numbers of the instructor report, from the grades table of ``data.grades_frame``.

Only cells that have a grade count: a written answer still waiting for the instructor is left out
(and counted in ``awaiting_manual``), so a trainee is never marked down for grading not yet done.

- mastery: points earned / points possible, per trainee and competency (or certification domain;
  an item counts toward every domain of its competency)
- item difficulty: the share of trainees with full marks on the item (``p_full``) and the mean
  share of its points (``mean_score``)
- item discrimination: the point-biserial correlation between full marks on the item (1/0) and the
  trainee's total on the *other* items of the assignment (corrected item-total correlation)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

P_LOW, P_HIGH, R_LOW = 0.2, 0.95, 0.2


def graded(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df["needs_manual_grade"].astype(bool)]


def awaiting_manual(df: pd.DataFrame) -> int:
    return int(df["needs_manual_grade"].astype(bool).sum()) if len(df) else 0


def _ratio(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = df.groupby(by, as_index=False)[["score", "max_score"]].sum()
    g = g[g["max_score"] > 0]
    g["mastery"] = g["score"] / g["max_score"]
    return g


def mastery_by_competency(df: pd.DataFrame) -> pd.DataFrame:
    """Long table: student, competency, score, max_score, mastery."""
    return _ratio(graded(df), ["student", "competency"])


def mastery_by_domain(df: pd.DataFrame) -> pd.DataFrame:
    d = graded(df).explode("domains").rename(columns={"domains": "domain"})
    return _ratio(d.dropna(subset=["domain"]), ["student", "domain"])


def mastery_by_category(df: pd.DataFrame) -> pd.DataFrame:
    return _ratio(graded(df), ["student", "category"])


def totals(df: pd.DataFrame) -> pd.DataFrame:
    """Per trainee and assignment: points on graded cells, possible points and the percentage."""
    t = _ratio(graded(df), ["student", "assignment"])
    return t.rename(columns={"mastery": "fraction"})


def distribution(df: pd.DataFrame) -> pd.DataFrame:
    t = totals(df)
    return t.groupby("assignment")["fraction"].describe().reset_index()


def point_biserial(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of a 0/1 variable x with y; NaN when either does not vary."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return float("nan")
    p = x.mean()
    return float((y[x == 1].mean() - y[x == 0].mean()) / y.std() * np.sqrt(p * (1 - p)))


def item_stats(df: pd.DataFrame) -> pd.DataFrame:
    g = graded(df)
    out = []
    for (assignment, item), rows in g.groupby(["assignment", "item"]):
        total = g[g["assignment"] == assignment].groupby("student")["score"].sum()
        rows = rows.set_index("student")
        full = (rows["score"] >= rows["max_score"] - 1e-9).astype(float)
        rest = total.loc[rows.index] - rows["score"]
        r = point_biserial(full.values, rest.values)
        p_full = float(full.mean())
        flag = []
        if p_full < P_LOW:
            flag.append("very hard")
        if p_full > P_HIGH:
            flag.append("very easy")
        if not np.isnan(r) and r < R_LOW:
            flag.append("low discrimination")
        out.append({"assignment": assignment, "item": item, "competency": rows["competency"].iloc[0],
                    "kind": rows["kind"].iloc[0], "n": len(rows), "max_score": float(rows["max_score"].iloc[0]),
                    "p_full": p_full, "mean_score": float((rows["score"] / rows["max_score"]).mean()),
                    "point_biserial": r, "review": ", ".join(flag)})
    return pd.DataFrame(out, columns=["assignment", "item", "competency", "kind", "n", "max_score", "p_full",
                                      "mean_score", "point_biserial", "review"])


def alerts(df: pd.DataFrame, *, threshold: float = 0.6, critical: tuple[str, ...] = ("crisis-support",),
           critical_threshold: float = 0.8, failures: dict[str, str] | None = None) -> pd.DataFrame:
    """Who needs attention: low totals, low mastery on critical (crisis) categories, grading failures."""
    out = []
    for r in totals(df).itertuples():
        if r.fraction < threshold:
            out.append({"student": r.student, "alert": "low score", "where": r.assignment,
                        "detail": f"{100 * r.fraction:.0f}% (below {100 * threshold:.0f}%)"})
    cat = mastery_by_category(df)
    for r in cat[cat["category"].isin(critical)].itertuples():
        if r.mastery < critical_threshold:
            out.append({"student": r.student, "alert": "critical skill", "where": r.category,
                        "detail": f"{100 * r.mastery:.0f}% on {r.category} items (below {100 * critical_threshold:.0f}%)"})
    for student, reason in (failures or {}).items():
        out.append({"student": student, "alert": "not graded", "where": "", "detail": reason})
    return pd.DataFrame(out, columns=["student", "alert", "where", "detail"])
