"""Widgets, clicked from Python: what the trainee sees after each click; hostile text stays text."""

import copy
from pathlib import Path

import ipywidgets as w
import pytest
import yaml

from peersupport.scenarios import KnowledgeCheck, Scenario, load_library
from peersupport.widgets.common import ErrorBox
from peersupport.widgets.quiz import KnowledgeCheckView, grade_question, knowledge_check
from peersupport.widgets.scenario import ScenarioPlayer, play

REPO = Path(__file__).resolve().parents[2]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) & "quotes"'


@pytest.fixture(autouse=True)
def _progress_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERSUPPORT_PROGRESS_DIR", str(tmp_path / "progress"))
    monkeypatch.setenv("PEERSUPPORT_TRAINEE", "trainee-one")
    monkeypatch.chdir(REPO)


def click(p: ScenarioPlayer, choice_id: str) -> None:
    """Click the button of reply `choice_id`, wherever this trainee's order put it."""
    p.buttons[[c.id for c in p.engine.choices].index(choice_id)].click()


def click_best(p: ScenarioPlayer) -> None:
    click(p, next(c.id for c in p.engine.choices if c.quality == "helpful"))


def all_html(widget) -> str:
    """Every HTML/Label value and button label in a widget tree."""
    out = []
    stack = [widget]
    while stack:
        x = stack.pop()
        if isinstance(x, (w.HTML, w.Label)):
            out.append(x.value)
        if isinstance(x, (w.Button, w.Checkbox)):
            out.append(x.description)
        stack.extend(getattr(x, "children", ()))
    return "\n".join(out)


def hostile_scenario() -> Scenario:
    data = yaml.safe_load((REPO / "tests/fixtures/scenarios/valid-minimal.yaml").read_text())
    data["title"] = HOSTILE[:100]
    data["content_note"] = HOSTILE
    data["persona"]["name"] = "<b>Ana</b>"
    data["persona"]["background"] = "She writes <script>. She likes *stars* and # headings."
    node = data["nodes"]["opening"]
    node["says"] = HOSTILE + " " + "very long words " * 80
    node["notice"] = "<iframe src=x>"
    node["choices"][0]["text"] = "<button onclick=alert(1)>press</button>"
    node["choices"][0]["feedback"] = HOSTILE  # choice 'b'

    data["endings"]["end-good"]["debrief"]["key_point"] = "</div><script>bad()</script>"
    return Scenario.model_validate(data)


def test_player_shows_note_first_then_persona_then_words():
    p = play("active-listening/first-visit")
    assert isinstance(p, ScenarioPlayer)
    assert "Marisol" in p.header.value and "52" in p.header.value
    assert "My son said I should come." in p.says.value
    assert "She keeps her coat on" in p.says.value
    assert [b.description[:2] for b in p.buttons] == ["A.", "B.", "C."]
    assert all(b.tooltip.startswith("Reply ") for b in p.buttons)
    assert p.progress_label.value == "Choice 1 of about 3"


def test_clicking_shows_feedback_then_next_node():
    p = play("active-listening/first-visit")
    click(p, next(c.id for c in p.engine.choices if c.quality == "harmful"))
    assert "Could cause harm." in p.feedback.value
    assert "Do you have a drinking problem?" in p.feedback.value
    assert 'role="status"' in p.feedback.value
    assert "Look, I&#x27;m fine." in p.says.value
    click_best(p)
    assert "Helpful." in p.feedback.value
    assert p.engine.current_id == "son"


def test_playing_to_an_ending_shows_debrief_and_transcript():
    p = play("active-listening/first-visit")
    for _ in range(3):
        click_best(p)
    assert p.buttons == []
    assert "Debrief" in p.ending.value and "6 of 6 points" in p.ending.value
    assert "Full transcript" in p.ending.value
    assert "You: Thanks for coming in." in p.ending.value
    assert p.progress_label.value == "Conversation finished after 3 choices"
    p.restart_button.click()
    assert p.engine.current_id == "opening" and len(p.buttons) == 3 and p.ending.value == ""


def test_progress_is_saved_and_restored(tmp_path):
    p = play("active-listening/first-visit")
    click_best(p)
    saved = tmp_path / "progress" / "active-listening__first-visit.json"
    assert saved.is_file()
    again = play("active-listening/first-visit")
    assert again.engine.current_id == "son" and "Welcome back" in again.feedback.value
    saved.write_text("{broken", encoding="utf-8")
    fresh = play("active-listening/first-visit")
    assert fresh.engine.current_id == "opening"


def test_unknown_scenario_gives_a_friendly_message():
    box = play("active-listening/first-vist")
    assert isinstance(box, ErrorBox)
    assert "Did you mean: active-listening/first-visit" in box.value
    assert box._repr_mimebundle_()["text/plain"].startswith("ERROR:")


def test_text_fallback():
    p = play("active-listening/first-visit")
    text = p._repr_mimebundle_()["text/plain"]
    assert text.startswith("A first visit to the drop-in centre")
    assert "Open this notebook in JupyterLab" in text
    assert "application/vnd.jupyter.widget-view+json" in p._repr_mimebundle_()


def test_hostile_text_is_escaped_everywhere():
    s = hostile_scenario()
    p = ScenarioPlayer(s, save=False)
    click(p, "b")
    html = all_html(p)
    for raw in ("<script", "<img", "<iframe", "<button", "</div><script>", "<b>Ana</b>"):
        assert raw not in html.replace("<b>Debrief</b>", ""), raw
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "**bold**" in html  # markdown stays literal text
    assert p.engine.finished


