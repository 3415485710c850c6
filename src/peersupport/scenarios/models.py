"""The content format: pydantic models are the one source of truth.

`peersupport schema` exports JSON Schemas from these models to `scenarios/schema/` for editors;
a test fails when the exported files are stale. Field descriptions double as the "fix" hint in
error messages, so write them as instructions to a content author.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Quality = Literal["helpful", "partly", "unhelpful", "harmful"]
QUALITIES: tuple[str, ...] = ("helpful", "partly", "unhelpful", "harmful")
#: Points a choice earns, by quality label (the engine scores against the best choice at each step).
POINTS: dict[str, int] = {"helpful": 2, "partly": 1, "unhelpful": 0, "harmful": 0}

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+")


def count_sentences(text: str) -> int:
    """Count sentences roughly: pieces of text that end in . ! or ? followed by a space."""
    return sum(1 for piece in _SENTENCE_SPLIT.split(text.strip()) if re.search(r"\w", piece))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _sentences(value: str, low: int, high: int, what: str) -> str:
    n = count_sentences(value)
    if not low <= n <= high:
        raise ValueError(f"{what} has {n} sentence(s); write {low} to {high}")
    return value


class Persona(_Strict):
    """The person the trainee is talking with. Diverse, specific, never a caricature."""

    name: str = Field(min_length=1, max_length=60, description="The person's first name, as they like to be called.")
    age: int = Field(ge=12, le=110, description="Age in years, a whole number.")
    pronouns: str = Field(min_length=1, max_length=30, description="Pronouns, for example 'she/her', 'he/him', 'they/them'.")
    setting: str = Field(
        min_length=3,
        max_length=120,
        description="Where the conversation happens, for example 'drop-in centre', 'hospital ward', 'phone call'.",
    )
    background: str = Field(
        min_length=20,
        max_length=600,
        description="Two or three sentences about the person: their situation and what matters to them.",
    )

    @field_validator("background")
    @classmethod
    def _background_sentences(cls, v: str) -> str:
        return _sentences(v, 2, 3, "background")


class Choice(_Strict):
    """One reply the trainee can choose at a node."""

    id: str = Field(pattern=ID_PATTERN, description="A short id unique within its node, such as 'a', 'b', 'c'. Never rename it once released.")
    text: str = Field(min_length=2, max_length=400, description="The trainee's reply, in quotation-free plain words.")
    quality: Quality = Field(description="How well the reply helps: one of helpful, partly, unhelpful, harmful.")
    feedback: str = Field(
        min_length=10,
        max_length=600,
        description="One to three sentences that explain why this reply helps or does not.",
    )
    competency: str = Field(pattern=ID_PATTERN, description="The competency id (from scenarios/vocabulary.yaml) this reply exercises.")
    next: str = Field(pattern=ID_PATTERN, description="The id of the node or ending that follows this reply.")
    safe_action: bool = Field(
        default=False,
        description="true when this reply is a safe action after a risk disclosure: asking directly about suicide, "
        "staying with the person, connecting to 988 or emergency help, or involving a supervisor.",
    )

    @field_validator("feedback")
    @classmethod
    def _feedback_sentences(cls, v: str) -> str:
        return _sentences(v, 1, 3, "feedback")


class Node(_Strict):
    """A moment in the conversation: what the person says and the trainee's possible replies."""

    says: str = Field(min_length=1, max_length=1500, description="What the person says, in their own voice.")
    notice: str | None = Field(
        default=None,
        max_length=400,
        description="Optional: what the trainee notices (tone, body language, surroundings).",
    )
    choices: list[Choice] = Field(min_length=1, max_length=6, description="One to six replies the trainee can choose.")
    risk: bool = Field(
        default=False,
        description="true when the person discloses risk here (suicide, self-harm, harm to others, abuse); "
        "every path through this node must then take a safe action before it ends.",
    )
    repair: bool = Field(
        default=False,
        description="true when the person reacts here to an earlier unhelpful or harmful reply, so the trainee can "
        "repair the rupture; a helpful reply at this node repairs it. A path that took an unhelpful or harmful reply "
        "must pass a repair node (and take its helpful reply) before it may reach a 'good' ending.",
    )


CHOICE_REF = r"^[a-z0-9]+(?:-[a-z0-9]+)*:[a-z0-9]+(?:-[a-z0-9]+)*$"


class DebriefNote(_Strict):
    """A debrief line shown only to trainees whose path took every listed choice."""

    when: list[str] = Field(
        min_length=1,
        description="The choices this line is about, as 'node-id:choice-id'; the line shows only when the path took all of them.",
    )
    text: str = Field(min_length=5, max_length=400, description="One or two sentences about what the trainee did on this path.")

    @field_validator("when")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        for ref in v:
            if not re.match(CHOICE_REF, ref):
                raise ValueError(f"'{ref}' is not 'node-id:choice-id'")
        return v


class Debrief(_Strict):
    """A short debrief shown at an ending. Say only what is true of every path that reaches it;
    put path-specific praise or advice in `notes`."""

    went_well: str = Field(min_length=5, max_length=500, description="What went well on this path, in a sentence or two.")
    try_next: str = Field(min_length=5, max_length=500, description="What to try next time, in a sentence or two.")
    key_point: str = Field(min_length=5, max_length=300, description="The one thing to remember, in one sentence.")
    notes: list[DebriefNote] = Field(
        default_factory=list,
        description="Optional: lines shown only when the trainee's path took particular choices ('node:choice').",
    )


