"""The coach on the blind behaviour set (benchmarks/data/blind/behaviours.jsonl, written by someone who had
not seen the rules: typed and spoken supporter replies), beside one-line baselines on the same items.

    .venv/bin/python benchmarks/coach_blind.py

Measured once, after the rules were frozen; its items were not looked at for tuning.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from coach_metrics import binary, macro_f1, print_rows

from peersupport.coach import analyze_many

DATA = ROOT / "benchmarks" / "data" / "blind" / "behaviours.jsonl"
#: a second blind set, written after round 5 of the rules by a writer who had not seen them (never tuned on)
SETS = (DATA, ROOT / "benchmarks" / "data" / "blind3" / "behaviours.jsonl")
LABELS = ("open-question", "closed-question", "simple-reflection", "complex-reflection", "affirmation", "advice",
          "other")
_WH = re.compile(r"\b(?:what|how|why)\b", re.IGNORECASE)
_ADV = re.compile(r"\b(?:should|try|maybe|could)\b", re.IGNORECASE)
_AFF = re.compile(r"\b(?:you.re|you are|you.ve|great|proud|strong|brave|courage)\b", re.IGNORECASE)
_REFL = re.compile(r"^\W*(?:so\s+)?(?:it\s+)?(?:sounds?|seems?|you\s+(?:feel|are|seem|sound)|you.re)\b", re.IGNORECASE)


def coach_label(fb) -> str:
    b = fb.behaviour
    if b == "question":
        return f"{fb.question_type or 'closed'}-question"
    if b == "reflection":
        return f"{fb.reflection_type or 'simple'}-reflection"
    if b in ("affirmation", "advice"):
        return b
    return "other"


def baseline(t: str) -> str:
    """One line: `?` with what/how/why is open, other `?` closed; should/try advice; 'sounds/you feel'
    reflection (complex if over 12 words); 'you're/great/proud' affirmation; else other."""
    return ("open-question" if "?" in t and _WH.search(t) else "closed-question" if "?" in t
            else "advice" if _ADV.search(t) else ("complex-reflection" if len(t.split()) > 12 else "simple-reflection")
            if _REFL.search(t) else "affirmation" if _AFF.search(t) else "other")


def figures(items):
    fbs = analyze_many([i["text"] for i in items], [i.get("context") for i in items])
    gold = [i["label"] for i in items]
    pred = [coach_label(fb) for fb in fbs]
    shown = [fb.shown_behaviour is not None for fb in fbs]
    base = [baseline(i["text"]) for i in items]
    rows = [("7 labels (macro-F1)", macro_f1(gold, pred, LABELS), None, None, macro_f1(gold, base, LABELS), None,
             "`?`+what/how/why, should/try, sounds/you feel, you're/great")]
    main = lambda lab: lab.split("-")[-1] if "-" in lab else lab
    rows.append(("main behaviour, 5 classes (macro-F1)", macro_f1([main(g) for g in gold], [main(p) for p in pred],
                 ("question", "reflection", "affirmation", "advice", "other")), None, None,
                 macro_f1([main(g) for g in gold], [main(b) for b in base],
                          ("question", "reflection", "affirmation", "advice", "other")), None, "same rule"))
    q = [(g, p, b) for g, p, b in zip(gold, pred, base) if g.endswith("question")]
    rows.append(("open vs closed (gold questions)", macro_f1([g for g, _, _ in q], [p for _, p, _ in q],
                 ("open-question", "closed-question")), None, None,
                 macro_f1([g for g, _, _ in q], [("open-question" if _WH.search(t["text"]) else "closed-question")
                                                 for t in items if t["label"].endswith("question")],
                          ("open-question", "closed-question")), None, "a wh-word anywhere"))
    r = [(g, p, i) for g, p, i in zip(gold, pred, items) if g.endswith("reflection")]
    rows.append(("simple vs complex (gold reflections)", macro_f1([g for g, _, _ in r], [p for _, p, _ in r],
                 ("simple-reflection", "complex-reflection")), None, None,
                 macro_f1([g for g, _, _ in r], ["complex-reflection" if len(i["text"].split()) > 12 else
                                                 "simple-reflection" for _, _, i in r],
                          ("simple-reflection", "complex-reflection")), None, "over 12 words is complex"))
    for lab in LABELS:
        g = [x == lab for x in gold]
        p = [x == lab for x in pred]
        f, _ = binary(g, p)
        disp = [a and s for a, s in zip(p, shown)]
        rows.append((f"{lab} (F1)", f, binary(g, disp)[1], sum(disp) / max(1, sum(p)),
                     *binary(g, [x == lab for x in base]), "same rule"))
    return rows


def main() -> int:
    for data in SETS:
        if not data.exists():
            print(f"{data} not present: skipped")
            continue
        items = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"blind behaviour set ({data.relative_to(ROOT)}): {len(items)} replies, typed, spoken and formal")
        print_rows(figures(items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
