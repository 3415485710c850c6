"""The exchange self-check: paste a short practice conversation, see question and reflection counts
against the MITI thresholds (a practice aid from the coach, never a grade). Trainee text is escaped."""

from __future__ import annotations

import html

import ipywidgets as w

from ..coach.exchange import ExchangeError, count
from .common import html_box, style

PLACEHOLDER = ("Them: I keep saying I'll cut down, and then Friday comes.\n"
               "Me: Part of you wants to cut down, and Fridays pull you the other way.\n"
               "Them: Yeah. Everyone's out.\n"
               "Me: What would a Friday you felt good about look like?")


class ExchangeCheck(w.VBox):
    def __init__(self):
        self.text = w.Textarea(placeholder=PLACEHOLDER, layout=w.Layout(width="100%", height="10em"),
                               description="", tooltip="Your practice exchange: 'Me:' and 'Them:' lines")
        self.button = w.Button(description="Count my questions and reflections", icon="list",
                               layout=w.Layout(width="auto"))
        self.button.on_click(lambda _b: self.check())
        self.result = w.HTML()
        intro = w.HTML("<b>Check a practice exchange.</b> Write 4 to 6 lines of a practice conversation of your own, "
                       "starting each line with <code>Me:</code> or <code>Them:</code>. Nothing is saved or sent.")
        super().__init__([style(), intro, self.text, self.button, self.result], layout=w.Layout(max_width="860px"))

    def check(self) -> None:
        try:
            counts = count(self.text.value)
        except ExchangeError as exc:
            self.result.value = html_box(html.escape(str(exc)), "ps-fb", role="status")
            return
        rows = "".join(f"<li>“{html.escape(s)}” — {html.escape(label)}</li>" for s, label in counts.coded)
        verdicts = "".join(f"<li>{html.escape(v)}</li>" for v in counts.verdicts())
        self.result.value = html_box(
            f"<b>Your {counts.turns} turn(s)</b><ul>{rows}</ul><b>Against the MITI thresholds</b><ul>{verdicts}</ul>"
            "<i>A practice aid from a rule-based coach, not a MITI rating; it can be wrong. Use it to notice your "
            "habits, and talk with your trainer.</i>", "ps-fb", role="status")

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = dict((data[0] if isinstance(data, tuple) else data) or {})
        data["text/plain"] = "Exchange self-check (open this notebook in JupyterLab to use it)."
        return data


def exchange_check() -> ExchangeCheck:
    return ExchangeCheck()