def test_knowledge_check_gives_instant_feedback():
    data = {
        "id": "demo",
        "title": "Demo <check>",
        "questions": [
            {"id": "q1", "prompt": "Which is open?", "competency": "open-questions", "options": [
                {"text": "Are you OK?", "feedback": "Closed: yes or no."},
                {"text": "What is on your mind?", "correct": True, "feedback": "Open: it invites a story."}]},
            {"id": "q2", "prompt": "Tick the reflections <b>", "multiple": True, "competency": "reflecting-feeling", "options": [
                {"text": "You sound tired.", "correct": True, "feedback": "A reflection of feeling."},
                {"text": "So the bus was late again.", "correct": True, "feedback": "A reflection of content."},
                {"text": "Why were you late?", "feedback": "A why question can sound like blame."}]},
        ],
    }
    view = KnowledgeCheckView(KnowledgeCheck.model_validate(data))
    q1, q2 = view.questions
    q1.check_button.click()
    assert "Pick an answer first" in q1.feedback.value
    q1.select(0)
    q1.check_button.click()
    assert "Not quite" in q1.feedback.value and "Closed: yes or no." in q1.feedback.value
    q1.select(1)
    q1.check_button.click()
    assert "Yes, that's right." in q1.feedback.value
    q2.select(0, 2)
    q2.check_button.click()
    assert "Partly right." not in q2.feedback.value and "Not quite" in q2.feedback.value
    q2.select(0)
    q2.check_button.click()
    assert "Partly right." in q2.feedback.value and "You also could have chosen" in q2.feedback.value
    assert "Checked 2 of 2 questions; 1 fully right." in view.summary.value
    assert "&lt;b&gt;" in all_html(view) and "Demo &lt;check&gt;" in all_html(view)


def test_partial_credit_for_multiple_select():
    q = KnowledgeCheck.model_validate({"id": "x", "title": "Test", "questions": [
        {"id": "q", "prompt": "Pick the two", "multiple": True, "competency": "attending", "options": [
            {"text": "a", "correct": True, "feedback": "yes a"}, {"text": "b", "correct": True, "feedback": "yes b"},
            {"text": "c", "feedback": "not c"}]}]}).questions[0]
    assert grade_question(q, {0, 1}) == (True, 1.0)
    assert grade_question(q, {0}) == (False, 0.5)
    assert grade_question(q, {0, 2}) == (False, 0.0)
    assert grade_question(q, {2}) == (False, 0.0)


def test_every_repository_knowledge_check_opens():
    lib = load_library(REPO / "scenarios")
    for module in lib.knowledge_checks:
        view = knowledge_check(module)
        assert isinstance(view, KnowledgeCheckView), module
        assert "Not graded" in all_html(view)
    assert isinstance(knowledge_check("no-such-module"), ErrorBox)


def test_hostile_scenario_model_copy_is_unchanged():
    s = hostile_scenario()
    before = copy.deepcopy(s.model_dump())
    ScenarioPlayer(s, save=False).buttons[0].click()
    assert s.model_dump() == before


def test_free_text_practice_mode_inside_a_scenario():
    p = play("active-listening/first-visit")
    assert p.practice_box.children == ()
    p.write_toggle.value = True
    box = p.practice_box.children[0]
    assert box.context.startswith("My son said I should come.")
    box.textarea.value = "Why did you wait so long to stop drinking, you alcoholic?"
    box.button.click()
    shown = box.output.value
    assert "&ldquo;" in shown and "<mark" in shown
    assert "alcoholic" in shown.lower()
    p.buttons[0].click()  # the next moment gets a fresh practice box with its own context
    assert p.practice_box.children[0].context.startswith("He worries.")
    p.write_toggle.value = False
    assert p.practice_box.children == ()
    for _ in range(2):
        p.buttons[0].click()
    assert p.engine.finished and p.practice_box.children == () and p.write_toggle.layout.display == "none"


def test_each_trainee_sees_a_stable_order_of_their_own(monkeypatch):
    """Same trainee, same order after a reload; another trainee mostly a different one; saved by id."""
    lib = load_library()
    refs = sorted(lib.scenarios)

    def orders(who):
        monkeypatch.setenv("PEERSUPPORT_TRAINEE", who)
        return {ref: [c.id for c in play(ref, save=False).engine.choices] for ref in refs}

    first, again, other = orders("trainee-one"), orders("trainee-one"), orders("trainee-two")
    assert first == again
    differ = sum(first[r] != other[r] for r in refs)
    assert differ >= 0.5 * len(refs), f"only {differ} of {len(refs)} first nodes differ between two trainees"
    # the file order is not what the trainee sees
    assert sum(first[r] != [c.id for c in lib.scenarios[r].nodes[lib.scenarios[r].start].choices] for r in refs) >= 0.5 * len(refs)
    p = play(refs[0])
    shown = [c.id for c in p.engine.choices]
    p.buttons[1].click()
    assert p.engine.history[0].choice.id == shown[1]  # the second button is the second reply shown, stored by id


def test_knowledge_check_options_are_shuffled_per_trainee(monkeypatch):
    def texts(who):
        monkeypatch.setenv("PEERSUPPORT_TRAINEE", who)
        return [[o.text for o in q.q.options] for q in knowledge_check("active-listening").questions]

    one, two = texts("trainee-one"), texts("trainee-two")
    assert texts("trainee-one") == one and one != two
    assert [sorted(x) for x in one] == [sorted(x) for x in two]  # the same options, another order
