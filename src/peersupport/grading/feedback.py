"""Feedback that shows what we mean to show, and no more.

nbgrader's feedback HTML shows each test cell's source (hidden tests included) and any traceback,
which prints the hidden lines. ``ScrubFeedback`` runs during ``generate_feedback``: it cuts the
hidden-test region out of every cell, shortens error outputs to their one-line message, and drops
any output, in any cell, that repeats a line of a hidden test (a trainee's cell can register an
IPython hook that prints every later cell's source, hidden tests included). The ``Marked`` result
(the better answer and why) stays, because it is the feedback.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _split_hidden(source: str) -> tuple[list[str], list[str]]:
    """(lines outside, lines inside) the cell's hidden-test regions."""
    shown, hidden, inside = [], [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        else:
            (hidden if inside else shown).append(line)
    return shown, hidden


def strip_hidden(source: str) -> str:
    return "\n".join(_split_hidden(source)[0])


def hidden_lines(source: str) -> list[str]:
    """The lines of a cell's hidden-test region that would give something away if repeated."""
    return [line.strip() for line in _split_hidden(source)[1] if len(line.strip()) >= 6]


def _text(out) -> str:
    if out.output_type == "stream":
        return str(out.get("text", ""))
    if out.output_type == "error":
        return "\n".join([str(out.get("evalue", "")), *map(str, out.get("traceback", []))])
    return "\n".join(str(v) for v in out.get("data", {}).values())


def repeats(out, secrets: list[str]) -> bool:
    text = _ANSI.sub("", _text(out))
    return any(s in text for s in secrets) or BEGIN in text


def scrub_cell(cell, secrets: list[str] = ()) -> None:
    if cell.cell_type != "code":
        return
    cell.source = strip_hidden(cell.source)
    kept = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream" and out.name == "stderr":
            continue
        if secrets and repeats(out, secrets):
            continue
        if out.output_type == "error":
            message = _ANSI.sub("", str(out.get("evalue", ""))).splitlines()
            out.traceback = [f"{out.get('ename', 'Error')}: {message[0] if message else ''}"]
        kept.append(out)
    cell.outputs = kept


class ScrubFeedback(Preprocessor):
    """Remove hidden tests from sources and shorten tracebacks in generated feedback."""

    enabled = Bool(True)  # nbconvert skips preprocessors that are not enabled

    def preprocess(self, nb, resources):
        secrets = [line for cell in nb.cells if cell.cell_type == "code" for line in hidden_lines(cell.source)]
        for cell in nb.cells:
            scrub_cell(cell, secrets)
        return nb, resources
