"""The scenario player: an ipywidgets view over the Engine.

Order on screen: content note (first), persona card, progress, the person's words, feedback on the
last choice, the choices as buttons, and at an ending the debrief and the full transcript.
Progress is saved as JSON after every choice (see `progress_dir`) and restored on reopening.
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as w

from ..order import trainee
from ..scenarios import Engine, ProgressError, Scenario, load_library
from .common import QUALITY_WORDS, error_widget, esc, html_box, style


def progress_dir() -> Path:
    """Where scenario progress is kept: $PEERSUPPORT_PROGRESS_DIR or ~/.peersupport/progress (never uploaded)."""
    return Path(os.environ.get("PEERSUPPORT_PROGRESS_DIR") or Path.home() / ".peersupport" / "progress")


class ScenarioPlayer(w.VBox):
    def __init__(self, scenario: Scenario, ref: str | None = None, save: bool = True):
        self.scenario = scenario
        self.ref = ref or scenario.id
        self._save_path = progress_dir() / (self.ref.replace("/", "__") + ".json") if save else None
        self.engine, resumed = self._restore()
        p = scenario.persona
        header = f"<h3 style='margin:4px 0'>{esc(scenario.title)}</h3>"
        if scenario.content_note:
            header += html_box(f"<b>Content note:</b> {esc(scenario.content_note)}", "ps-note")
        header += html_box(
            f"<b>{esc(p.name)}</b> ({esc(p.pronouns)}), {p.age} &middot; {esc(p.setting)}<br>{esc(p.background)}"
        )
        self.header = w.HTML(header)
        self.progress_bar = w.IntProgress(value=0, min=0, max=1, description="Progress", layout=w.Layout(width="60%"))
        self.progress_label = w.Label()
        self.says = w.HTML()
        self.feedback = w.HTML()
        self.choice_box = w.VBox(layout=w.Layout(width="100%"))
        self.ending = w.HTML()
        self.restart_button = w.Button(
            description="Restart", icon="refresh", tooltip="Start this conversation again from the beginning"
        )
        self.restart_button.on_click(lambda _b: self.restart())
        # free-text practice mode: type your own reply to this moment and get the coach's feedback
        self.write_toggle = w.ToggleButton(
            value=False, description="Write my own reply first", icon="pencil",
            tooltip="Type your own reply to what they just said, get feedback from the coach, then pick a reply below",
        )
        self.write_toggle.observe(lambda _c: self._render_practice(), names="value")
        self.practice_box = w.VBox(layout=w.Layout(width="100%"))
        self.last_step = None
        self.notice = "Welcome back: you are where you left off." if resumed else ""
        super().__init__(
            [style(), self.header, w.HBox([self.progress_bar, self.progress_label]), self.says, self.feedback,
             self.write_toggle, self.practice_box, self.choice_box, self.ending, self.restart_button],
            layout=w.Layout(width="100%", max_width="860px"),
        )
        self.add_class("ps-scenario")
        self._render()

    # -- persistence -----------------------------------------------------------------------------
    def _restore(self) -> tuple[Engine, bool]:
        if self._save_path and self._save_path.is_file():
            try:
                return Engine.from_json(self.scenario, self._save_path.read_text(encoding="utf-8")), True
            except (OSError, ProgressError):
                pass  # saved progress from older content: start fresh
        return Engine(self.scenario), False

    def _save(self) -> None:
        if not self._save_path:
            return
        try:
            self._save_path.parent.mkdir(parents=True, exist_ok=True)
            self._save_path.write_text(self.engine.to_json(), encoding="utf-8")
        except OSError:
            pass  # practice still works if the disk is read-only

    # -- actions -----------------------------------------------------------------------------------
    def choose(self, choice_id: str) -> None:
        self.last_step = self.engine.choose(choice_id)
        self.notice = ""
        self._save()
        self._render()

    def restart(self) -> None:
        self.engine.restart()
        self.last_step = None
        self.notice = ""
        self._save()
        self._render()

    @property
    def buttons(self) -> list[w.Button]:
        return list(self.choice_box.children)

    # -- drawing -----------------------------------------------------------------------------------
    def _render(self) -> None:
        eng, name = self.engine, self.scenario.persona.name
        done, total = eng.progress()
        self.progress_bar.max = max(total, 1)
        self.progress_bar.value = done
        self.progress_label.value = (
            f"Conversation finished after {done} choice{'s' if done != 1 else ''}" if eng.finished else f"Choice {done + 1} of about {total}"
        )
        fb = ""
        if self.notice:
            fb += html_box(esc(self.notice), "ps-fb")
        if self.last_step is not None:
            c = self.last_step.choice
            fb += html_box(
                f"You said: &ldquo;{esc(c.text)}&rdquo;<br><span class='ps-label'>{esc(QUALITY_WORDS[c.quality])}.</span> "
                f"{esc(c.feedback)}",
                f"ps-fb ps-{c.quality}",
                role="status",
            )
        self.feedback.value = fb
        if eng.finished:
            self._render_ending(name)
            return
        node = self.scenario.nodes[eng.current_id]
        says = f"<div class='ps-says'><b>{esc(name)}:</b> {esc(node.says)}</div>"
        if node.notice:
            says += f"<div class='ps-notice'>You notice: {esc(node.notice)}</div>"
        self.says.value = says + "<div><b>How do you respond?</b></div>"
        buttons = []
        for i, c in enumerate(node.choices):
            b = w.Button(
                description=f"{chr(65 + i)}. {c.text}",
                tooltip=f"Reply {chr(65 + i)}: {c.text}",
                layout=w.Layout(width="100%", height="auto"),
            )
            b.add_class("ps-choice")
            b.on_click(lambda _b, cid=c.id: self.choose(cid))
            buttons.append(b)
        self.choice_box.children = buttons
        self.ending.value = ""
        self.write_toggle.layout.display = None
        self._render_practice()

    def _render_practice(self) -> None:
        """Show a practice box for the current moment while the toggle is on (a fresh one at each node)."""
        from .practice import PracticeWidget  # the coach loads only when a trainee asks for it

        if not self.write_toggle.value or self.engine.finished:
            self.practice_box.children = []
            return
        said = self.scenario.nodes[self.engine.current_id].says
        current = self.practice_box.children
        if not (current and getattr(current[0], "context", None) == said):
            self.practice_box.children = [PracticeWidget(said)]

    def _render_ending(self, name: str) -> None:
        end = self.engine.ending
        assert end is not None
        score = self.engine.score()
        self.choice_box.children = []
        self.practice_box.children = []
        self.write_toggle.layout.display = "none"
        self.says.value = f"<div class='ps-says'><b>{esc(name)}:</b> {esc(end.says)}</div>" if end.says else ""
        d = end.debrief
        counts = ", ".join(f"{n} {QUALITY_WORDS[q].lower()}" for q, n in score.by_quality.items() if n)
        self.ending.value = html_box(
            f"<b>Debrief</b> ({esc(end.outcome)} ending). Your replies: {esc(counts)}; "
            f"{score.points} of {score.max_points} points.<br>"
            f"<b>What went well:</b> {esc(d.went_well)}<br><b>What to try:</b> {esc(d.try_next)}<br>"
            + "".join(f"<b>On your path:</b> {esc(t)}<br>" for t in self.engine.debrief_notes()) +
            f"<b>Key point:</b> {esc(d.key_point)}",
            "ps-card",
            role="status",
        ) + "<details open><summary><b>Full transcript</b></summary>" + html_box(
            f"<div class='ps-pre'>{esc(self.engine.transcript())}</div>"
        ) + "</details>"

    # -- text fallback -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if isinstance(data, tuple):
            data = data[0]
        data = dict(data or {})
        data["text/plain"] = self.engine.transcript() + "\n\n(Open this notebook in JupyterLab to choose replies.)"
        return data


def play(ref: str, save: bool = True):
    """The widget for scenario `module-slug/scenario-id`, or a friendly message if it cannot open."""
    try:
        lib = load_library()
        return ScenarioPlayer(lib.scenario(ref).arranged(trainee()), ref=ref, save=save)
    except (KeyError, FileNotFoundError) as exc:
        return error_widget(exc.args[0] if exc.args else str(exc))


def transcript(ref: str) -> str:
    return Engine(load_library().scenario(ref).arranged(trainee())).transcript()
