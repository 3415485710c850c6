"""Checks the schema cannot express: references resolve, the graph is sound, tags are known."""

from __future__ import annotations

from collections import deque

from .models import KnowledgeCheck, Scenario, Vocabulary
from .yamlsource import ContentError, YamlSource


def _err(src: YamlSource, loc: tuple, problem: str, fix: str) -> ContentError:
    return ContentError(src.display, src.line(loc), problem, fix)


def reachable(s: Scenario) -> set[str]:
    """Ids of the nodes and endings a trainee can reach from the start."""
    seen: set[str] = set()
    queue = deque([s.start])
    while queue:
        ref = queue.popleft()
        if ref in seen or (ref not in s.nodes and ref not in s.endings):
            continue
        seen.add(ref)
        if ref in s.nodes:
            queue.extend(c.next for c in s.nodes[ref].choices)
    return seen


def can_finish(s: Scenario) -> set[str]:
    """Ids of the nodes (and endings) from which some path leads to an ending."""
    ok = set(s.endings)
    changed = True
    while changed:
        changed = False
        for nid, node in s.nodes.items():
            if nid not in ok and any(c.next in ok for c in node.choices):
                ok.add(nid)
                changed = True
    return ok


def unsafe_path(s: Scenario, risk_node: str) -> list[str] | None:
    """A path from `risk_node` to an ending that takes no safe-action choice, or None if there is none."""
    parent: dict[str, str | None] = {risk_node: None}
    queue = deque([risk_node])
    while queue:
        ref = queue.popleft()
        if ref in s.endings:
            path = [ref]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for c in s.nodes[ref].choices if ref in s.nodes else []:
            if not c.safe_action and c.next not in parent and (c.next in s.nodes or c.next in s.endings):
                parent[c.next] = ref
                queue.append(c.next)
    return None


