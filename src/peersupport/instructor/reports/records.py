"""Per-trainee training records for certification paperwork: CSV and a printable HTML page.

A module counts as completed when the trainee has a graded submission of its exercise. Its minutes
are the curriculum's one estimate (``peersupport.timing``: the notebook and the graded exercise),
counted once in each certification framework and shared equally among the domains of that framework
the module claims, so each framework's minutes add up to the minutes completed and nothing is counted
twice.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path

from ...modules import load_module, module_paths
from .data import trainees_and_submissions
from .pseudonym import Namer

FIELDS = ["trainee", "section", "id", "title", "completed", "submitted", "score", "max_score", "minutes"]


@dataclass
class ModuleInfo:
    number: int
    slug: str
    title: str
    exercise: str | None
    minutes: float
    domains: list[str]


def modules_of(root: Path) -> list[ModuleInfo]:
    from ...timing import estimate

    out = []
    for path in module_paths(root):
        m = load_module(path).meta
        out.append(ModuleInfo(m.number, m.slug, m.title, getattr(m, "exercise", None), round(estimate(path, root).total, 1),
                              list(m.domains or [])))
    return out


def _framework(vocabulary, domain: str) -> str:
    for d in getattr(vocabulary, "domains", []) or []:
        if d.id == domain:
            return d.framework
    return domain


def record_rows(root: Path, db_url: str, course_id: str, namer: Namer, vocabulary) -> dict[str, list[dict]]:
    trainees, subs = trainees_and_submissions(db_url, course_id)
    by = {(s.student, s.assignment): s for s in subs}
    modules = modules_of(root)
    out = {}
    for t in sorted(trainees):
        who = namer(t)
        rows, minutes = [], {}
        for m in modules:
            s = by.get((t, m.exercise)) if m.exercise else None
            done = s is not None
            rows.append({"trainee": who, "section": "module", "id": f"{m.number:02d}-{m.slug}", "title": m.title,
                         "completed": "yes" if done else "no", "submitted": "" if not s else str(s.timestamp or ""),
                         "score": "" if not s else f"{s.score:g}", "max_score": "" if not s else f"{s.max_score:g}",
                         "minutes": f"{m.minutes:g}" if done else "0"})
            if done and m.domains:
                for framework in {_framework(vocabulary, d) for d in m.domains}:
                    mine = [d for d in m.domains if _framework(vocabulary, d) == framework]
                    for d in mine:
                        minutes[d] = minutes.get(d, 0.0) + m.minutes / len(mine)
        for d in sorted(minutes):
            rows.append({"trainee": who, "section": "domain minutes", "id": d, "title": vocabulary.name_of(d),
                         "completed": "", "submitted": "", "score": "", "max_score": "", "minutes": f"{minutes[d]:.1f}"})
        out[who] = rows
    return out


def write_records(records: dict[str, list[dict]], out_dir: Path, course_title: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with open(out_dir / "training-records.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for rows in records.values():
            w.writerows(rows)
    written.append(out_dir / "training-records.csv")
    for who, rows in records.items():
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in who)
        with open(out_dir / f"{safe}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS)
            w.writeheader()
            w.writerows(rows)
        (out_dir / f"{safe}.html").write_text(record_html(who, rows, course_title), encoding="utf-8")
        written += [out_dir / f"{safe}.csv", out_dir / f"{safe}.html"]
    return written


def record_html(who: str, rows: list[dict], course_title: str) -> str:
    e = html.escape
    mods = [r for r in rows if r["section"] == "module"]
    doms = [r for r in rows if r["section"] == "domain minutes"]
    done = sum(float(r["minutes"]) for r in mods)
    body = "".join(f"<tr><td>{e(r['id'])}</td><td>{e(r['title'])}</td><td>{e(r['completed'])}</td><td>{e(r['submitted'])}</td>"
                   f"<td>{e(r['score'])}{' / ' + e(r['max_score']) if r['max_score'] else ''}</td><td>{e(r['minutes'])}</td></tr>"
                   for r in mods)
    dom = "".join(f"<tr><td>{e(r['id'])}</td><td>{e(r['title'])}</td><td>{e(r['minutes'])}</td></tr>" for r in doms)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Training record: {e(who)}</title>"
            "<style>body{font-family:serif;margin:2cm;max-width:18cm}table{border-collapse:collapse;width:100%;margin-bottom:1em}"
            "td,th{border:1px solid #444;padding:4px;font-size:11pt}@media print{body{margin:1cm}}</style></head><body>"
            f"<h1>Training record</h1><p><b>Trainee:</b> {e(who)}<br><b>Course:</b> {e(course_title)}<br>"
            f"<b>Minutes completed:</b> {done:g}</p><h2>Modules and exercises</h2><table><tr><th>Module</th><th>Title</th>"
            f"<th>Completed</th><th>Submitted</th><th>Score</th><th>Minutes</th></tr>{body}</table>"
            f"<h2>Minutes by certification domain</h2><table><tr><th>Domain</th><th>Name</th><th>Minutes</th></tr>{dom}</table>"
            "<p>Minutes are the module's planned time, shared equally among its domains. Signature of instructor: "
            "____________________ Date: __________</p></body></html>")
