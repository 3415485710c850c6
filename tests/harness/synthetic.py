"""A synthetic cohort of submissions, for dry runs, the tests and the grading benchmark.

Every submission is written straight into nbgrader's ``submitted/<trainee>/<assignment>/`` folder
the way ``collect`` leaves it (the notebook, ``my-answers.json`` if any, ``timestamp.txt``). Answers
are typed into the answer cells, as a trainee who prefers typing does. The profiles cover what an
instructor meets after a deadline, including submissions that must not stop the others:

- ``full``: the reference answers, and written answers in the trainee's own words
- ``partial``: a seeded mix of right, wrong and blank answers
- ``blank``: the released notebook handed in untouched
- ``broken``: a notebook file that is not valid JSON (a truncated upload)
- ``timeout``: an answer cell that never finishes (an infinite loop)
- ``exit``: an answer cell that ends Python (``os._exit``)
- ``deletes``: an answer cell that deletes files in its folder
- ``flood``: an answer cell that prints a huge output
- ``tamper``: a hidden test cell edited to award itself points (nbgrader restores it)
- ``kill-grader``: an answer cell that kills the grading process above its kernel (the
  ``peersupport grade`` worker, found through /proc; under plain nbgrader, the kernel's parent)
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import nbformat

from peersupport.grading.authoring import Spec, reference_typed

PROFILES = ("full", "partial", "blank", "broken", "timeout", "exit", "deletes", "flood", "tamper", "kill-grader")
HOSTILE_CODE = {
    "timeout": "while True:\n    pass",
    "exit": "import os\nos._exit(3)",
    "deletes": ("import os, glob\nfor f in glob.glob('*'):\n    os.remove(f)\n"
                "open('my-answers.json', 'w').write('not json')"),
    "flood": "print('flood ' * 200_000)\nfor _ in range(2000):\n    print('x' * 2000)",
    "kill-grader": ("import os, signal\npid = os.getppid()\n"
                    "while pid > 1 and b'peersupport.instructor.autograde.worker' not in open(f'/proc/{pid}/cmdline', 'rb').read():\n"
                    "    pid = int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
                    "os.kill(pid if pid > 1 else os.getppid(), signal.SIGKILL)"),
}
WRITTEN = [
    "It hurts that after everything you have put into your recovery, your mom still watches you like you might be using.",
    "Your mom checks your arms when you visit, and that's frustrating.",
    "Have you told your mom how that makes you feel?",
    "She's just worried about you. Give it time and she'll trust you again.",
    ("So you can't go back to framing, the work you've done since seventeen, and that leaves you wondering who you "
     "are now. The meetings and your sponsor keep you steady. Did I get that right?"),
    "You can't work construction anymore and you're going to meetings. Is that right?",
    "You've lost your job and you're worried. Maybe you could look into retraining.",
    "At least you still have your sponsor!",
]
TIMESTAMP = "2026-11-20 17:00:00.000000 UTC"


def random_typed(item, rng: random.Random, who: str) -> str:
    """A plausible typed answer, right or wrong; '' leaves the item blank."""
    if rng.random() < 0.15:
        return ""
    if rng.random() < 0.45:
        return reference_typed(item, who)
    letters = [chr(65 + i) for i in range(len(item.options))]
    if item.kind == "single":
        return rng.choice(letters)
    if item.kind == "multiple":
        return ", ".join(sorted(rng.sample(letters, rng.randint(1, len(letters)))))
    if item.kind == "classify":
        return ", ".join(rng.choice(list(item.categories)) for _ in item.statements)
    return rng.choice(["B, A, B, A", reference_typed(item, who)])


def _cells(nb) -> dict[str, nbformat.NotebookNode]:
    return {c.metadata.get("nbgrader", {}).get("grade_id", ""): c for c in nb.cells}


def answer_notebook(release_nb: Path, spec: Spec, profile: str, rng: random.Random, who: str) -> nbformat.NotebookNode:
    """The released notebook answered by trainee `who` (typed letters are the ones `who` sees)."""
    nb = nbformat.read(release_nb, as_version=4)
    if profile == "blank":
        return nb
    cells = _cells(nb)
    for item in spec.items:
        typed = reference_typed(item, who) if profile != "partial" else random_typed(item, rng, who)
        cells[f"{item.id}-typed"].source = f'answer("{item.id}", "{typed}")'
    for i, w in enumerate(spec.written):
        pool = WRITTEN[4 * (i % 2): 4 * (i % 2) + 4]
        text = pool[0] if profile == "full" else rng.choice(pool + ["Replace this line with your answer, in your own words."])
        cells[f"{w.id}-answer"].source = text
    if profile in HOSTILE_CODE:
        first = spec.items[min(2, len(spec.items) - 1)].id
        cells[f"{first}-typed"].source = HOSTILE_CODE[profile]
    if profile == "tamper":
        cells[f"{spec.items[0].id}-test"].source = f"{spec.items[0].points:g}"
        cells[f"{spec.items[1].id}-test"].source = "1000"
    return nb


def write_submission(submitted: Path, trainee: str, spec: Spec, release_nb: Path, profile: str,
                     seed: int = 0) -> Path:
    """Write one trainee's submission; returns its folder."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    rng = random.Random(f"{seed}:{trainee}")
    folder = submitted / trainee / spec.assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / release_nb.name
    if profile == "broken":
        text = release_nb.read_text(encoding="utf-8")
        target.write_text(text[: len(text) // 2], encoding="utf-8")
    else:
        nbformat.write(answer_notebook(release_nb, spec, profile, rng, trainee), target)
    if profile == "full":  # a clicker: one answer saved by the widget as well (the typed one wins)
        (folder / "my-answers.json").write_text(json.dumps({"version": 1, "answers": {}}), encoding="utf-8")
    (folder / "timestamp.txt").write_text(TIMESTAMP, encoding="utf-8")
    return folder


def cohort_profiles(n: int, hostile: bool = True) -> dict[str, str]:
    """Trainee id -> profile for a cohort of n: mostly full and partial, a few blank, broken and hostile."""
    special = ["blank", "blank", "broken", "timeout"] + (["exit", "deletes", "flood", "tamper", "kill-grader"] if hostile else [])
    out = {}
    for i in range(n):
        profile = special[i] if i < len(special) and i < n // 2 else ("full" if i % 3 == 0 else "partial")
        out[f"trainee-{i + 1:03d}"] = profile
    return out


def write_cohort(submitted: Path, spec: Spec, release_nb: Path, profiles: dict[str, str], seed: int = 0) -> None:
    for trainee, profile in profiles.items():
        write_submission(submitted, trainee, spec, release_nb, profile, seed)
