"""The item-writing standard, checked per module (Haladyna, Downing & Rodriguez 2002).

A *decision* is any place a trainee picks one option among several: a scenario node, a
single-answer knowledge-check question, a single-choice exercise item. Per module and per group
of decisions this checks what a test-wise trainee could exploit without reading a word:

- enough options (3 replies at a scenario node, 4 options for a single-choice item);
- a plausible near miss (at 70 % of scenario nodes, at every single-choice item);
- the key is not the longest option more often than chance + 10 points;
- the key's position in the file is not favoured beyond chance + 10 points;
- no path reaches a 'good' ending through an unrepaired unhelpful or harmful reply;
- every rubric example lists the criteria it meets (their points are checked by the rubric model).

Options are also shuffled per trainee at run time (``peersupport.order``); the file order must
carry no signal either, because shuffling is the second line of defence, not the only one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .integrity import unrepaired_good_path
from .loader import Library
from .yamlsource import ContentError, read_yaml

MIN_NODE_REPLIES = 3
MIN_SINGLE_OPTIONS = 4
NEAR_MISS_SHARE = 0.70
MARGIN = 0.10  # chance + 10 points

GROUPS = {"scenario": "scenario nodes", "knowledge": "knowledge-check questions", "exercise": "exercise items"}


@dataclass(frozen=True)
class Decision:
    """One place where a trainee picks among options, as written in its file."""

    module: str
    group: str  # a key of GROUPS
    file: str
    line: int | None
    label: str
    lengths: tuple[int, ...]
    keys: frozenset[int]  # positions (0-based, file order) of the best option(s)
    near_miss: bool

    @property
    def chance(self) -> float:
        return len(self.keys) / len(self.lengths)

    @property
    def key_is_longest(self) -> bool:
        """True when a single option is strictly longest and it is a key."""
        top = max(self.lengths)
        longest = [i for i, n in enumerate(self.lengths) if n == top]
        return len(longest) == 1 and longest[0] in self.keys


def _scenario_decisions(lib: Library) -> list[Decision]:
    out = []
    for ref, s in sorted(lib.scenarios.items()):
        module = ref.split("/", 1)[0]
        path = lib.root / module / f"{s.id}.yaml"
        src = read_yaml(path, f"scenarios/{ref}.yaml")
        for nid, node in s.nodes.items():
            out.append(Decision(
                module, "scenario", src.display, src.line(("nodes", nid, "choices")), f"node '{nid}' of {ref}",
                tuple(len(c.text) for c in node.choices),
                frozenset(i for i, c in enumerate(node.choices) if c.quality == "helpful"),
                any(c.quality == "partly" for c in node.choices)))
    return out


def _knowledge_decisions(lib: Library) -> list[Decision]:
    out = []
    for module, k in sorted(lib.knowledge_checks.items()):
        src = read_yaml(lib.root / "knowledge-checks" / f"{module}.yaml", f"scenarios/knowledge-checks/{module}.yaml")
        for i, q in enumerate(k.questions):
            if q.multiple:
                continue
            out.append(Decision(
                module, "knowledge", src.display, src.line(("questions", i, "options")), f"question '{q.id}'",
                tuple(len(o.text) for o in q.options),
                frozenset(j for j, o in enumerate(q.options) if o.correct),
                any(o.near_miss for o in q.options)))
    return out


def _exercise_decisions(items_dir: Path) -> tuple[list[Decision], list[ContentError]]:
    from ..grading.authoring import Spec

    out, errors = [], []
    for path in sorted(items_dir.glob("*.yaml")):
        display = f"autograder/items/{path.name}"
        src = read_yaml(path, display)
        try:
            spec = Spec.model_validate(src.data)
        except Exception as exc:  # noqa: BLE001 - reported as a content error
            errors.append(ContentError(display, 1, f"The exercise spec does not validate: {exc}".split("\n")[0],
                                       "Fix the fields named in the message, then run `peersupport build`."))
            continue
        for i, item in enumerate(spec.items):
            if item.kind != "single":
                continue
            ids = list(item.options)
            near = set(item.near_miss or []) | {o for o, f in (item.partial or {}).items() if f > 0}
            out.append(Decision(
                spec.module, "exercise", display, src.line(("items", i, "options")), f"item '{item.id}'",
                tuple(len(t) for t in item.options.values()),
                frozenset(ids.index(item.key) for _ in [0] if item.key in ids),
                bool(near - {item.key})))
    return out, errors


def collect(lib: Library, repo_root: Path | None) -> tuple[list[Decision], list[ContentError]]:
    decisions = _scenario_decisions(lib) + _knowledge_decisions(lib)
    errors: list[ContentError] = []
    items_dir = repo_root / "autograder" / "items" if repo_root else None
    if items_dir and items_dir.is_dir():
        more, errors = _exercise_decisions(items_dir)
        decisions += more
    return decisions, errors


def _per_decision(d: Decision) -> list[ContentError]:
    errors = []
    need = MIN_NODE_REPLIES if d.group == "scenario" else MIN_SINGLE_OPTIONS
    if len(d.lengths) < need:
        errors.append(ContentError(d.file, d.line, f"The {d.label} offers {len(d.lengths)} option(s); the standard asks for at least {need}.",
                                   "Add replies that are mistakes a caring new peer really makes (the righting reflex, "
                                   "premature reassurance, a me-too story, over-promising, rescuing, asking 'why')."))
    if d.group != "scenario" and not d.near_miss:
        what = "near_miss: true on an option" if d.group == "knowledge" else "near_miss: [option id] (or partial credit)"
        errors.append(ContentError(d.file, d.line, f"The {d.label} has no plausible near miss.",
                                   f"Make one wrong option nearly right and mark it ({what})."))
    return errors


def _per_group(module: str, group: str, ds: list[Decision]) -> list[ContentError]:
    errors = []
    n = len(ds)
    what = f"In module '{module}', {GROUPS[group]}"
    if group == "scenario":
        missing = [d for d in ds if not d.near_miss]
        if (n - len(missing)) / n < NEAR_MISS_SHARE:
            names = ", ".join(d.label for d in missing[:4]) + (" ..." if len(missing) > 4 else "")
            errors.append(ContentError(missing[0].file, missing[0].line,
                                       f"{what}: only {n - len(missing)} of {n} offer a near miss ('partly' reply); "
                                       f"the standard asks for {NEAR_MISS_SHARE:.0%}. Without one: {names}.",
                                       "Add a 'partly' reply: a kind answer that misses one thing."))
    chance = sum(d.chance for d in ds) / n
    longest = [d for d in ds if d.key_is_longest]
    if len(longest) / n > chance + MARGIN + 1e-9:
        names = ", ".join(d.label for d in longest[:4]) + (" ..." if len(longest) > 4 else "")
        errors.append(ContentError(longest[0].file, longest[0].line,
                                   f"{what}: the key is the longest option in {len(longest)} of {n} "
                                   f"({len(longest) / n:.0%}; chance {chance:.0%}, allowed up to {chance + MARGIN:.0%}). For example: {names}.",
                                   "Make the options about equal in length: shorten the key or write fuller distractors in the same voice."))
    width = max(len(d.lengths) for d in ds)
    for pos in range(width):
        at = [d for d in ds if pos in d.keys]
        expected = sum(len(d.keys) / len(d.lengths) for d in ds if pos < len(d.lengths))
        allowed = expected + max(MARGIN * n, 1.0)  # at least one over chance: 5 items cannot spread over 4 places
        if len(at) > allowed + 1e-9:
            errors.append(ContentError(at[0].file, at[0].line,
                                       f"{what}: the key is in position {pos + 1} in {len(at)} of {n} "
                                       f"(chance about {expected:.1f}; allowed up to {allowed:.1f}).",
                                       "Move some keys to other positions in the file; the file order must carry no signal."))
    return errors


def _repair_errors(lib: Library) -> list[ContentError]:
    errors = []
    for ref, s in sorted(lib.scenarios.items()):
        path = unrepaired_good_path(s)
        if path:
            display = f"scenarios/{ref}.yaml"
            src = read_yaml(lib.root / f"{ref}.yaml", display)
            errors.append(ContentError(display, src.line(("endings", path[-1])),
                                       f"The path {' -> '.join(path)} reaches a good ending after an unhelpful or harmful "
                                       "reply that was never repaired.",
                                       "Send that reply to a node marked 'repair: true' (where the person reacts and a "
                                       "helpful reply repairs it), or to a 'mixed' or 'difficult' ending."))
    return errors


def _rubric_errors(rubrics_dir: Path) -> list[ContentError]:
    from ..grading.rubrics import Rubric

    errors = []
    for path in sorted(rubrics_dir.glob("*.yaml")):
        display = f"autograder/rubrics/{path.name}"
        src = read_yaml(path, display)
        try:
            rubric = Rubric.model_validate(src.data)
        except Exception as exc:  # noqa: BLE001
            errors.append(ContentError(display, 1, f"The rubric does not validate: {str(exc).splitlines()[0]}",
                                       "Fix the fields named in the message."))
            continue
        for i, item in enumerate(rubric.items):
            for j, e in enumerate(item.examples):
                if e.meets is None:
                    errors.append(ContentError(display, src.line(("items", i, "examples", j)),
                                               f"An example for '{item.item}' does not list the criteria it meets.",
                                               "Add 'meets: [criterion ids]'; its points must equal what they give."))
    return errors


def check_standards(lib: Library, repo_root: Path | None = None) -> list[ContentError]:
    """Every item-writing error in the content, each naming the file, the line and the fix."""
    decisions, errors = collect(lib, repo_root)
    for d in decisions:
        errors += _per_decision(d)
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        groups[(d.module, d.group)].append(d)
    for (module, group), ds in sorted(groups.items()):
        errors += _per_group(module, group, ds)
    errors += _repair_errors(lib)
    rubrics = repo_root / "autograder" / "rubrics" if repo_root else None
    if rubrics and rubrics.is_dir():
        errors += _rubric_errors(rubrics)
    return errors
