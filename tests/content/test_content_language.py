"""The curriculum passes its own language checker: no stigmatizing wording in trainee-facing text,
except in examples marked 'Spot the problem' and in replies shown as what not to say."""

from pathlib import Path

import pytest

from peersupport.coach.language import check_language
from peersupport.content_text import trainee_texts

REPO = Path(__file__).resolve().parents[2]
TEXTS = list(trainee_texts(REPO))


def test_there_is_text_to_check():
    assert len(TEXTS) > 500


@pytest.mark.parametrize("kind", ["modules/", "scenarios"])
def test_no_stigmatizing_language(kind):
    found = []
    for where, text in TEXTS:
        if where.startswith("modules/") != (kind == "modules/"):
            continue
        for flag in check_language(text):
            found.append(f"{where}: '{flag.span.text}' -> {flag.suggestion}")
    assert not found, "\n".join(found)


def test_the_checker_catches_a_planted_term():
    """Guards the test above: the same pipeline flags stigmatizing wording when it is there."""
    flags = check_language("The addicts in the group talked about their substance abuse and stayed clean for a month.")
    found = " | ".join(f.span.text.lower() for f in flags)
    assert "addicts" in found and "substance abuse" in found and "clean" in found, found
