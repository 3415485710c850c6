"""Build an nbgrader source notebook and its released items.yaml from one grader-side spec.

The spec (``autograder/items/<assignment>.yaml``) holds the question text, the keys and the
feedback; it never leaves the grader side. ``build`` writes:

- ``exercises/<assignment>/items.yaml``: what trainees see (no keys),
- ``exercises/<assignment>/<notebook>.ipynb``: the source notebook, keys only in hidden tests and
  reference answers only in solution regions.

Run ``python -m peersupport.grading.authoring autograder/items/<assignment>.yaml`` after editing a spec.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat
import yaml
from pydantic import Field

from .items import ID, Item, ItemSet, Quote, _Strict

SETUP = "from peersupport.grading import choose, answer, check"
MARKERS = {kind: f"mark_{kind}" for kind in ("single", "multiple", "classify", "scenario")}  # grading/marking.py


class SpecItem(Item):
    points: float = Field(gt=0, description="Points for the item.")
    key: str | list[str] | dict[str, str] | None = Field(default=None, description="single: option id; multiple: ids; classify: statement -> category.")
    why: str | dict[str, str] | None = Field(default=None, description="Why the key is best (classify: per statement).")
    partial: dict[str, float] | None = None
    notes: dict[str, str] | None = Field(default=None, description="Optional: a note per option, shown when it was a miss.")
    near_miss: list[str] | None = Field(
        default=None,
        description="single: the option ids that are nearly right (a mistake a caring new peer really makes); "
        "options with partial credit count as near misses too.",
    )
    decisions: dict[str, dict[str, float]] | None = Field(default=None, description="scenario: node id -> choice id -> fraction.")

    def released(self) -> Item:
        return Item.model_validate(self.model_dump(include=set(Item.model_fields), exclude_none=True))


class Written(_Strict):
    id: str = Field(pattern=ID)
    competency: str = Field(pattern=ID)
    title: str
    points: float = Field(gt=0)
    prompt: str
    quote: Quote | None = None
    model_answer: str = Field(description="A full-marks answer, kept in the source notebook's solution region only.")


class Spec(_Strict):
    assignment: str = Field(pattern=ID)
    notebook: str = Field(pattern=ID)
    module: str = Field(pattern=ID)
    title: str
    intro: str
    items: list[SpecItem]
    written: list[Written] = Field(default_factory=list)


def load_spec(path: str | Path) -> Spec:
    return Spec.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# -- cells ----------------------------------------------------------------------------------------
def _meta(grade_id: str, *, locked=False, solution=False, grade=False, points=None, tags: dict | None = None) -> dict:
    nb = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if grade:
        nb["points"] = points
    meta: dict[str, Any] = {"nbgrader": nb}
    if locked:
        meta.update(deletable=False, editable=False)
    if tags:
        meta["peersupport"] = tags
    return meta


def _md(cid: str, text: str, **kw):
    cell = nbformat.v4.new_markdown_cell(text, metadata=_meta(cid, **kw))
    cell.id = cid
    return cell


def _code(cid: str, text: str, **kw):
    cell = nbformat.v4.new_code_cell(text, metadata=_meta(cid, **kw))
    cell.id = cid
    return cell


def reference_ids(item: SpecItem) -> Any:
    """The key as stored answers are (option ids): the reference answer, the same for every trainee."""
    from .kinds import kind_of

    return kind_of(item).reference_ids(item)


def reference_typed(item: SpecItem, who: str | None = None) -> str:
    """The key typed as trainee `who` (default: this process's trainee, see peersupport.order) sees the letters."""
    from ..order import trainee
    from .kinds import kind_of

    shown = item.arranged(who or trainee())
    if item.kind == "scenario":  # the scenario's replies are arranged per trainee, not the item
        from ..scenarios import Engine, load_library

        engine, letters = Engine(load_library().scenario(item.scenario).arranged(who or trainee())), []
        for cid in reference_ids(item):
            letters.append(chr(65 + [c.id for c in engine.choices].index(cid)))
            engine.choose(cid)
        return ", ".join(letters)
    return kind_of(item).to_typed(shown, reference_ids(item))


def question_markdown(n: int, item: Item, competency_name: str) -> str:
    """The question in the notebook. Options are not listed here: each trainee sees them in an order of
    their own (peersupport.order), in the box the next cell shows."""
    from .kinds import kind_of

    lines = [f"### {n}. {item.title}", f"*Skill: {competency_name}*", "", item.prompt]
    if item.quote:
        lines += ["", f"> **{item.quote.speaker}:** “{item.quote.text}”"]
    typed, todo = kind_of(item).instructions(item)
    tip = (f"*Prefer typing?* In the cell under the box, put {typed} between the quotes of "
           f"`answer(\"{item.id}\", \"\")` and run it; an empty answer lists the options with your letters. "
           "A typed answer counts instead of a click.")
    lines += ["", todo, "", tip]
    return "\n".join(lines)


def typed_source(item: SpecItem) -> str:
    return f'answer("{item.id}", "")\n### BEGIN SOLUTION\nanswer("{item.id}", ids={reference_ids(item)!r})\n### END SOLUTION'


def test_source(item: SpecItem) -> str:
    args = [repr(item.id)]
    if item.kind == "scenario":
        args.append(f"decisions={item.decisions!r}")
    else:
        args.append(f"key={item.key!r}")
    args.append(f"points={item.points:g}")
    if item.why is not None:
        args.append(f"why={item.why!r}")
    if item.partial:
        args.append(f"partial={item.partial!r}")
    if item.notes:
        args.append(f"notes={item.notes!r}")
    fn = MARKERS[item.kind]
    call = f"{fn}(\n    " + ",\n    ".join(args) + ",\n)"
    return "\n".join([f'check("{item.id}")', "### BEGIN HIDDEN TESTS", f"from peersupport.grading.marking import {fn}",
                      call, "### END HIDDEN TESTS"])


def build_notebook(spec: Spec, names: dict[str, str]) -> nbformat.NotebookNode:
    cells = [_md("intro", spec.intro, locked=True), _code("setup", SETUP, locked=True)]
    for n, item in enumerate(spec.items, 1):
        tags = {"item": item.id, "competency": item.competency, "kind": item.kind}
        cells += [
            _md(f"{item.id}-question", question_markdown(n, item, names.get(item.competency, item.competency)), locked=True),
            _code(f"{item.id}-choose", f'choose("{item.id}")', locked=True),
            _code(f"{item.id}-typed", typed_source(item), solution=True, tags=tags),
            _code(f"{item.id}-test", test_source(item), locked=True, grade=True, points=item.points, tags=tags),
        ]
    for n, wr in enumerate(spec.written, len(spec.items) + 1):
        text = [f"### {n}. {wr.title} (written, graded by your instructor)",
                f"*Skill: {names.get(wr.competency, wr.competency)}*", "", wr.prompt]
        if wr.quote:
            text += ["", f"> **{wr.quote.speaker}:** “{wr.quote.text}”"]
        text += ["", "Double-click the cell below, replace its text with your answer, then press Shift+Enter."]
        tags = {"item": wr.id, "competency": wr.competency, "kind": "written"}
        cells += [_md(f"{wr.id}-question", "\n".join(text), locked=True),
                  _md(f"{wr.id}-answer", f"### BEGIN SOLUTION\n{wr.model_answer}\n### END SOLUTION",
                      solution=True, grade=True, points=wr.points, tags=tags)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "peersupport": {"assignment": spec.assignment, "module": spec.module, "title": spec.title},
    }
    return nb


def render(spec_path: str | Path, exercises: str | Path) -> dict[Path, str]:
    """Path -> text of the released items.yaml and the source notebook built from one spec."""
    from ..scenarios import load_library

    spec = load_spec(spec_path)
    vocab = load_library().vocabulary
    names = {cid: vocab.name_of(cid) for cid in vocab.competency_ids} if vocab else {}
    folder = Path(exercises) / spec.assignment
    released = ItemSet(assignment=spec.assignment, items=[i.released() for i in spec.items])
    items_text = ("# Released with the assignment: question text only, never the answer key.\n"
                  "# Generated from autograder/items/" + spec.assignment + ".yaml by `peersupport build`; do not edit by hand.\n"
                  + yaml.safe_dump(released.model_dump(exclude_defaults=True), sort_keys=False, allow_unicode=True, width=100))
    return {folder / "items.yaml": items_text,
            folder / f"{spec.notebook}.ipynb": nbformat.writes(build_notebook(spec, names)) + "\n"}


def build(spec_path: str | Path, exercises: str | Path) -> tuple[Path, Path]:
    written = []
    for path, text in render(spec_path, exercises).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written[0], written[1]


if __name__ == "__main__":  # pragma: no cover
    spec_file = Path(sys.argv[1])
    root = spec_file.resolve().parents[2]
    for p in build(spec_file, root / "exercises"):
        print("wrote", p)
