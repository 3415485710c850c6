"""Turn the authored `*.txt` label files into JSON lines (format: see README.md next to this file).

    python benchmarks/data/coach/convert.py benchmarks/data/coach/eval-*.txt > benchmarks/data/coach/eval.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BEHAVIOUR = {"Q": "question", "R": "reflection", "A": "affirmation", "I": "information",
             "V": "advice", "S": "self_disclosure", "O": "other"}
QTYPE = {"o": "open", "c": "closed", "-": None}
RTYPE = {"s": "simple", "c": "complex", "-": None}
FLAGS = {"stigma_language", "why_question", "advice_without_permission", "minimizing", "diagnosing",
         "medication_advice", "secrecy_promise", "missed_safety"}


def parse(path: Path):
    context = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            rest = line[1:].strip()
            context = None if rest == "-" else rest
            continue
        head, sep, response = line.partition(" | ")
        parts = head.split()
        if not sep or len(parts) not in (6, 7):
            raise SystemExit(f"{path}:{n}: cannot parse: {raw!r}")
        b, qt, rt, er, ip, ex = parts[:6]
        flags = sorted(parts[6].split(",")) if len(parts) == 7 else []
        unknown = set(flags) - FLAGS
        if b not in BEHAVIOUR or qt not in QTYPE or rt not in RTYPE or unknown:
            raise SystemExit(f"{path}:{n}: bad label in {raw!r} {sorted(unknown)}")
        if (b == "R") != (rt != "-"):
            raise SystemExit(f"{path}:{n}: reflection_type must be set exactly when behaviour is R")
        yield {
            "id": f"{path.stem}-{n}",
            "context": context,
            "response": response.strip(),
            "behaviour": BEHAVIOUR[b],
            "question_type": QTYPE[qt],
            "reflection_type": RTYPE[rt],
            "empathy": {"emotional_reactions": int(er), "interpretations": int(ip), "explorations": int(ex)},
            "flags": flags,
        }


def main(argv: list[str]) -> None:
    for name in argv:
        for item in parse(Path(name)):
            print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
