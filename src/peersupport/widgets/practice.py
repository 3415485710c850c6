"""Free-text practice with the response coach: the trainee types a reply, presses "Get feedback",
sees what kind of response it is with the words behind each label highlighted, and can edit and try again.

Everything the trainee types is escaped with `html.escape` before any `<mark>` is wrapped around it:
nothing from the trainee (or the scenario) is ever rendered as raw HTML.
"""

from __future__ import annotations

import html
from bisect import bisect_left, insort

import ipywidgets as w

from ..coach import Feedback, analyze
from .common import CSS, html_box

#: How much of a very long reply is shown highlighted (the coach still reads all of it).
SHOW_CHARS = 10_000

LABELS = {
    "question": "Question", "reflection": "Reflection", "affirmation": "Affirmation",
    "information": "Giving information", "advice": "Advice", "self_disclosure": "Sharing your own story",
    "other": "Other (keeps the conversation going)",
}
MECHANISM_NAMES = {
    "emotional_reactions": "Emotional reactions (warmth, concern)",
    "interpretations": "Interpretations (showing you understand)",
    "explorations": "Explorations (asking about their experience)",
}
LEVELS = {0: "not yet", 1: "some", 2: "strong"}
FLAG_NAMES = {
    "stigma_language": "Wording", "why_question": '"Why" question', "advice_without_permission": "Advice without asking",
    "minimizing": "Minimizing", "diagnosing": "Diagnosing", "medication_advice": "Medication advice",
    "secrecy_promise": "Promising secrecy", "missed_safety": "Safety not checked",
    "leading_suicide_question": "Leading question about suicide", "handoff_not_staying": "Handing off instead of staying",
    "no_harm_promise": "Asking for a no-harm promise", "dual_relationship": "Gift, money or a second relationship",
}
PRACTICE_CSS = """<style>
.ps-mark{background:#fff1a8;color:#1b1f24;padding:0 2px;border-radius:3px}
.ps-mark.ps-flagged{background:#ffd6d1;text-decoration:underline wavy #b3261e}
.ps-levels td{padding:1px 10px 1px 0}
</style>"""


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def highlight(text: str, fb: Feedback, limit: int = SHOW_CHARS) -> str:
    """The reply as HTML: every piece escaped, with the words behind labels and flags in <mark>."""
    shown = text[:limit]
    placed: list[tuple[int, int, str, bool]] = []
    # flags first (the most specific words), then the evidence for labels wherever it does not overlap a flag
    candidates = [(f.span.start, f.span.end, FLAG_NAMES.get(f.code, f.code), True) for f in fb.flags]
    candidates += [(e.span.start, e.span.end, e.label.replace("_", " "), False) for e in fb.evidence]
    for start, end, label, flagged in candidates:
        if end <= start or end > len(shown):
            continue
        i = bisect_left(placed, (start,))
        if (i < len(placed) and placed[i][0] < end) or (i > 0 and placed[i - 1][1] > start):
            continue  # overlaps a mark already placed
        insort(placed, (start, end, label, flagged))
    out, pos = [], 0
    for start, end, label, flagged in placed:
        out.append(esc(shown[pos:start]))
        cls = "ps-mark ps-flagged" if flagged else "ps-mark"
        out.append(f'<mark class="{cls}" title="{esc(label)}">{esc(shown[start:end])}</mark>')
        pos = end
    out.append(esc(shown[pos:]))
    body = "".join(out).replace("\n", "<br>")
    if len(text) > limit:
        body += f"<br><i>&hellip; ({len(text) - limit:,} more characters not shown)</i>"
    return body


