"""Rubrics for written answers (``autograder/rubrics/<assignment>.yaml``), checked by pydantic.

Each written item has criteria with points (they add up to the item's points) and examples of a
full and a partial answer, so instructors grading in formgrader score the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Criterion(_Strict):
    id: str = Field(pattern=ID)
    points: float = Field(gt=0)
    description: str = Field(min_length=10, description="What earns these points, in plain words.")


class Example(_Strict):
    level: Literal["full", "partial", "none"]
    points: float = Field(ge=0)
    text: str = Field(min_length=5, description="An example answer (invented, not a trainee's).")
    why: str = Field(min_length=10, description="Which criteria it meets or misses.")
    meets: list[str] | None = Field(
        default=None,
        description="The ids of the criteria this example meets; its points must equal what those criteria give.",
    )


class RubricItem(_Strict):
    item: str = Field(pattern=ID, description="The written item's id, as in the notebook (cell '<item>-answer').")
    competency: str = Field(pattern=ID)
    points: float = Field(gt=0)
    criteria: list[Criterion] = Field(min_length=1)
    examples: list[Example] = Field(min_length=2)
    comment_bank: list[str] = Field(default_factory=list, description="Warm, specific comments instructors can reuse.")

    @model_validator(mode="after")
    def _consistent(self):
        total = sum(c.points for c in self.criteria)
        if abs(total - self.points) > 1e-9:
            raise ValueError(f"{self.item}: criteria add up to {total:g} points, but the item is worth {self.points:g}")
        levels = {e.level for e in self.examples}
        if not {"full", "partial"} <= levels:
            raise ValueError(f"{self.item}: give at least one full and one partial example")
        known = {c.id: c.points for c in self.criteria}
        for e in self.examples:
            if e.meets is not None:
                unknown = [m for m in e.meets if m not in known]
                if unknown:
                    raise ValueError(f"{self.item}: an example meets unknown criteria {unknown}; criteria are {sorted(known)}")
                given = sum(known[m] for m in set(e.meets))
                if abs(given - e.points) > 1e-9:
                    raise ValueError(f"{self.item}: an example meets {sorted(set(e.meets))} worth {given:g} point(s) "
                                     f"but is scored {e.points:g}")
            if e.points > self.points or (e.level == "full") != (e.points == self.points):
                raise ValueError(f"{self.item}: a '{e.level}' example cannot score {e.points:g} of {self.points:g}")
        return self


class Rubric(_Strict):
    assignment: str = Field(pattern=ID)
    items: list[RubricItem] = Field(min_length=1)


def load_rubric(path: str | Path) -> Rubric:
    return Rubric.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
