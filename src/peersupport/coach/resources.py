"""Load the coach's lexicons and rules (YAML files in `peersupport/coach/data`) once, and compile them.

Each YAML file maps names to lists of regular-expression alternatives. They are joined into one
case-insensitive pattern per name, so a rule is edited in data, not in code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml


@cache
def load_yaml(name: str) -> dict:
    text = resources.files("peersupport.coach").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def join(alternatives: list[str] | str) -> str:
    if isinstance(alternatives, str):
        return alternatives
    return "|".join(f"(?:{a})" for a in alternatives)


@cache
def patterns(name: str) -> dict[str, re.Pattern]:
    """Every list in the file `name`, compiled as one case-insensitive pattern."""
    out = {}
    for key, alternatives in load_yaml(name).items():
        if isinstance(alternatives, (list, str)):
            out[key] = re.compile(join(alternatives), re.IGNORECASE)
    return out


@cache
def words(name: str, key: str) -> frozenset[str]:
    """A word list (lower case) from a YAML file."""
    value = load_yaml(name)[key]
    items = value.split() if isinstance(value, str) else value
    return frozenset(str(w).lower() for w in items)
