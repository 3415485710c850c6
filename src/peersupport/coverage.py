"""Coverage: which scenarios practise and which graded items assess each competency a module claims.

`peersupport coverage` writes docs/coverage.md; a content test fails when that file is stale or
when a claimed competency has fewer than MIN_SCENARIOS scenarios or MIN_ITEMS graded items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .modules import load_module, module_paths
from .scenarios import load_library

MIN_SCENARIOS = 3
MIN_ITEMS = 2


@dataclass
class Coverage:
    modules: list[tuple[int, str, str, list[str], str | None]] = field(default_factory=list)  # number, slug, title, competencies, exercise
    scenarios: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # competency -> scenario refs
    items: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # competency -> "assignment/item"
    names: dict[str, str] = field(default_factory=dict)
    categories: list[tuple[int, str, str]] = field(default_factory=list)  # number, id, name (SAMHSA)
    category_of: dict[str, str] = field(default_factory=dict)  # competency -> category id
    domains: list[tuple[str, str, str]] = field(default_factory=list)  # id, framework, name
    domain_minutes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    domain_modules: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def category_rows(self) -> list[tuple[int, str, str, list[str], set[str], set[str]]]:
        """(number, id, name, modules teaching it, scenarios practising it, graded items assessing it)."""
        rows = []
        for number, cid, name in sorted(self.categories):
            comps = {c for c, cat in self.category_of.items() if cat == cid} | {cid}
            taught = sorted({f"{n:02d} {slug}" for n, slug, _t, mc, _e in self.modules if comps & set(mc)})
            scen = set().union(*(self.scenarios[c] for c in comps))
            items = set().union(*(self.items[c] for c in comps))
            rows.append((number, cid, name, taught, scen, items))
        return rows

    def category_gaps(self) -> list[str]:
        out = []
        for number, cid, name, taught, scen, items in self.category_rows():
            if not taught:
                out.append(f"SAMHSA category {number} ({name}) is not taught by any module.")
            if len(scen) < MIN_SCENARIOS:
                out.append(f"SAMHSA category {number} ({name}) is practised in {len(scen)} scenario(s); needs {MIN_SCENARIOS}.")
            if len(items) < MIN_ITEMS:
                out.append(f"SAMHSA category {number} ({name}) is assessed by {len(items)} graded item(s); needs {MIN_ITEMS}.")
        return out

    def gaps(self) -> list[str]:
        out = []
        for number, slug, _title, comps, _ex in self.modules:
            for c in comps:
                if len(self.scenarios[c]) < MIN_SCENARIOS:
                    out.append(f"Module {number:02d} ({slug}) claims '{c}', practised by {len(self.scenarios[c])} scenario(s); needs {MIN_SCENARIOS}.")
                if len(self.items[c]) < MIN_ITEMS:
                    out.append(f"Module {number:02d} ({slug}) claims '{c}', assessed by {len(self.items[c])} graded item(s); needs {MIN_ITEMS}.")
        return out


def graded_items(root: Path) -> dict[str, set[str]]:
    """competency -> graded item refs, read from nbgrader source notebooks' cell metadata."""
    out: dict[str, set[str]] = defaultdict(set)
    for nb_path in sorted((root / "exercises").glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            grader = cell.metadata.get("nbgrader", {})
            tag = cell.metadata.get("peersupport", {})
            if grader.get("grade") and tag.get("competency") and tag.get("item"):
                out[tag["competency"]].add(f"{nb_path.parent.name}/{tag['item']}")
    return out


def collect(root: Path) -> Coverage:
    lib = load_library(root / "scenarios")
    cov = Coverage()
    for ref, s in lib.scenarios.items():
        for node in s.nodes.values():
            for c in node.choices:
                cov.scenarios[c.competency].add(ref)
    for comp, refs in graded_items(root).items():
        cov.items[comp] |= refs
    for path in module_paths(root):
        m = load_module(path).meta
        cov.modules.append((m.number, m.slug, m.title, list(m.competencies), m.exercise))
    if lib.vocabulary:
        v = lib.vocabulary
        cov.names = {c: v.name_of(c) for c in v.competency_ids}
        cov.categories = [(c.number, c.id, c.name) for c in v.categories]
        cov.category_of = {c: v.category_of(c) for c in v.competency_ids}
        cov.domains = [(d.id, d.framework, d.name) for d in v.domains]
    _domain_time(cov, root)
    return cov


def _domain_time(cov: Coverage, root: Path) -> None:
    """Estimated minutes per certification domain: each module's whole estimate (notebook and exercise,
    peersupport.timing) shared equally among its domains, as the training record counts it."""
    from .timing import estimate

    framework = {d: f for d, f, _n in cov.domains}
    for path in module_paths(root):
        meta = load_module(path).meta
        total = estimate(path, root).total
        for f in {framework.get(d, d) for d in meta.domains}:
            mine = [d for d in meta.domains if framework.get(d, d) == f]
            for d in mine:
                cov.domain_minutes[d] += total / len(mine)
                cov.domain_modules[d].add(f"{meta.number:02d}")


def render(cov: Coverage) -> str:
    lines = [
        "# Coverage: module → competencies → scenarios → graded items",
        "",
        "Generated by `peersupport coverage` from the notebooks' front matter, the scenario files and the",
        "nbgrader source notebooks; do not edit by hand. A competency counts as practised by a scenario when",
        f"one of its choices is tagged with it (needs {MIN_SCENARIOS}), and as assessed by a graded item tagged with it",
        f"(needs {MIN_ITEMS}). Counts are across the whole curriculum.",
        "",
    ]
    for number, slug, title, comps, exercise in sorted(cov.modules):
        lines += [f"## Module {number:02d} · {title}", "", f"Exercise: `{exercise}`" if exercise else "Exercise: none yet", "",
                  "| Competency | Scenarios | Graded items |", "|---|---|---|"]
        for c in comps:
            sc = sorted(cov.scenarios[c])
            it = sorted(cov.items[c])
            lines.append(
                f"| {cov.names.get(c, c)} (`{c}`) | {len(sc)}: {', '.join(sc) or '—'} | {len(it)}: {', '.join(it) or '—'} |"
            )
        lines.append("")
    lines += ["## SAMHSA Core Competencies: the twelve categories", "",
              (f"Taught: a module claims a competency in the category. Practised: scenarios with a reply tagged with one "
               f"(needs {MIN_SCENARIOS}). Assessed: graded items tagged with one (needs {MIN_ITEMS})."), "",
              "| # | Category | Taught in modules | Scenarios | Graded items |", "|---|---|---|---|---|"]
    for number, _cid, name, taught, scen, items in cov.category_rows():
        lines.append(f"| {number} | {name} | {', '.join(taught) or '—'} | {len(scen)} | {len(items)} |")
    lines += ["", "## Certification domains: estimated hours", "",
              "Each module's estimate (reading, scenarios, knowledge check, practice and the graded exercise; see",
              "`src/peersupport/timing.py` for the rates) counts once in each framework, shared equally among the",
              "domains of that framework it claims, as the training record counts a completed module. Certifying",
              "bodies set their own training-hour rules (for example IC&RC's 46 hours): these are estimates of",
              "this course's time, not certified hours.", "",
              "| Framework | Domain | Modules | Estimated hours |", "|---|---|---|---|"]
    for did, framework, name in cov.domains:
        mods = ", ".join(sorted(cov.domain_modules[did])) or "—"
        lines.append(f"| {framework} | {name} (`{did}`) | {mods} | {cov.domain_minutes[did] / 60:.1f} |")
    gaps = cov.gaps() + cov.category_gaps()
    lines += ["", "## Gaps", ""] + ([f"- {g}" for g in gaps] or ["None."]) + [""]
    return "\n".join(lines)


def write(root: Path) -> Path:
    path = root / "docs" / "coverage.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(collect(root)), encoding="utf-8")
    return path
