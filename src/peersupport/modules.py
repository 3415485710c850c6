"""Teaching notebooks: their front matter (notebook metadata 'peersupport') and required sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .scenarios.models import ModuleMeta

REQUIRED_HEADINGS = (
    "## Key questions",
    "## Learning objectives",
    "## Practice: scenarios",
    "## Practice: your own words",
    "## Knowledge check",
    "## Key points",
    "## References",
    "## If you need support now",
)
#: Sections that are not teaching text (left out of the reading-level measure).
NOT_TEACHING = ("## References", "## If you need support now")
SPOT_THE_PROBLEM = re.compile(r"^> \*\*Spot the problem:?\*\*.*?(?=^(?!>)|\Z)", re.MULTILINE | re.DOTALL)
CALL = re.compile(r"""\b(play|knowledge_check|practice)\(\s*(["'])(.*?)\2\s*\)""")
FILENAME = re.compile(r"^(\d\d)-([a-z0-9-]+)\.ipynb$")


@dataclass
class Module:
    path: Path
    meta: ModuleMeta
    nb: nbformat.NotebookNode

    @property
    def markdown(self) -> list[str]:
        return [c.source for c in self.nb.cells if c.cell_type == "markdown"]

    @property
    def code(self) -> list[str]:
        return [c.source for c in self.nb.cells if c.cell_type == "code"]

    def headings(self) -> list[str]:
        return [line.strip() for src in self.markdown for line in src.splitlines() if line.startswith("## ")]

    def calls(self, name: str) -> list[str]:
        return [m.group(3) for src in self.code for m in CALL.finditer(src) if m.group(1) == name]

    def teaching_text(self, keep_examples: bool = True) -> str:
        """Markdown of the teaching sections; without 'Spot the problem' examples if keep_examples is False."""
        parts = []
        for src in self.markdown:
            if src.lstrip().startswith(NOT_TEACHING):
                continue
            parts.append(src if keep_examples else SPOT_THE_PROBLEM.sub("", src))
        return "\n\n".join(parts)


def load_module(path: Path) -> Module:
    nb = nbformat.read(path, as_version=4)
    meta = ModuleMeta.model_validate(nb.metadata.get("peersupport", {}))
    return Module(path=path, meta=meta, nb=nb)


def module_paths(root: Path) -> list[Path]:
    return sorted((root / "modules").glob("[0-9][0-9]-*.ipynb"))


def plain_text(markdown: str) -> str:
    """Markdown to plain prose for reading-level measures: no links, emphasis, headings or bullets."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"^\s*(#+|[-*]|\d+\.|>)\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"[*_`|]", "", text)
    # headings and list items without end punctuation count as sentences of their own
    return "\n".join(line if re.search(r"[.!?:]$", line.strip()) or not line.strip() else line + "." for line in text.splitlines())
