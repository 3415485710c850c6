"""How long a module takes, estimated from its content: the one place the curriculum's time figures
come from (front-matter minutes, the coverage table's hours, the training record's hours by domain).

The rates are stated here and nowhere else:

- reading: 150 words a minute (a careful reading of instructional text at grade 8-9, below the
  200-250 words a minute of adult leisure reading), for the teaching text, every scenario step,
  knowledge-check question and exercise item;
- a scenario: the words on its best path (what the person says, every reply offered at each step,
  the feedback on the chosen one and the debrief) plus 0.5 minute to weigh each decision;
- a knowledge-check question: its words plus 0.5 minute;
- a "your own words" practice box: 3 minutes (write a reply, read the coach's feedback, try again);
- the graded exercise: its words, 0.5 minute per autograded item and 8 minutes per written answer.

A module's front-matter ``minutes`` is the notebook's part (teaching, scenarios, knowledge check,
practice) and must be within 20 % of this estimate (tests/content/test_timing.py); the first cell
also names the exercise's minutes. ``apply`` writes both. The training record counts the whole
estimate (notebook and exercise) for each completed module, shared among its certification domains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_MINUTE = 150
DECISION_MINUTES = 0.5
QUESTION_MINUTES = 0.5
PRACTICE_MINUTES = 3.0
ITEM_MINUTES = 0.5
WRITTEN_MINUTES = 8.0
TOLERANCE = 0.20

_WORD = re.compile(r"[A-Za-z0-9'’-]+")


def words(*texts: str | None) -> int:
    return sum(len(_WORD.findall(t)) for t in texts if t)


def reading(n_words: int) -> float:
    return n_words / WORDS_PER_MINUTE


@dataclass(frozen=True)
class Estimate:
    teaching: float
    scenarios: float
    knowledge_check: float
    practice: float
    exercise: float

    @property
    def notebook(self) -> float:
        return self.teaching + self.scenarios + self.knowledge_check + self.practice

    @property
    def total(self) -> float:
        return self.notebook + self.exercise

    @property
    def rounded(self) -> int:
        """The total, rounded to the nearest 5 minutes (what front matter shows)."""
        return max(5, int(5 * round(self.total / 5)))


def scenario_minutes(scenario) -> float:
    """Reading the best path (with every reply offered at each step) plus time to weigh each decision."""
    from .scenarios import POINTS

    ref, seen, n, decisions = scenario.start, set(), 0, 0
    while ref in scenario.nodes and ref not in seen:
        seen.add(ref)
        node = scenario.nodes[ref]
        best = max(node.choices, key=lambda c: POINTS[c.quality])
        n += words(node.says, node.notice, *(c.text for c in node.choices), best.feedback)
        decisions += 1
        ref = best.next
    end = scenario.endings.get(ref)
    if end:
        n += words(end.says, end.debrief.went_well, end.debrief.try_next, end.debrief.key_point)
    n += words(scenario.persona.background, scenario.content_note, scenario.summary)
    return reading(n) + DECISION_MINUTES * decisions


def question_minutes(question) -> float:
    return reading(words(question.prompt, *(o.text for o in question.options))) + QUESTION_MINUTES


def exercise_minutes(spec_path: Path) -> float:
    from .grading.authoring import load_spec
    from .scenarios import load_library

    spec = load_spec(spec_path)
    n = words(spec.intro)
    minutes = 0.0
    for item in spec.items:
        n += words(item.prompt, item.quote.text if item.quote else None, *item.options.values(), *item.statements.values())
        minutes += ITEM_MINUTES
        if item.kind == "scenario":
            minutes += scenario_minutes(load_library().scenario(item.scenario))
    for w in spec.written:
        n += words(w.prompt, w.quote.text if w.quote else None)
        minutes += WRITTEN_MINUTES
    return reading(n) + minutes


def estimate(module_path: Path, root: Path | None = None) -> Estimate:
    """The estimate for the teaching notebook at `module_path` (and its exercise, if it has one)."""
    from .modules import load_module, plain_text
    from .scenarios import load_library

    root = root or module_path.resolve().parents[1]
    m = load_module(module_path)
    lib = load_library(root / "scenarios")
    teaching = reading(words(plain_text(m.teaching_text())))
    scenarios = sum(scenario_minutes(lib.scenario(ref)) for ref in m.calls("play"))
    check = lib.knowledge_checks.get(m.meta.slug)
    kc = sum(question_minutes(q) for q in check.questions) if check else 0.0
    practice = PRACTICE_MINUTES * (len(m.calls("practice")) + sum("exchange_check(" in c for c in m.code))
    spec = root / "autograder" / "items" / f"{m.meta.exercise}.yaml" if m.meta.exercise else None
    exercise = exercise_minutes(spec) if spec and spec.is_file() else 0.0
    return Estimate(teaching, scenarios, kc, practice, exercise)


def minutes_by_module(root: Path) -> dict[str, Estimate]:
    from .modules import load_module, module_paths

    return {load_module(p).meta.slug: estimate(p, root) for p in module_paths(root)}


_ABOUT = re.compile(r"\*\*About \d+ minutes\*\*(?: \(plus about \d+ minutes for the graded exercise\))?")


def apply(module_path: Path, root: Path | None = None) -> tuple[int, int]:
    """Write the estimate into a notebook: front-matter ``minutes`` (the notebook, rounded to 5) and
    the first cell's "About N minutes" line with the exercise's minutes. Returns (notebook, exercise)."""
    import nbformat

    est = estimate(module_path, root)
    notebook = max(5, int(5 * round(est.notebook / 5)))
    exercise = int(5 * round(est.exercise / 5))
    nb = nbformat.read(module_path, as_version=4)
    nb.metadata["peersupport"]["minutes"] = notebook
    line = f"**About {notebook} minutes**" + (f" (plus about {exercise} minutes for the graded exercise)" if exercise else "")
    first = nb.cells[0]
    first.source = _ABOUT.sub(line, first.source, count=1)
    nbformat.write(nb, module_path)
    return notebook, exercise
