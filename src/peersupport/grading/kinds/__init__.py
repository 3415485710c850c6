"""Item kinds: one module per kind, each with the same functions (see docs/instructor-guide.md,
"Adding an item kind"):

- ``parse_typed(item, text)``: a typed answer (the letters or labels this trainee sees) -> the stored shape;
- ``check_stored(item, value)``: the stored answer if it fits the item, else ``BadAnswer``;
- ``describe(item, value)``: the answer in plain words, with this trainee's letters;
- ``option_lines(item)``: the options as this trainee sees them, as plain text;
- ``reference_ids(spec)``: the key as a stored answer (the same for every trainee);
- ``instructions(item)``: (what to type, what to do in the box) for the question's markdown;
- ``mark(item, value, **spec)``: (fraction of the points, feedback lines) for a hidden test;
- ``widget(item, store)``: the ipywidgets view (imported only when a trainee's browser shows it).

Items are shown in an order of each trainee's own (``Item.arranged``); every kind stores and marks
answers by option id, never by position. Letters come from ``letters.py``, tick-all-that-apply
credit from ``credit.py``: practice and grading share both.
"""

from __future__ import annotations

from types import ModuleType

from . import classify, multiple, scenario, single

KINDS: dict[str, ModuleType] = {"single": single, "multiple": multiple, "classify": classify, "scenario": scenario}


def kind_of(item) -> ModuleType:
    return KINDS[item.kind]
