"""Report figures as base64 PNG (matplotlib, no display), so the HTML report is one file."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def score_histogram(totals: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(6, 3))
    for assignment, rows in totals.groupby("assignment"):
        ax.hist(100 * rows["fraction"], bins=range(0, 105, 5), alpha=0.7, label=str(assignment))
    ax.set_xlabel("score on graded items (%)")
    ax.set_ylabel("trainees")
    ax.legend(fontsize=8)
    return _png(fig)


def mastery_heatmap(table: pd.DataFrame, title: str) -> str:
    """table: rows = trainees, columns = competencies or domains, values 0..1 (NaN = not assessed)."""
    h = max(2.5, 0.22 * len(table) + 1)
    fig, ax = plt.subplots(figsize=(1.1 * max(4, len(table.columns)) + 2, h))
    im = ax.imshow(table.values.astype(float), aspect="auto", cmap="RdYlGn", vmin=0, vmax=1)
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns], rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(table.index)), [str(i) for i in table.index], fontsize=7)
    ax.set_title(title, fontsize=10)
    fig.colorbar(im, ax=ax, label="mastery")
    return _png(fig)


def item_scatter(items: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.scatter(items["p_full"], items["point_biserial"], color="tab:blue")
    for r in items.itertuples():
        ax.annotate(str(r.item), (r.p_full, r.point_biserial), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.axhline(0.2, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("difficulty: share with full marks")
    ax.set_ylabel("discrimination (point-biserial)")
    return _png(fig)
