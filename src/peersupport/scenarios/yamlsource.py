"""Read YAML safely and remember the line of every key, so errors can name it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]
#: libyaml's safe loader when PyYAML was built with it (about 20x faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file: where it is, what is wrong, and how to fix it."""

    file: str
    line: int | None
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.problem} Fix: {self.fix}"


@dataclass
class YamlSource:
    """A parsed YAML document with a map from each key path to its 1-based line number."""

    path: Path
    display: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    duplicates: list[tuple[Loc, int]] = field(default_factory=list)

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class YamlProblem(Exception):
    def __init__(self, error: ContentError):
        super().__init__(str(error))
        self.error = error


def _walk(node: yaml.Node, loc: Loc, src: YamlSource) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                src.duplicates.append(((*loc, key), line))
            seen[key] = line
            src.lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), src)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            src.lines[(*loc, i)] = item.start_mark.line + 1
            _walk(item, (*loc, i), src)


def read_yaml(path: Path, display: str | None = None) -> YamlSource:
    """Parse `path` with the safe loader. Raises YamlProblem with file and line on any failure."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            ContentError(display, None, f"The file is not UTF-8 text ({exc.reason}).", "Save the file as UTF-8.")
        ) from exc
    except OSError as exc:
        raise YamlProblem(ContentError(display, None, f"The file cannot be read ({exc.strerror}).", "Check that it exists and is readable.")) from exc
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()  # parse once: the node tree gives lines, then build the data from it
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = f"The YAML cannot be read: {exc.problem or exc.context}."
        raise YamlProblem(
            ContentError(
                display,
                line,
                problem,
                "Check the indentation (spaces, not tabs) and put quotes around text that contains a colon followed by a space, or starts with a special character such as *, &, !, [ or {.",
            )
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(ContentError(display, None, f"The YAML cannot be read: {exc}.", "Fix the YAML syntax.")) from exc
    src = YamlSource(path=path, display=display, data=data)
    if root is not None:
        src.lines[()] = root.start_mark.line + 1
        _walk(root, (), src)
    return src
