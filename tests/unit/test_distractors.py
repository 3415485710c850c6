"""Distractor analysis: counts per option from handed-in answers, and the two flags."""

import json
from pathlib import Path

from peersupport.grading.authoring import load_spec
from peersupport.instructor.reports.distractors import distractor_table, flags

REPO = Path(__file__).resolve().parents[2]
A = "active-listening"


def test_counts_and_flags_from_handed_in_answers(tmp_path):
    spec = load_spec(REPO / "autograder/items" / f"{A}.yaml")
    single = next(i for i in spec.items if i.kind == "single")
    wrong = [o for o in single.options if o != single.key]
    # six trainees: four pick one distractor, two pick the key; nobody picks the other distractors
    picks = [wrong[0]] * 4 + [single.key] * 2
    for n, pick in enumerate(picks):
        folder = tmp_path / "autograded" / f"t{n}" / A
        folder.mkdir(parents=True)
        (folder / "my-answers.json").write_text(json.dumps({"version": 1, "trainee": f"t{n}", "answers": {single.id: pick}}))
    (tmp_path / "autograded" / "broken" / A).mkdir(parents=True)
    (tmp_path / "autograded" / "broken" / A / "my-answers.json").write_text("{not json")
    table = distractor_table(REPO, tmp_path / "autograded", [A])
    rows = table[table["item"] == single.id].set_index("option")
    assert rows.loc[wrong[0], "picked"] == 4 and rows.loc[single.key, "picked"] == 2
    assert set(rows["answered"]) == {6}
    found = flags(table)
    mine = found[found["item"] == single.id]
    assert "a distractor draws more trainees than the key" in set(mine["flag"])
    unpicked = set(mine[mine["flag"] == "nobody picks this distractor"]["option"])
    assert unpicked == set(wrong[1:])
    assert found[found["item"] != single.id].empty  # nobody answered the other items: too few to judge