def feedback_html(text: str, fb: Feedback) -> str:
    if fb.shown_behaviour is None:  # the coach is unsure: say what it noticed, name no category
        kind = f"<i>not sure</i> &middot; {esc(fb.noticed)}"
    else:
        kind = esc(LABELS.get(fb.behaviour, fb.behaviour))
    if fb.shown_behaviour and fb.question_type:
        kind += f" &middot; {esc(fb.question_type)} question"
    if fb.shown_behaviour and fb.reflection_type:
        kind += f" &middot; {esc(fb.reflection_type)} reflection"
    rows = "".join(
        f"<tr><td>{esc(MECHANISM_NAMES[k])}</td><td><b>{esc(LEVELS.get(v, v))}</b></td></tr>" for k, v in fb.empathy.items()
    )
    parts = [
        html_box(f"<p style='margin:2px 0'>{esc(fb.summary)}</p>", "ps-fb", role="status"),
        html_box(f"<span class='ps-label'>What it does:</span> {kind}<br>"
                 f"<table class='ps-levels'>{rows}</table>"),
        html_box("<b>Your words</b> (highlighted words caused a label or a note; hover to see which)<br>"
                 f"<div class='ps-says'>{highlight(text, fb)}</div>"),
    ]
    for f in fb.flags:
        cls = "ps-fb ps-harmful" if f.code in ("missed_safety", "leading_suicide_question", "handoff_not_staying",
                                              "no_harm_promise") else "ps-fb ps-unhelpful"
        parts.append(html_box(
            f"<b>{esc(FLAG_NAMES.get(f.code, f.code))}</b>: &ldquo;{esc(f.span.text[:200])}&rdquo;<br>"
            f"{esc(f.message)}<br><i>Suggestion:</i> {esc(f.suggestion)}"
            + (f"<br><i>Revisit:</i> module {esc(f.module)}" if f.module else ""), cls))
    parts.append("<p class='ps-notice'>Edit your reply and press &ldquo;Get feedback&rdquo; again. The coach only "
                 "suggests: it is not a grade.</p>")
    return "".join(parts)


def feedback_text(text: str, fb: Feedback) -> str:
    """Plain-text version of the feedback (for printing, screen readers, or where widgets cannot run)."""
    if fb.shown_behaviour is None:
        lines = [fb.summary, f"What it does: not sure. {fb.noticed}"]
    else:
        lines = [fb.summary, f"What it does: {LABELS.get(fb.behaviour, fb.behaviour)}"
                 + (f" ({fb.question_type} question)" if fb.question_type else "")
                 + (f" ({fb.reflection_type} reflection)" if fb.reflection_type else "")]
    lines += [f"  {MECHANISM_NAMES[k]}: {LEVELS.get(v, v)}" for k, v in fb.empathy.items()]
    for f in fb.flags:
        lines.append(f'- {FLAG_NAMES.get(f.code, f.code)}: "{f.span.text[:200]}" {f.message} Suggestion: {f.suggestion}'
                     + (f" Revisit: module {f.module}." if f.module else ""))
    return "\n".join(lines)


class PracticeWidget(w.VBox):
    """The free-text practice view. `submit()` is what the button does (handy in tests and scripts)."""

    def __init__(self, context: str | None = None):
        self.context = context if context is None else str(context)
        self.feedback: Feedback | None = None
        self.attempts = 0
        intro = "<h4 style='margin:4px 0'>Practise your own words</h4>"
        if self.context and self.context.strip():
            intro += html_box(f"<b>They say:</b> <span class='ps-says'>&ldquo;{esc(self.context)}&rdquo;</span>")
        self.intro = w.HTML(CSS + PRACTICE_CSS + intro)
        self.label = w.Label("Type what you would say to them, then press \u201cGet feedback\u201d.")
        self.textarea = w.Textarea(
            value="", placeholder="Type what you would say...", rows=4, continuous_update=False,
            description="Your reply", style={"description_width": "initial"}, layout=w.Layout(width="100%"),
        )
        self.button = w.Button(description="Get feedback", button_style="primary", icon="comment",
                               tooltip="See what kind of response this is, and how it might land")
        self.attempt_label = w.Label("")
        self.output = w.HTML("")
        self.button.on_click(lambda _b: self.submit())
        super().__init__([self.intro, self.label, self.textarea, w.HBox([self.button, self.attempt_label]),
                          self.output], layout=w.Layout(width="100%", max_width="860px"))
        self.add_class("ps-practice")

    def submit(self) -> Feedback:
        text = self.textarea.value or ""
        self.feedback = analyze(text, self.context)
        if text.strip():
            self.attempts += 1
            self.attempt_label.value = f"Attempt {self.attempts}"
            self.output.value = PRACTICE_CSS + feedback_html(text, self.feedback)
        else:
            self.output.value = html_box(esc(self.feedback.summary), "ps-fb", role="status")
        return self.feedback

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if isinstance(data, tuple):
            data = data[0]
        data = dict(data or {})
        text = f'They say: "{self.context}"\n' if self.context else ""
        if self.feedback is not None:
            text += feedback_text(self.textarea.value or "", self.feedback)
        else:
            text += "(Open this notebook in JupyterLab to type a reply and get feedback.)"
        data["text/plain"] = text
        return data


def practice(context: str | None = None) -> PracticeWidget:
    """Free-text practice: shows the person's words (if given), a reply box and a "Get feedback" button."""
    return PracticeWidget(context)
