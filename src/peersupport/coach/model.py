"""The coach's result types: plain frozen dataclasses, easy to test and to turn into JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

BEHAVIOURS = ("question", "reflection", "affirmation", "information", "advice", "self_disclosure", "other")
MECHANISMS = ("emotional_reactions", "interpretations", "explorations")


@dataclass(frozen=True)
class Span:
    """A stretch of the analysed text: the words themselves and their [start, end) character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Flag:
    """One finding about the response, pointing at the words that caused it."""

    code: str
    span: Span
    message: str
    suggestion: str
    severity: str = "warning"  # "warning" (change it) or "consider" (a softer note)
    module: str = ""  # the module to revisit, e.g. "07 Crisis support" (safety and boundary flags)


@dataclass(frozen=True)
class Evidence:
    """Why a label was given: `label` is e.g. "behaviour=question" or "interpretations=2"."""

    label: str
    span: Span


@dataclass(frozen=True)
class Feedback:
    behaviour: str
    question_type: str | None
    reflection_type: str | None
    empathy: dict[str, int]
    flags: list[Flag] = field(default_factory=list)
    summary: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    #: The behaviour as shown to a trainee: None when the evidence is weak (then `noticed` says what was seen
    #: without naming a category that may be wrong). `behaviour` is always the coach's best guess.
    shown_behaviour: str | None = None
    noticed: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def evidence_for(self, prefix: str) -> list[Span]:
        """The spans behind labels starting with `prefix` (e.g. "behaviour", "explorations")."""
        return [e.span for e in self.evidence if e.label.startswith(prefix)]
