"""All trainee-facing text, as (where, text) pairs, for the language and reading checks.

Deliberate poor examples are left out: replies marked unhelpful or harmful (they show what not to
say), wrong quiz options, and notebook blockquotes that start with '**Spot the problem:**'.
References and the crisis footer are not teaching text and are left out too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .modules import load_module, module_paths
from .scenarios import load_library


def scenario_texts(root: Path) -> Iterator[tuple[str, str]]:
    lib = load_library(root / "scenarios")
    for ref, s in sorted(lib.scenarios.items()):
        yield f"{ref}: title", s.title
        yield f"{ref}: summary", s.summary
        if s.content_note:
            yield f"{ref}: content_note", s.content_note
        yield f"{ref}: persona", f"{s.persona.setting}. {s.persona.background}"
        for nid, node in s.nodes.items():
            yield f"{ref}: node {nid} says", node.says
            if node.notice:
                yield f"{ref}: node {nid} notice", node.notice
            for c in node.choices:
                if c.quality in ("helpful", "partly"):
                    yield f"{ref}: node {nid} choice {c.id}", c.text
                yield f"{ref}: node {nid} choice {c.id} feedback", c.feedback
        for eid, end in s.endings.items():
            if end.says:
                yield f"{ref}: ending {eid} says", end.says
            d = end.debrief
            yield f"{ref}: ending {eid} debrief", f"{d.went_well} {d.try_next} {d.key_point}"
    for slug, check in sorted(lib.knowledge_checks.items()):
        for q in check.questions:
            yield f"knowledge-checks/{slug} {q.id}: prompt", q.prompt
            for i, o in enumerate(q.options):
                if o.correct:
                    yield f"knowledge-checks/{slug} {q.id}: option {i + 1}", o.text
                yield f"knowledge-checks/{slug} {q.id}: option {i + 1} feedback", o.feedback


def notebook_texts(root: Path) -> Iterator[tuple[str, str]]:
    for path in module_paths(root):
        yield f"modules/{path.name}", load_module(path).teaching_text(keep_examples=False)


def trainee_texts(root: Path) -> Iterator[tuple[str, str]]:
    yield from notebook_texts(root)
    yield from scenario_texts(root)
