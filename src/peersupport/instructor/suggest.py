"""Draft comments on written answers: the response coach's reading, written into the gradebook.

For every manually graded answer cell with a rubric (``autograder/rubrics/<assignment>.yaml``),
the trainee's text is read from the autograded notebook and analysed by ``coach.analyze`` with what
the speaker said as context. The result becomes the cell's comment in nbgrader's gradebook,
worded as a suggestion for the instructor to edit in formgrader, with suggested points *in the
text only*: the score itself is never set, so the cell still waits for the instructor's grade.
An instructor's own comment is never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..coach import analyze
from ..grading.authoring import load_spec
from ..grading.rubrics import RubricItem, load_rubric

MARKER = "SUGGESTION from the response coach (a draft for the instructor; not a grade):"
STUB = "Replace this line with your answer, in your own words."
STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i", "if", "in", "is", "it", "its", "just", "like", "me", "my", "of", "on", "or", "so", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "what", "when", "with", "you", "your", "yet", "still", "now", "all", "do", "does", "did", "not", "no"])


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", text.lower()) if len(w) > 2 and w not in STOP}


@dataclass
class Suggestion:
    student: str
    item: str
    points: float
    max_points: float
    text: str


def _signals(answer: str, context: str, competency: str) -> tuple[list[tuple[bool, str]], list[str]]:
    """(met?, what) for each thing the coach can see, and the coach's warnings."""
    overlap = content_words(answer) & content_words(context)
    if competency == "summarizing":
        parts = re.split(r"(?<=[.!])\s+", answer.strip())
        check = answer.strip().endswith("?")
        body = " ".join(parts[:-1]) if check and len(parts) > 1 else answer
        fb = analyze(body, context)
        signals = [(fb.behaviour == "reflection", f"the summary itself reads as reflection (coach: {fb.behaviour})"),
                   (len(overlap) >= 4, f"it gathers several of the speaker's threads ({len(overlap)} of their words)"),
                   (check, "it ends by checking understanding with a question")]
    else:
        fb = analyze(answer, context)
        feeling = fb.empathy.get("emotional_reactions", 0) + fb.empathy.get("interpretations", 0) > 0
        signals = [(fb.behaviour == "reflection", f"it is a reflection, not a question or advice (coach: {fb.behaviour})"),
                   (feeling or fb.reflection_type == "complex", "it reaches for the feeling or meaning under the words"),
                   (len(overlap) >= 1, f"it stays with the speaker's own words ({len(overlap)} shared)")]
    warnings = [f"{f.message} {f.suggestion}".strip() for f in fb.flags if f.severity == "warning"]
    return signals, warnings


def suggest_one(answer: str, context: str, rubric: RubricItem) -> tuple[float, str]:
    text = (answer or "").strip()
    if not text or text == STUB:
        return 0.0, f"{MARKER}\nNo written answer was given (the cell is blank or unchanged).\nSuggested points: 0 of {rubric.points:g}."
    signals, warnings = _signals(text, context, rubric.competency)
    met = sum(ok for ok, _ in signals)
    points = rubric.points * met / len(signals)
    if warnings:
        points = min(points, rubric.points - 1)
    points = max(0.0, round(points * 2) / 2)
    lines = [MARKER, "What the coach noticed:"]
    lines += [f"- {'yes' if ok else 'not seen'}: {what}" for ok, what in signals]
    lines += [f"- to look at: {w}" for w in warnings]
    lines.append(f"Suggested points: {points:g} of {rubric.points:g}. Check against the rubric "
                 f"({', '.join(c.id for c in rubric.criteria)}) and edit this comment before releasing feedback.")
    return points, "\n".join(lines)


def _answer_text(nb_path: Path, grade_id: str) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.source
    return ""


def suggest(root: Path, assignment: str, db_url: str, course_id: str, autograded: Path, submitted: Path,
            overwrite: bool = False) -> list[Suggestion]:
    """Write a draft comment on every written answer of `assignment`; returns what was written."""
    from nbgrader.api import Gradebook, MissingEntry

    rubric_path = root / "autograder" / "rubrics" / f"{assignment}.yaml"
    if not rubric_path.is_file():
        return []
    rubric = load_rubric(rubric_path)
    spec_path = root / "autograder" / "items" / f"{assignment}.yaml"
    quotes = {}
    if spec_path.is_file():
        quotes = {w.id: (w.quote.text if w.quote else w.prompt) for w in load_spec(spec_path).written}
    out = []
    with Gradebook(db_url, course_id) as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                path = autograded / sub.student_id / assignment / f"{nb.name}.ipynb"
                if not path.is_file():
                    path = submitted / sub.student_id / assignment / f"{nb.name}.ipynb"
                for item in rubric.items:
                    grade_id = f"{item.item}-answer"
                    try:
                        comment = gb.find_comment(grade_id, nb.name, assignment, sub.student_id)
                    except MissingEntry:
                        continue
                    if comment.manual_comment and not comment.manual_comment.startswith(MARKER) and not overwrite:
                        continue  # the instructor has written their own
                    try:
                        text = _answer_text(path, grade_id)
                    except Exception:  # noqa: BLE001 - an unreadable notebook has nothing to suggest on
                        text = ""
                    points, body = suggest_one(text, quotes.get(item.item, ""), item)
                    comment.manual_comment = body
                    out.append(Suggestion(sub.student_id, item.item, points, item.points, body))
        gb.db.commit()
    return out
