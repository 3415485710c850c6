"""Feedback that shows what we mean to show, and no more.

nbgrader's feedback HTML shows each test cell's source (hidden tests included) and any traceback,
which prints the hidden lines. ``ScrubFeedback`` runs during ``generate_feedback``: it cuts the
hidden-test region out of every cell and shortens error outputs to their one-line message. The
``Marked`` result (the better answer and why) stays, because it is the feedback.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def strip_hidden(source: str) -> str:
    out, hidden = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            hidden = True
        elif line.strip() == END:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def scrub_cell(cell) -> None:
    if cell.cell_type != "code":
        return
    cell.source = strip_hidden(cell.source)
    kept = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream" and out.name == "stderr":
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
        for cell in nb.cells:
            scrub_cell(cell)
        return nb, resources
