"""The scenario engine: a pure-Python state machine over a Scenario (no widget imports).

Progress saves to and restores from JSON, keyed by node and choice ids, which never change once
a scenario is released.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass

from .models import POINTS, QUALITIES, Choice, Ending, Node, Scenario

PROGRESS_VERSION = 1


class ProgressError(ValueError):
    """Saved progress that does not fit the scenario (for example after the content changed)."""


@dataclass(frozen=True)
class Step:
    """One decision: at `node_id` the trainee chose `choice`."""

    node_id: str
    choice: Choice
    best_points: int

    @property
    def points(self) -> int:
        return POINTS[self.choice.quality]


@dataclass(frozen=True)
class Score:
    points: int
    max_points: int
    by_quality: dict[str, int]

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0


class Engine:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._history: list[Step] = []
        self._current = scenario.start

    # -- state -------------------------------------------------------------------------------
    @property
    def current_id(self) -> str:
        return self._current

    @property
    def current(self) -> Node | Ending:
        return self.scenario.step(self._current)

    @property
    def finished(self) -> bool:
        return self._current in self.scenario.endings

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self._current)

    @property
    def choices(self) -> list[Choice]:
        return [] if self.finished else list(self.scenario.nodes[self._current].choices)

    @property
    def history(self) -> list[Step]:
        return list(self._history)

    # -- actions -----------------------------------------------------------------------------
    def choose(self, choice: str | int) -> Step:
        """Take a choice by id or by position (0-based) and move to its next node or ending."""
        if self.finished:
            raise RuntimeError("The conversation has ended: restart to play again.")
        options = self.choices
        if isinstance(choice, int):
            if not 0 <= choice < len(options):
                raise IndexError(f"There are {len(options)} choices here; pick 0 to {len(options) - 1}.")
            picked = options[choice]
        else:
            found = [c for c in options if c.id == choice]
            if not found:
                raise KeyError(f"No choice '{choice}' at node '{self._current}'; choices are {[c.id for c in options]}.")
            picked = found[0]
        step = Step(self._current, picked, max(POINTS[c.quality] for c in options))
        self._history.append(step)
        self._current = picked.next
        return step

    def debrief_notes(self) -> list[str]:
        """The ending's path-specific debrief lines whose choices this path took."""
        end = self.ending
        if end is None:
            return []
        taken = {f"{s.node_id}:{s.choice.id}" for s in self._history}
        return [n.text for n in end.debrief.notes if set(n.when) <= taken]

    def restart(self) -> None:
        self._history.clear()
        self._current = self.scenario.start

    # -- measures ----------------------------------------------------------------------------
    def score(self) -> Score:
        counts = Counter(s.choice.quality for s in self._history)
        return Score(
            points=sum(s.points for s in self._history),
            max_points=sum(s.best_points for s in self._history),
            by_quality={q: counts.get(q, 0) for q in QUALITIES},
        )

    def steps_to_end(self, ref: str | None = None) -> int:
        """Fewest choices still needed to reach an ending from `ref` (default: here)."""
        start = ref or self._current
        dist = {start: 0}
        queue = deque([start])
        while queue:
            ref = queue.popleft()
            if ref in self.scenario.endings:
                return dist[ref]
            for c in self.scenario.nodes[ref].choices:
                if c.next not in dist:
                    dist[c.next] = dist[ref] + 1
                    queue.append(c.next)
        return 0

    def steps_on_best_path(self, ref: str | None = None) -> int:
        """Choices left if the trainee picks the best reply from `ref` on (shortest way if that loops)."""
        ref = ref or self._current
        seen: set[str] = set()
        steps = 0
        while ref in self.scenario.nodes:
            if ref in seen:
                return self.steps_to_end()
            seen.add(ref)
            best = max(self.scenario.nodes[ref].choices, key=lambda c: POINTS[c.quality])
            ref, steps = best.next, steps + 1
        return steps

    def progress(self) -> tuple[int, int]:
        """(choices made, an estimate of the total): the total assumes the best reply from here on."""
        done = len(self._history)
        return done, done + self.steps_on_best_path()

    # -- persistence -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "version": PROGRESS_VERSION,
            "scenario": self.scenario.id,
            "history": [[s.node_id, s.choice.id] for s in self._history],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, scenario: Scenario, data: dict) -> Engine:
        """Replay saved choices. Raises ProgressError when they no longer fit the scenario."""
        if not isinstance(data, dict) or data.get("scenario") != scenario.id:
            raise ProgressError(f"This saved progress is not for the scenario '{scenario.id}'.")
        if data.get("version") != PROGRESS_VERSION:
            raise ProgressError(f"Saved progress has version {data.get('version')!r}; expected {PROGRESS_VERSION}.")
        engine = cls(scenario)
        history = data.get("history")
        if not isinstance(history, list):
            raise ProgressError("Saved progress has no list of choices.")
        for i, item in enumerate(history):
            if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
                raise ProgressError(f"Saved step {i + 1} is not a [node, choice] pair.")
            node_id, choice_id = item
            if node_id != engine.current_id:
                raise ProgressError(f"Saved step {i + 1} was at '{node_id}', but the scenario is now at '{engine.current_id}'.")
            try:
                engine.choose(choice_id)
            except (KeyError, RuntimeError) as exc:
                raise ProgressError(f"Saved step {i + 1} cannot be replayed: {exc}") from exc
        return engine

    @classmethod
    def from_json(cls, scenario: Scenario, text: str) -> Engine:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProgressError(f"Saved progress is not valid JSON: {exc}") from exc
        return cls.from_dict(scenario, data)

    # -- text --------------------------------------------------------------------------------
    def transcript(self) -> str:
        """The conversation so far as plain text, with feedback; also the widget's text fallback."""
        s = self.scenario
        p = s.persona
        lines = [f"{s.title}", f"{p.name} ({p.pronouns}), {p.age}, {p.setting}."]
        if s.content_note:
            lines.insert(1, f"Content note: {s.content_note}")
        for step in self._history:
            node = s.nodes[step.node_id]
            lines += ["", f"{p.name}: {node.says}"]
            if node.notice:
                lines.append(f"(You notice: {node.notice})")
            lines += [f"You: {step.choice.text}", f"Feedback [{step.choice.quality}]: {step.choice.feedback}"]
        if self.finished:
            end = self.ending
            assert end is not None
            if end.says:
                lines += ["", f"{p.name}: {end.says}"]
            sc = self.score()
            lines += [
                "",
                f"Debrief ({end.outcome} ending) - score {sc.points} of {sc.max_points}",
                f"What went well: {end.debrief.went_well}",
                f"What to try: {end.debrief.try_next}",
                f"Key point: {end.debrief.key_point}",
            ]
            lines[-1:-1] = [f"On your path: {t}" for t in self.debrief_notes()]
        else:
            node = s.nodes[self._current]
            lines += ["", f"{p.name}: {node.says}"]
            for i, c in enumerate(node.choices):
                lines.append(f"  {chr(65 + i)}. {c.text}")
        return "\n".join(lines)
