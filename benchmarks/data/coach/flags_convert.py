"""Convert a flag table source (flags-own.txt format, see its header) to JSON lines on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def convert(text: str) -> list[dict]:
    rows, family, context = [], None, None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            family, context = line[3:].strip(), None
        elif line.startswith("@"):
            context = None if line.strip() == "@-" else line[1:].strip()
        elif line[:2] in ("+ ", "- "):
            rows.append({"family": family, "label": "positive" if line[0] == "+" else "negative",
                         "text": line[2:].strip(), "context": context})
        else:
            raise ValueError(f"cannot read line: {line!r}")
    return rows


if __name__ == "__main__":
    for path in sys.argv[1:]:
        for row in convert(Path(path).read_text(encoding="utf-8")):
            print(json.dumps(row, ensure_ascii=False))
