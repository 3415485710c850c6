"""The one letter helper: letters are labels for the order a trainee sees (A, B, C...), never ids."""

from __future__ import annotations

import re

from ..items import BadAnswer

SPLIT = re.compile(r"[\s,;/]+")


def letter(index: int) -> str:
    return chr(65 + index)


def letter_of(ids: list[str], option_id: str) -> str:
    return letter(ids.index(option_id)) if option_id in ids else option_id.upper()


def parse(ids: list[str], text: str) -> list[str]:
    """Typed letters ('B', 'A, C', 'ac') -> option ids, in the order `ids` are shown."""
    picked = []
    tokens = [t for t in SPLIT.split(text.strip()) if t]
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isalpha():
        tokens = list(tokens[0])  # "AC" means A and C
    for tok in tokens:
        t = tok.strip(".)").upper()
        if len(t) == 1 and "A" <= t < letter(len(ids)):
            picked.append(ids[ord(t) - 65])
        else:
            raise BadAnswer(f"'{tok}' is not one of the letters A to {letter(len(ids) - 1)}.")
    return picked
