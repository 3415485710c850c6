"""Shared pieces for the widgets: escaping, one small stylesheet, friendly error boxes.

Every piece of text that comes from a content file or a trainee goes through `esc()` before it is
placed in an HTML widget; button labels are plain text (ipywidgets renders them as text nodes).
"""

from __future__ import annotations

import html

import ipywidgets as w

#: Our own constant stylesheet (no content or trainee text is ever interpolated into it).
CSS = """<style>
.ps-card{border:1px solid #c9ced6;border-radius:6px;padding:8px 12px;margin:4px 0;background:#f8f9fb;color:#1b1f24}
.ps-note{border-left:4px solid #b35c00;background:#fff6ea;padding:6px 10px;margin:4px 0;color:#1b1f24}
.ps-says{font-size:1.05em;margin:6px 0;color:#1b1f24}
.ps-notice{font-style:italic;color:#44505c;margin:2px 0 6px}
.ps-fb{border-left:4px solid #3b6ea5;background:#eef4fb;padding:6px 10px;margin:6px 0;color:#1b1f24}
.ps-fb.ps-helpful{border-color:#2e7d32;background:#edf7ee}
.ps-fb.ps-harmful{border-color:#b3261e;background:#fdeeee}
.ps-fb.ps-unhelpful{border-color:#a15c00;background:#fff4e5}
.ps-label{font-weight:bold;text-transform:capitalize}
.ps-pre{white-space:pre-wrap;margin:0;overflow-wrap:break-word}
.ps-error{border-left:4px solid #b3261e;background:#fdeeee;padding:6px 10px;color:#1b1f24}
.ps-choice.jupyter-button, .ps-choice.widget-button{white-space:normal;height:auto;min-height:32px;
  text-align:left;line-height:1.4;padding:6px 10px;overflow-wrap:anywhere}
</style>"""

QUALITY_WORDS = {
    "helpful": "Helpful",
    "partly": "Partly helpful",
    "unhelpful": "Not helpful",
    "harmful": "Could cause harm",
}


def esc(text: object) -> str:
    """Escape any text for HTML (quotes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def html_box(inner_html: str, cls: str = "ps-card", role: str | None = None) -> str:
    """Wrap already-escaped HTML in a styled block."""
    role_attr = f' role="{role}" aria-live="polite"' if role else ""
    return f'<div class="{cls}"{role_attr}>{inner_html}</div>'


def style() -> w.HTML:
    return w.HTML(CSS)


class ErrorBox(w.HTML):
    """A friendly, escaped message shown instead of a traceback; its text form starts with 'ERROR:'."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(CSS + html_box("<b>This activity cannot open.</b><br>" + esc(message).replace("\n", "<br>"), "ps-error"))

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data = dict((data[0] if isinstance(data, tuple) else data) or {})
        data["text/plain"] = "ERROR: This activity cannot open. " + self.message
        return data


def error_widget(message: str) -> ErrorBox:
    return ErrorBox(message)
