"""Feedback never names an option by its letter in the file: each trainee sees the options in an order of
their own, so "B offers real hope" would point most trainees at the wrong option. Name it by its words
(the grader already names the key with the letter the trainee saw)."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
LETTERS = re.compile(r"\([A-F](?:, [A-F])+\)|\b[A-F](?:, [A-F])* (?:and|or) [A-F]\b|(?:^|[.!?] )[A-F] (?:is|does|would|sounds|shows)\b"
                     r"|\b[A-F] (?:offers|names|misses|gives|fits|pushes|respects)\b|\b(?:option|answer|choice|reply)s? [A-F]\b")


def test_exercise_feedback_names_options_by_their_words():
    found = []
    for path in sorted((REPO / "autograder" / "items").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            texts = [item.get("why")] if isinstance(item.get("why"), str) else list((item.get("why") or {}).values())
            texts += list((item.get("notes") or {}).values())
            for t in texts:
                m = LETTERS.search(" ".join(str(t).split()))
                if m:
                    found.append(f"{path.name} {item['id']}: '{m.group(0)}'")
    assert not found, "feedback names options by file letter: " + "; ".join(found)
