"""Test-wise trainees: answer every item by a surface rule, never by reading it.

Strategies (each sees the options in its own shuffled order, as a real trainee would):
- ``first``: the first option shown (tick-all: only the first; labels: the first label for all);
- ``longest``: the longest option (tick-all: only the longest; labels: the longest label);
- ``feeling``: the option with the most feeling words (ties: the first shown);
- ``random``: uniformly at random (tick-all: each option with probability 1/2, at least one).

Scores are computed with the grading package's own marking functions, in a scratch folder holding
the released items.yaml and a my-answers.json, exactly as a hidden test reads them; the exercise
test also hands some of these answers to nbgrader and checks that its scores are the same.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import tempfile
from pathlib import Path

from peersupport.grading import marking
from peersupport.grading.answers import forget_memory
from peersupport.grading.authoring import Spec, load_spec
from peersupport.grading.items import load_items
from peersupport.scenarios import Engine, KnowledgeCheck, load_library
from peersupport.widgets.quiz import arranged, grade_question

REPO = Path(__file__).resolve().parents[1]
STRATEGIES = ("first", "longest", "feeling", "random")
MARGIN = 10.0  # percentage points over chance
FEELING = re.compile(
    r"\b(feel\w*|sound\w*|hear\w*|hard|pain\w*|hurt\w*|scar\w*|afraid|alone|lonel\w*|sad\w*|angr\w*|upset|worr\w*|"
    r"overwhelm\w*|stress\w*|anx\w*|ashamed|shame|guilt\w*|hopeless\w*|hope\w*|proud|relie\w*|glad|sorry|care\w*|"
    r"heavy|tough|frustrat\w*|exhaust\w*|tired|love\w*|safe\w*|matter\w*|brave|strength\w*|courage\w*)\b", re.IGNORECASE)


def feeling_words(text: str) -> int:
    return len(FEELING.findall(text))


def pick(texts: list[str], strategy: str, rng: random.Random) -> int:
    """The index (in the order shown) a test-wise trainee picks among `texts`."""
    if strategy == "first":
        return 0
    if strategy == "longest":
        return max(range(len(texts)), key=lambda i: (len(texts[i]), -i))
    if strategy == "feeling":
        return max(range(len(texts)), key=lambda i: (feeling_words(texts[i]), -i))
    return rng.randrange(len(texts))


def answers_for(spec: Spec, items_dir: Path, who: str, strategy: str, rng: random.Random) -> dict:
    """Stored answers (by option id) for every autograded item, chosen by `strategy` in `who`'s order."""
    released = load_items(items_dir)
    lib = load_library()
    out: dict = {}
    for spec_item in spec.items:
        item = released.get(spec_item.id)
        item = item if who == _FILE_ORDER else item.arranged(who)
        if item.kind == "single":
            ids = list(item.options)
            out[item.id] = ids[pick([item.options[o] for o in ids], strategy, rng)]
        elif item.kind == "multiple":
            ids = list(item.options)
            if strategy == "random":
                ticked = [o for o in ids if rng.random() < 0.5] or [rng.choice(ids)]
            else:
                ticked = [ids[pick([item.options[o] for o in ids], strategy, rng)]]
            out[item.id] = sorted(ticked)
        elif item.kind == "classify":
            cats = list(item.categories)
            labels = [item.categories[c] for c in cats]
            if strategy == "random":
                out[item.id] = {s: rng.choice(cats) for s in item.statements}
            else:
                chosen = cats[pick(labels, strategy, rng)]
                out[item.id] = {s: chosen for s in item.statements}
        else:
            scenario = lib.scenario(item.scenario)
            engine = Engine(scenario if who == _FILE_ORDER else scenario.arranged(who))
            while not engine.finished and len(engine.history) < 30:
                options = engine.choices
                engine.choose(pick([c.text for c in options], strategy, rng))
            out[item.id] = engine.to_dict()
    return out


@contextlib.contextmanager
def _in(folder: Path):
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


_SCRATCH: dict[Path, Path] = {}


def _scratch(items_file: Path) -> Path:
    """A temporary folder holding a copy of `items_file`, made once per file (removed at exit)."""
    if items_file not in _SCRATCH:
        import atexit
        import shutil

        folder = Path(tempfile.mkdtemp(prefix="testwise-"))
        atexit.register(shutil.rmtree, folder, True)
        (folder / "items.yaml").write_bytes(items_file.read_bytes())
        _SCRATCH[items_file] = folder
    return _SCRATCH[items_file]