def unrepaired_good_path(s: Scenario) -> list[str] | None:
    """A path from the start to a 'good' ending that took an unhelpful or harmful reply and never
    repaired it (took the helpful reply at a later `repair: true` node), as 'node:choice' steps; else None."""
    start = (s.start, False)
    parent: dict[tuple[str, bool], tuple[tuple[str, bool], str] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        ref, dirty = state
        if ref in s.endings:
            if dirty and s.endings[ref].outcome == "good":
                steps, cur = [ref], state
                while parent[cur] is not None:
                    cur, label = parent[cur]  # type: ignore[misc]
                    steps.append(label)
                return steps[::-1]
            continue
        node = s.nodes.get(ref)
        for c in node.choices if node else []:
            if c.next not in s.nodes and c.next not in s.endings:
                continue
            if c.quality in ("unhelpful", "harmful"):
                now = True
            elif node.repair and c.quality == "helpful":
                now = False
            else:
                now = dirty
            nxt = (c.next, now)
            if nxt not in parent:
                parent[nxt] = (state, f"{ref}:{c.id}[{c.quality}]")
                queue.append(nxt)
    return None


def check_scenario(s: Scenario, src: YamlSource, vocab: Vocabulary | None, expected_id: str) -> list[ContentError]:
    errors: list[ContentError] = []
    if s.id != expected_id:
        errors.append(
            _err(src, ("id",), f"The id '{s.id}' does not match the file name '{expected_id}.yaml'.",
                 f"Set 'id: {expected_id}' or rename the file to '{s.id}.yaml' (ids never change once released).")
        )
    for ref in sorted(set(s.nodes) & set(s.endings)):
        errors.append(
            _err(src, ("endings", ref), f"'{ref}' is used both as a node id and as an ending id.",
                 "Give the ending a different id, such as 'end-" + ref + "'.")
        )
    for key, loc in src.duplicates:
        errors.append(
            ContentError(src.display, loc, f"The key '{key[-1]}' appears twice in the same block; the second one would silently replace the first.",
                         "Give each node, ending or field a unique name.")
        )
    targets = set(s.nodes) | set(s.endings)
    if s.start not in s.nodes:
        errors.append(
            _err(src, ("start",), f"'start' names '{s.start}', which is not a node.",
                 f"Set 'start' to one of the nodes: {', '.join(sorted(s.nodes))}.")
        )
    known = vocab.competency_ids if vocab else None
    for i, tag in enumerate(s.competencies):
        if known is not None and tag not in known:
            errors.append(_err(src, ("competencies", i), f"Unknown competency '{tag}' in 'competencies'.",
                               "Use an id from scenarios/vocabulary.yaml, or add it there first."))
    for nid, node in s.nodes.items():
        seen_choice: set[str] = set()
        for i, c in enumerate(node.choices):
            loc = ("nodes", nid, "choices", i)
            if c.id in seen_choice:
                errors.append(_err(src, (*loc, "id"), f"Choice id '{c.id}' is used twice in node '{nid}'.",
                                   "Give each choice in a node its own id, such as a, b, c."))
            seen_choice.add(c.id)
            if c.next not in targets:
                errors.append(_err(src, (*loc, "next"),
                                   f"Choice '{c.id}' in node '{nid}' goes to '{c.next}', which is neither a node nor an ending.",
                                   f"Point 'next' at one of: {', '.join(sorted(targets))}; or add a node or ending called '{c.next}'."))
            if known is not None and c.competency not in known:
                errors.append(_err(src, (*loc, "competency"), f"Unknown competency '{c.competency}' in choice '{c.id}' of node '{nid}'.",
                                   "Use an id from scenarios/vocabulary.yaml, or add it there first."))
        if len(node.choices) > 1 and not any(c.quality == "helpful" for c in node.choices):
            errors.append(_err(src, ("nodes", nid, "choices"), f"Node '{nid}' has no helpful choice.",
                               "Mark the best reply 'quality: helpful' so every step has a model answer."))
    for eid, end in s.endings.items():
        for i, note in enumerate(end.debrief.notes):
            for j, ref in enumerate(note.when):
                nid, cid = ref.split(":", 1)
                if nid not in s.nodes or cid not in {c.id for c in s.nodes[nid].choices}:
                    errors.append(_err(src, ("endings", eid, "debrief", "notes", i, "when", j),
                                       f"The debrief note of ending '{eid}' names '{ref}', which is not a choice in this scenario.",
                                       "Write 'node-id:choice-id' for a choice that exists, for example 'opening:a'."))
    if s.start in s.nodes:
        reach = reachable(s)
        for ref in sorted(targets - reach):
            kind = "nodes" if ref in s.nodes else "endings"
            errors.append(_err(src, (kind, ref), f"{'Node' if kind == 'nodes' else 'Ending'} '{ref}' cannot be reached from the start.",
                               "Point some choice's 'next' at it, or delete it."))
        for nid in sorted(n for n in reach if n in s.nodes and s.nodes[n].risk):
            path = unsafe_path(s, nid)
            if path:
                errors.append(_err(src, ("nodes", nid, "risk"),
                                   f"After the risk disclosure at node '{nid}', the path {' -> '.join(path)} ends without a safe action.",
                                   "Mark the replies that ask directly, stay with the person, connect to 988 or emergency help, "
                                   "or involve a supervisor with 'safe_action: true', and send other replies to a node that "
                                   "gives the trainee another chance."))
        finish = can_finish(s)
        for nid in sorted(reach & set(s.nodes) - finish):
            errors.append(_err(src, ("nodes", nid),
                               f"From node '{nid}' no path leads to an ending: the conversation would loop forever.",
                               "Give at least one choice in this loop a 'next' that leads to an ending."))
    return errors


def check_knowledge(k: KnowledgeCheck, src: YamlSource, vocab: Vocabulary | None, expected_id: str) -> list[ContentError]:
    errors: list[ContentError] = []
    if k.id != expected_id:
        errors.append(_err(src, ("id",), f"The id '{k.id}' does not match the file name '{expected_id}.yaml'.",
                           f"Set 'id: {expected_id}' (the module slug)."))
    seen: set[str] = set()
    for i, q in enumerate(k.questions):
        loc = ("questions", i)
        if q.id in seen:
            errors.append(_err(src, (*loc, "id"), f"Question id '{q.id}' is used twice.", "Give each question its own id."))
        seen.add(q.id)
        right = sum(o.correct for o in q.options)
        if right == 0:
            errors.append(_err(src, loc, f"Question '{q.id}' has no correct option.", "Mark at least one option 'correct: true'."))
        elif right > 1 and not q.multiple:
            errors.append(_err(src, loc, f"Question '{q.id}' has {right} correct options but is single-choice.",
                               "Add 'multiple: true', or keep exactly one option 'correct: true'."))
        if vocab and q.competency not in vocab.competency_ids:
            errors.append(_err(src, (*loc, "competency"), f"Unknown competency '{q.competency}' in question '{q.id}'.",
                               "Use an id from scenarios/vocabulary.yaml, or add it there first."))
    return errors


def check_vocabulary(v: Vocabulary, src: YamlSource) -> list[ContentError]:
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    for group in ("domains", "categories", "skills"):
        for i, item in enumerate(getattr(v, group)):
            if item.id in seen:
                errors.append(_err(src, (group, i, "id"), f"The id '{item.id}' is already used in {seen[item.id]}.",
                                   "Every id in the vocabulary must be unique."))
            seen[item.id] = group
    cats = {c.id for c in v.categories}
    for i, s in enumerate(v.skills):
        if s.category not in cats:
            errors.append(_err(src, ("skills", i, "category"), f"Skill '{s.id}' names an unknown category '{s.category}'.",
                               f"Use one of: {', '.join(sorted(cats))}."))
        for j, d in enumerate(s.domains):
            if d not in v.domain_ids:
                errors.append(_err(src, ("skills", i, "domains", j), f"Skill '{s.id}' names an unknown domain '{d}'.",
                                   f"Use one of: {', '.join(sorted(v.domain_ids))}."))
    return errors
