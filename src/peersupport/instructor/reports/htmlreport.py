"""The report as one self-contained HTML file: every name and text escaped, figures inlined."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pandas as pd

CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:13px;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:13px}
.alert{background:#fff4e5}img{max-width:100%}h2{border-bottom:2px solid #3a6ea5;padding-bottom:2px}"""


def table(df: pd.DataFrame, pct: tuple[str, ...] = (), digits: int = 2) -> str:
    if df is None or df.empty:
        return "<p class='note'>Nothing to show.</p>"
    fmt = {c: (lambda v: "" if pd.isna(v) else f"{100 * v:.0f}%") for c in pct if c in df.columns}
    return df.to_html(index=False, escape=True, formatters=fmt, float_format=lambda v: f"{v:.{digits}f}", na_rep="")


def wide_table(wide: pd.DataFrame) -> str:
    shown = wide.map(lambda v: "" if pd.isna(v) else f"{100 * v:.0f}%")
    return shown.to_html(escape=True)


def img(b64: str, alt: str) -> str:
    return f"<img alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{b64}'>"


def render(title: str, sections: list[tuple[str, str]], notes: list[str]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p class='note'>Made {stamp} from the gradebook. " + " ".join(html.escape(n) for n in notes) + "</p>"]
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{body}")
    parts.append("</body></html>")
    return "\n".join(parts)