def score(spec: Spec, items_file: Path, answers: dict, who: str) -> float:
    """Points the hidden tests give these answers (the same calls the source notebook's test cells make)."""
    folder = _scratch(items_file)  # one folder per exercise: its items.yaml is parsed once, as in a kernel
    (folder / "my-answers.json").write_text(json.dumps({"version": 1, "trainee": who, "answers": answers}))
    total = 0.0
    forget_memory()
    with _in(folder):
        for item in spec.items:
            kw = {"points": item.points}
            if item.kind == "scenario":
                result = marking.mark_scenario(item.id, decisions=item.decisions, **kw)
            else:
                extra = {k: v for k, v in (("why", item.why), ("partial", item.partial), ("notes", item.notes))
                         if v is not None and not (k == "partial" and item.kind != "single")}
                if item.kind == "classify":
                    extra.pop("notes", None)
                fn = {"single": marking.mark_single, "multiple": marking.mark_multiple,
                      "classify": marking.mark_classify}[item.kind]
                result = fn(item.id, key=item.key, **kw, **extra)
            total += result.points
    return total


def exercise_table(identities: int = 20, chance_runs: int = 200, file_order: bool = False) -> dict[str, dict[str, float]]:
    """Exercise -> {'chance': %, 'reference': %, strategy: mean % over `identities` trainees}.

    ``file_order=True`` simulates the old behaviour (no shuffling): every trainee sees the file order.
    """
    table = {}
    for spec_path in sorted((REPO / "autograder" / "items").glob("*.yaml")):
        spec = load_spec(spec_path)
        items_dir = REPO / "exercises" / spec.assignment
        items_file = items_dir / "items.yaml"
        auto = sum(i.points for i in spec.items)
        row: dict[str, float] = {}
        rng = random.Random(1)
        row["chance"] = 100 * sum(score(spec, items_file, answers_for(spec, items_dir, f"r{n}", "random", rng), f"r{n}")
                                  for n in range(chance_runs)) / chance_runs / auto
        ref = {i.id: _reference(i) for i in spec.items}
        row["reference"] = 100 * score(spec, items_file, ref, "ref") / auto
        for strategy in STRATEGIES:
            total = 0.0
            for n in range(identities):
                who = f"bot-{strategy}-{n}"
                shown_as = _FILE_ORDER if file_order else who
                answers = answers_for(spec, items_dir, shown_as, strategy, random.Random(n + 1000))
                total += score(spec, items_file, answers, shown_as)
            row[strategy] = 100 * total / identities / auto
        table[spec.assignment] = row
    return table


_FILE_ORDER = "\x00file-order"


def _reference(item):
    from peersupport.grading.authoring import reference_ids
    from peersupport.grading.decisions import path_from_ids

    ids = reference_ids(item)
    if item.kind == "scenario":
        return path_from_ids(load_library().scenario(item.scenario), ids)
    return ids


def knowledge_table(identities: int = 20, chance_runs: int = 200, file_order: bool = False) -> dict[str, dict[str, float]]:
    """Module -> {'chance': %, strategy: mean %} over every knowledge-check question (fraction right)."""
    table = {}
    for module, check in sorted(load_library().knowledge_checks.items()):
        row: dict[str, float] = {}
        row["chance"] = 100 * sum(_kc_chance(q) for q in check.questions) / len(check.questions)
        for strategy in STRATEGIES:
            row[strategy] = 100 * sum(_kc_score(check, _FILE_ORDER if file_order else f"bot-{strategy}-{n}", strategy,
                                                random.Random(n))
                                      for n in range(identities)) / identities
        table[module] = row
    return table


def _kc_chance(q) -> float:
    """The exact expected credit of the random strategy on one question (every subset enumerated)."""
    from itertools import combinations

    k = len(q.options)
    if not q.multiple:
        return sum(o.correct for o in q.options) / k
    # each option ticked with probability 1/2; an empty pick becomes one option at random
    total = 0.0
    for r in range(k + 1):
        for ticked in combinations(range(k), r):
            p = 0.5 ** k
            if r == 0:
                total += p * sum(grade_question(q, {i})[1] for i in range(k)) / k
            else:
                total += p * grade_question(q, set(ticked))[1]
    return total


def _kc_score(check: KnowledgeCheck, who: str, strategy: str, rng: random.Random) -> float:
    shown = check if who == _FILE_ORDER else arranged(check, who)
    total = 0.0
    for q in shown.questions:
        texts = [o.text for o in q.options]
        if q.multiple and strategy == "random":
            picked = {i for i in range(len(texts)) if rng.random() < 0.5} or {rng.randrange(len(texts))}
        else:
            picked = {pick(texts, strategy, rng)}
        total += grade_question(q, picked)[1]
    return total / len(shown.questions)


def format_table(table: dict[str, dict[str, float]], title: str) -> str:
    cols = ["chance", *STRATEGIES] + (["reference"] if any("reference" in r for r in table.values()) else [])
    lines = [title, f"{'':22s}" + "".join(f"{c:>11s}" for c in cols) + "   worst over chance"]
    for name, row in table.items():
        worst = max(row[s] - row["chance"] for s in STRATEGIES)
        flag = "" if worst <= MARGIN else "  ABOVE chance + 10"
        lines.append(f"{name:22s}" + "".join(f"{row[c]:10.1f}%" for c in cols) + f"   {worst:+6.1f}{flag}")
    return "\n".join(lines)
