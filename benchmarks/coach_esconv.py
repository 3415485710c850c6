"""The coach on real typed peer-support replies: ESConv supporter turns, beside one-line baselines.

    .venv/bin/python benchmarks/coach_esconv.py               # report on the validation dialogues (held out)
    .venv/bin/python benchmarks/coach_esconv.py --split train --errors Question   # tuning view

Data: ESConv (Liu, Zheng, Demasi, Sabour, Li, Yu, Jiang & Huang, *Towards Emotional Support Dialog
Systems*, ACL 2021; CC BY-NC 4.0, academic research use), read at run time from
../shared/data/esconv/supporter-turns.jsonl and never copied into the project. Skipped when absent.
Rules may be tuned while looking at `train` dialogues; figures are reported on `valid` dialogues.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from coach_metrics import binary, macro_f1, print_rows

from peersupport.coach import analyze_many
from peersupport.coach.decide import decide
from peersupport.coach.flags import muted_sentences
from peersupport.coach.text import sentences


def _muted(item: dict):
    return muted_sentences(sentences(item["text"]), item["text"], item["context"])[0]

DEFAULT = Path(os.environ.get("ESCONV", ROOT.parent / "shared" / "data" / "esconv" / "supporter-turns.jsonl"))
if not DEFAULT.exists():
    DEFAULT = Path("/work/shared/data/esconv/supporter-turns.jsonl")
CITE = "ESConv (Liu et al., ACL 2021; CC BY-NC 4.0), supporter turns"
# The seven strategies (ESConv's two reflection strategies are one MITI code: a reflection).
MERGE = {"Restatement or Paraphrasing": "Reflection", "Reflection of feelings": "Reflection"}
CLASSES = ("Question", "Reflection", "Affirmation and Reassurance", "Providing Suggestions", "Information",
           "Self-disclosure", "Others")
COACH = {"question": "Question", "reflection": "Reflection", "affirmation": "Affirmation and Reassurance",
         "advice": "Providing Suggestions", "information": "Information", "self_disclosure": "Self-disclosure",
         "other": "Others"}

# One-line baselines, one per figure, computed on the same items.
_SUG = re.compile(r"\b(?:should|try|maybe|could|suggest|recommend)\b", re.IGNORECASE)
_REFL = re.compile(r"^(?:so\s+)?(?:it\s+)?(?:sounds?|seems?|you\s+(?:feel|are|seem|sound|must|re)|you're|i\s+hear)\b", re.IGNORECASE)
_ME = re.compile(r"\b(?:i|my|me)\b", re.IGNORECASE)
_AFF = re.compile(r"\b(?:you (?:can|will|are)|great|good|proud|strong|sure|hope)\b", re.IGNORECASE)
_INFO = re.compile(r"\b(?:there (?:is|are)|website|online|program|\d+)\b", re.IGNORECASE)
BASELINE_RULE = {
    "Question": ("`?` present", lambda t: "?" in t),
    "Reflection": ("starts 'sounds/seems/you feel/you are/I hear'", lambda t: bool(_REFL.search(t.strip()))),
    "Affirmation and Reassurance": ("'you can/will/are, great, good, proud, strong, sure, hope'", lambda t: bool(_AFF.search(t))),
    "Providing Suggestions": ("'should/try/maybe/could/suggest/recommend'", lambda t: bool(_SUG.search(t))),
    "Information": ("'there is/are, website, online, program, a number'", lambda t: bool(_INFO.search(t))),
    "Self-disclosure": ("'I/my/me' and no `?`", lambda t: bool(_ME.search(t)) and "?" not in t),
    "Others": ("5 words or fewer", lambda t: len(t.split()) <= 5),
}


def baseline_7(t: str) -> str:
    """One line: `?` is a question, 'should/try/maybe' a suggestion, 'I/my' self-disclosure, else other."""
    return ("Question" if "?" in t else "Providing Suggestions" if _SUG.search(t)
            else "Self-disclosure" if _ME.search(t) else "Others")


def load(path: Path = DEFAULT, split: str = "valid") -> list[dict]:
    if not path.exists():
        return []
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if i["dialog"].startswith(split) and i["text"].strip()]
    for i in items:
        i["gold"] = MERGE.get(i["strategy"], i["strategy"])
    return items


_ENCOURAGING = ("encourage", "affirmation", "reassure")


def coach_strategy(fb, d=None) -> str:
    """The coach's label in ESConv's strategies. ESConv's supporters chose one strategy for a whole turn, by
    its main intent; the coach gives one MITI behaviour. Where the two conventions differ, the coach's own
    sentence acts (`decide`) are read: a question turn that also makes a suggestion in a statement ("Do you
    know anyone there? Maybe you could study with them.") is Providing Suggestions; a reflection or other
    turn that also encourages, affirms or reassures is Affirmation and Reassurance (round 2, tuned on train)."""
    if fb.behaviour == "other" and any(e.label == "reassurance" for e in fb.evidence):
        return "Affirmation and Reassurance"  # the coach's reassurance (a note, not a behaviour of its own)
    if d is not None:
        if fb.behaviour == "question" and any(a.kind == "advice" for a in d.main_acts):
            return "Providing Suggestions"
        if fb.behaviour in ("reflection", "other") and any(a.kind in _ENCOURAGING for a in d.all_acts):
            return "Affirmation and Reassurance"
    return COACH[fb.behaviour]


def figures(items: list[dict]) -> list[tuple]:
    """Rows: (figure, coach F1, coach precision, coverage, baseline F1, baseline precision, baseline rule)."""
    fbs = analyze_many([i["text"] for i in items], [i["context"] for i in items])
    gold = [i["gold"] for i in items]
    pred = [coach_strategy(fb, decide(i["text"], i["context"], _muted(i))) for fb, i in zip(fbs, items)]
    shown = [fb.shown_behaviour is not None for fb in fbs]
    base = [baseline_7(i["text"]) for i in items]
    rows = [("7 strategies (macro-F1)", macro_f1(gold, pred, CLASSES), None, None, macro_f1(gold, base, CLASSES),
             None, "`?` question, should/try suggestion, I/my disclosure")]
    for c in CLASSES:
        g = [x == c for x in gold]
        p = [x == c for x in pred]
        pf, _pp = binary(g, p)
        # precision of the label as displayed: only where the coach names it (it says less when unsure)
        disp = [a and s for a, s in zip(p, shown)]
        dp = binary(g, disp)[1]
        cov = sum(disp) / max(1, sum(p))
        name, rule = BASELINE_RULE[c]
        bf, bp = binary(g, [rule(i["text"]) for i in items])
        rows.append((f"{c} vs rest (F1)", pf, dp, cov, bf, bp, name))
    return rows, fbs, pred


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--split", default="valid", choices=("train", "valid"))
    ap.add_argument("--errors", help="print gold/pred confusions for this gold class (train split only)")
    ap.add_argument("--limit", type=int, default=60)
    args = ap.parse_args(argv)
    items = load(args.data, args.split)
    if not items:
        print(f"ESConv not found at {args.data}: skipped")
        return 0
    rows, _fbs, pred = figures(items)
    print(f"{CITE}, {args.split} dialogues: {len(items)} turns")
    print_rows(rows)
    if args.errors:
        if args.split != "train":
            raise SystemExit("--errors is for the train split only (valid is the reported, held-out part)")
        n = 0
        for i, p in zip(items, pred):
            if (i["gold"] == args.errors) != (p == args.errors):
                print(f"- gold {i['gold'][:12]:<12} pred {p[:12]:<12} | {i['text'][:160]!r}")
                n += 1
                if n >= args.limit:
                    break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
