"""Graded items as released to trainees: question text and options, never the answer key.

An assignment folder holds ``items.yaml`` (written by ``peersupport.grading.authoring`` from the
grader-side spec). Answers are stored in a plain shape per kind:

- ``single``: one option id, e.g. ``"b"``
- ``multiple``: a sorted list of option ids, e.g. ``["a", "c"]``
- ``classify``: statement id -> category id, e.g. ``{"s1": "open", "s2": "closed"}``
- ``scenario``: the engine's saved path (``Engine.to_dict()``)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

ITEMS_FILE = "items.yaml"
ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Kind = Literal["single", "multiple", "classify", "scenario"]


class BadAnswer(ValueError):
    """A typed or saved answer that does not fit the item; the message is written for trainees."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Quote(_Strict):
    speaker: str = Field(min_length=2, max_length=120, description="Who speaks, e.g. 'Dana (she/her), 29, at a drop-in group'.")
    text: str = Field(min_length=5, max_length=800, description="What they say, in their own voice.")


class Item(_Strict):
    """One autograded item as the trainee sees it."""

    id: str = Field(pattern=ID, description="Item id, unique in the assignment. Never rename it once released.")
    kind: Kind
    competency: str = Field(pattern=ID, description="Competency id from scenarios/vocabulary.yaml.")
    title: str = Field(min_length=3, max_length=80, description="A short heading.")
    prompt: str = Field(min_length=5, max_length=800, description="The question, in plain words.")
    quote: Quote | None = None
    options: dict[str, str] = Field(default_factory=dict, description="single/multiple: option id (a, b, c...) -> text.")
    statements: dict[str, str] = Field(default_factory=dict, description="classify: statement id (s1, s2...) -> text.")
    categories: dict[str, str] = Field(default_factory=dict, description="classify: category id -> label.")
    scenario: str | None = Field(default=None, description="scenario: the ref 'module-slug/scenario-id'.")

    def arranged(self, who: str) -> Item:
        """A copy with options, statements and labels in the order trainee `who` sees them (ids unchanged)."""
        from ..order import arrange

        def reorder(d: dict[str, str], part: str) -> dict[str, str]:
            return {k: d[k] for k in arrange(d, f"{self.id}/{part}", who)}

        return self.model_copy(update={"options": reorder(self.options, "options"),
                                       "statements": reorder(self.statements, "statements"),
                                       "categories": reorder(self.categories, "categories")})

    def letter(self, option_id: str) -> str:
        from .kinds.letters import letter_of

        return letter_of(list(self.options), option_id)

    def option_label(self, option_id: str) -> str:
        return f"{self.letter(option_id)}. {self.options.get(option_id, '?')}"


class ItemSet(_Strict):
    assignment: str = Field(pattern=ID)
    items: list[Item] = Field(min_length=1)

    def get(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"There is no item '{item_id}' in this exercise. Items are: {', '.join(i.id for i in self.items)}.")


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: path -> (modification time, size, items): a notebook calls load_items in every cell.
_cache: dict[Path, tuple[int, int, ItemSet]] = {}


def load_items(folder: str | Path | None = None) -> ItemSet:
    """The folder's items.yaml, parsed once and read again only when the file changes."""
    path = Path(folder or Path.cwd()) / ITEMS_FILE
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is None or not path.is_file():
        raise FileNotFoundError(f"{ITEMS_FILE} is missing from this folder ({path.parent}). Fetch the assignment again.")
    hit = _cache.get(path)
    if hit and hit[:2] == (st.st_mtime_ns, st.st_size):
        return hit[2]
    items = ItemSet.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader))
    _cache[path] = (st.st_mtime_ns, st.st_size, items)
    return items


# -- answers: typed text -> stored shape, stored shape -> checked (each kind in grading/kinds/) --------
def parse_typed(item: Item, text: Any) -> Any:
    """Turn a typed answer ('B', 'A, C', 'open closed ...', 'A, B, A') into the stored shape."""
    from .kinds import kind_of

    if not isinstance(text, str) or not text.strip():
        raise BadAnswer("Type your answer between the quotes, for example \"B\".")
    return kind_of(item).parse_typed(item, text)


def check_stored(item: Item, value: Any) -> Any:
    """Return the stored answer if it fits the item; raise BadAnswer (never anything else) if not."""
    from .kinds import kind_of

    if value is None:
        raise BadAnswer("No answer has been saved for this item yet.")
    return kind_of(item).check_stored(item, value)
