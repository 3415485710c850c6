"""Every persona is a new person: no first name repeats across the curriculum (scenarios and the people
quoted in graded items), and no two scenario personas share an age with the same setting or story."""

import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import yaml

from peersupport.scenarios import load_library

REPO = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"^([A-ZÀ-Ý][\w'’-]+) \(")  # "Tomás (he/him), 41, ..." ; "A nurse on the team" is not a name
_WORD = re.compile(r"[a-z']+")
STOP = {
    "a", "an", "the", "and", "or", "of", "to", "in", "at", "on", "for", "with", "her", "his", "their",
    "she", "he", "they", "is", "was", "has", "have", "after", "from", "who", "it", "as", "by", "this",
    "that", "but", "not", "be", "are", "been", "about", "into", "when", "while",
}


def people() -> dict[str, list[str]]:
    """First name -> where it is used (a scenario persona, or a speaker quoted in a graded item)."""
    out: dict[str, list[str]] = defaultdict(list)
    for ref, s in load_library(REPO / "scenarios").scenarios.items():
        out[s.persona.name.split()[0]].append(f"scenarios/{ref}.yaml")
    for path in sorted((REPO / "autograder" / "items").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in spec.get("items", []) + spec.get("written", []):
            m = NAMED.match((item.get("quote") or {}).get("speaker", ""))
            if m:
                out[m.group(1)].append(f"autograder/items/{path.name} ({item['id']})")
    return out


def test_no_name_is_used_for_two_people():
    repeats = {name: where for name, where in people().items() if len(where) > 1}
    assert not repeats, "names used for more than one person (give each a new name): " + "; ".join(
        f"{n}: {', '.join(w)}" for n, w in sorted(repeats.items()))


def _story(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2}


def test_no_persona_is_another_renamed():
    personas = [(ref, s.persona) for ref, s in load_library(REPO / "scenarios").scenarios.items()]
    clones = []
    for (ra, a), (rb, b) in combinations(personas, 2):
        if a.age != b.age:
            continue
        same_setting = a.setting.strip().lower() == b.setting.strip().lower()
        sa, sb = _story(a.background), _story(b.background)
        overlap = len(sa & sb) / max(1, len(sa | sb))
        if same_setting or overlap >= 0.35:
            clones.append(f"{ra} ({a.name}) and {rb} ({b.name}): both {a.age}, setting {'the same' if same_setting else 'differs'}, "
                          f"story overlap {overlap:.0%}")
    assert not clones, "personas that look like the same person renamed: " + "; ".join(clones)
