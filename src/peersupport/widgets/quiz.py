"""Knowledge checks: ungraded questions with instant, per-option feedback."""

from __future__ import annotations

import ipywidgets as w

from ..order import arrange, trainee
from ..scenarios import KnowledgeCheck, load_library
from ..scenarios.models import QuizQuestion
from .common import error_widget, esc, html_box, style


def grade_question(q: QuizQuestion, picked: set[int]) -> tuple[bool, float]:
    """(fully right, fraction right): tick-all-that-apply uses the same credit formula as grading."""
    from ..grading.kinds.credit import tick_all

    right = {i for i, o in enumerate(q.options) if o.correct}
    if not q.multiple:
        ok = picked == right
        return ok, 1.0 if ok else 0.0
    return picked == right, tick_all(picked, right, range(len(q.options)))


class QuestionView(w.VBox):
    def __init__(self, number: int, q: QuizQuestion, on_checked=None):
        self.q = q
        self.on_checked = on_checked
        self.result: tuple[bool, float] | None = None
        hint = " (tick all that apply)" if q.multiple else " (choose one)"
        prompt = w.HTML(f"<b>{number}. {esc(q.prompt)}</b><i>{esc(hint)}</i>")
        labels = [o.text for o in q.options]
        if q.multiple:
            self.boxes = [w.Checkbox(value=False, description=t, indent=False, layout=w.Layout(width="100%")) for t in labels]
            self.selector = w.VBox(self.boxes)
        else:
            self.boxes = []
            self.selector = w.RadioButtons(options=[(t, i) for i, t in enumerate(labels)], value=None,
                                           description="", layout=w.Layout(width="100%"))
        self.check_button = w.Button(description="Check my answer", tooltip=f"Check your answer to question {number}")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        super().__init__([prompt, self.selector, self.check_button, self.feedback], layout=w.Layout(margin="0 0 12px 0"))

    def picked(self) -> set[int]:
        if self.q.multiple:
            return {i for i, b in enumerate(self.boxes) if b.value}
        return set() if self.selector.value is None else {self.selector.value}

    def select(self, *indexes: int) -> None:
        """Select options by index, as a trainee's clicks would (used by tests)."""
        if self.q.multiple:
            for i, b in enumerate(self.boxes):
                b.value = i in indexes
        else:
            self.selector.value = indexes[0]

    def check(self) -> None:
        picked = self.picked()
        if not picked:
            self.feedback.value = html_box("Pick an answer first, then check it.", "ps-fb")
            return
        ok, frac = grade_question(self.q, picked)
        self.result = (ok, frac)
        lines = []
        for i in sorted(picked):
            o = self.q.options[i]
            lines.append(f"<li><b>{esc(o.text)}</b>: {esc(o.feedback)}</li>")
        missed = [o for i, o in enumerate(self.q.options) if o.correct and i not in picked]
        if missed and self.q.multiple:
            lines.append("<li>You also could have chosen: " + "; ".join(f"<b>{esc(o.text)}</b>" for o in missed) + "</li>")
        head = "Yes, that's right." if ok else ("Partly right." if frac > 0 else "Not quite. Read why, then try again.")
        cls = "ps-fb ps-helpful" if ok else ("ps-fb" if frac > 0 else "ps-fb ps-unhelpful")
        self.feedback.value = html_box(f"<b>{head}</b><ul>{''.join(lines)}</ul>", cls, role="status")
        if self.on_checked:
            self.on_checked()


class KnowledgeCheckView(w.VBox):
    def __init__(self, check: KnowledgeCheck):
        self.check_data = check
        self.summary = w.HTML()
        self.questions = [QuestionView(i + 1, q, on_checked=self._update) for i, q in enumerate(check.questions)]
        intro = w.HTML(f"<h3>{esc(check.title)}</h3><p>Not graded. Check each answer as often as you like.</p>")
        super().__init__([style(), intro, *self.questions, self.summary], layout=w.Layout(max_width="860px"))
        self._update()

    def _update(self) -> None:
        done = [q.result for q in self.questions if q.result]
        right = sum(1 for ok, _ in done if ok)
        self.summary.value = f"<b>Checked {len(done)} of {len(self.questions)} questions; {right} fully right.</b>"

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = dict((data[0] if isinstance(data, tuple) else data) or {})
        lines = [self.check_data.title]
        for i, q in enumerate(self.check_data.questions):
            lines.append(f"{i + 1}. {q.prompt}")
            lines += [f"   - {o.text}" for o in q.options]
        data["text/plain"] = "\n".join(lines) + "\n\n(Open this notebook in JupyterLab to check your answers.)"
        return data


def arranged(check: KnowledgeCheck, who: str) -> KnowledgeCheck:
    """A copy whose options are in the order trainee `who` sees them (keyed by each option's place in the file)."""
    questions = []
    for q in check.questions:
        order = arrange([str(i) for i in range(len(q.options))], f"{check.id}/{q.id}", who)
        questions.append(q.model_copy(update={"options": [q.options[int(i)] for i in order]}))
    return check.model_copy(update={"questions": questions})


def knowledge_check(module: str):
    lib = load_library()
    if module not in lib.knowledge_checks:
        broken = [str(e) for e in lib.errors if e.file.endswith(f"{module}.yaml")]
        return error_widget("\n".join(broken) or f"There is no knowledge check for the module '{module}'.")
    return KnowledgeCheckView(arranged(lib.knowledge_checks[module], trainee()))