class Ending(_Strict):
    """Where a path through the conversation ends."""

    outcome: Literal["good", "mixed", "difficult"] = Field(
        description="How the conversation ended: good, mixed or difficult."
    )
    says: str | None = Field(default=None, max_length=1500, description="Optional: the person's last words.")
    debrief: Debrief = Field(description="The debrief: went_well, try_next and key_point.")


class Scenario(_Strict):
    """One branching conversation, stored as scenarios/<module-slug>/<id>.yaml."""

    id: str = Field(pattern=ID_PATTERN, description="The scenario id: the same as the file name without .yaml. Never rename it once released.")
    title: str = Field(min_length=3, max_length=100, description="A short title shown to the trainee.")
    summary: str = Field(min_length=10, max_length=400, description="One or two sentences on what the trainee practises here.")
    content_note: str | None = Field(
        default=None,
        max_length=400,
        description="Optional: a content note shown before anything else, naming distressing topics.",
    )
    persona: Persona = Field(description="The person: name, age, pronouns, setting, background.")
    competencies: list[str] = Field(
        min_length=1, description="Competency ids (from scenarios/vocabulary.yaml) this scenario practises."
    )
    start: str = Field(pattern=ID_PATTERN, description="The id of the first node.")
    nodes: dict[str, Node] = Field(min_length=1, description="The conversation's nodes, keyed by node id.")
    endings: dict[str, Ending] = Field(min_length=1, description="The endings, keyed by ending id.")

    def step(self, ref: str) -> Node | Ending:
        return self.nodes[ref] if ref in self.nodes else self.endings[ref]

    def arranged(self, who: str) -> Scenario:
        """A copy whose replies at each node are in the order trainee `who` sees them (ids unchanged)."""
        from ..order import arrange

        nodes = {}
        for nid, node in self.nodes.items():
            by_id = {c.id: c for c in node.choices}
            order = arrange(by_id, f"{self.id}/{nid}", who)
            nodes[nid] = node.model_copy(update={"choices": [by_id[c] for c in order]})
        return self.model_copy(update={"nodes": nodes})


class QuizOption(_Strict):
    text: str = Field(min_length=1, max_length=400, description="The option's text.")
    correct: bool = Field(default=False, description="true if this option is (one of) the right answer(s).")
    feedback: str = Field(min_length=5, max_length=600, description="One to three sentences shown when this option is picked.")
    near_miss: bool = Field(
        default=False,
        description="true for a wrong option that is nearly right: a mistake a caring new peer really makes.",
    )


class QuizQuestion(_Strict):
    id: str = Field(pattern=ID_PATTERN, description="A question id unique in its file. Never rename it once released.")
    prompt: str = Field(min_length=5, max_length=800, description="The question, in plain words.")
    multiple: bool = Field(default=False, description="true when more than one option is correct (the trainee ticks all that apply).")
    competency: str = Field(pattern=ID_PATTERN, description="The competency id (from scenarios/vocabulary.yaml) this question checks.")
    options: list[QuizOption] = Field(min_length=2, max_length=6, description="Two to six options.")


class KnowledgeCheck(_Strict):
    """A short ungraded knowledge check: scenarios/knowledge-checks/<module-slug>.yaml."""

    id: str = Field(pattern=ID_PATTERN, description="The module slug: the same as the file name without .yaml.")
    title: str = Field(min_length=3, max_length=100, description="A title shown above the questions.")
    questions: list[QuizQuestion] = Field(min_length=1, description="The questions, in order.")


class ModuleMeta(_Strict):
    """Front matter of a teaching notebook, kept in its metadata under 'peersupport'."""

    slug: str = Field(pattern=ID_PATTERN, description="The module slug, as in modules/NN-<slug>.ipynb and scenarios/<slug>/.")
    number: int = Field(ge=0, le=99, description="The module number NN.")
    title: str = Field(min_length=3, max_length=100, description="The module title.")
    minutes: int = Field(ge=5, le=600, description="Estimated minutes to complete, including scenarios and checks.")
    competencies: list[str] = Field(min_length=1, description="Competency ids (from the vocabulary) the module covers.")
    domains: list[str] = Field(min_length=1, description="Certification domain ids (from the vocabulary) the module covers.")
    scenarios: list[str] = Field(default_factory=list, description="Scenario refs 'module/id' the notebook plays.")
    exercise: str | None = Field(default=None, description="The nbgrader assignment id for this module, if any.")


class Domain(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    framework: str
    name: str


class Category(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    number: int = Field(ge=1, le=12)
    name: str


class Skill(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    category: str = Field(pattern=ID_PATTERN)
    domains: list[str] = Field(min_length=1)


class Vocabulary(_Strict):
    """scenarios/vocabulary.yaml: the controlled list of competencies and certification domains."""

    domains: list[Domain]
    categories: list[Category]
    skills: list[Skill]

    @property
    def competency_ids(self) -> set[str]:
        return {c.id for c in self.categories} | {s.id for s in self.skills}

    @property
    def domain_ids(self) -> set[str]:
        return {d.id for d in self.domains}

    def category_of(self, competency: str) -> str:
        for s in self.skills:
            if s.id == competency:
                return s.category
        return competency

    def domains_of(self, competency: str) -> list[str]:
        for s in self.skills:
            if s.id == competency:
                return list(s.domains)
        return sorted({d for s in self.skills if s.category == competency for d in s.domains})

    def name_of(self, competency: str) -> str:
        for item in [*self.skills, *self.categories, *self.domains]:
            if item.id == competency:
                return item.name
        return competency
