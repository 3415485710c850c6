"""Find and load all content. One bad file never stops the others: errors are collected."""

from __future__ import annotations

import difflib
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import translate
from .integrity import check_knowledge, check_scenario, check_vocabulary
from .models import KnowledgeCheck, Scenario, Vocabulary
from .yamlsource import ContentError, YamlProblem, YamlSource, read_yaml

KNOWLEDGE_DIR = "knowledge-checks"
SCHEMA_DIR = "schema"
_RESERVED = {KNOWLEDGE_DIR, SCHEMA_DIR}

M = TypeVar("M", bound=BaseModel)


def content_root(explicit: str | os.PathLike | None = None) -> Path:
    """The scenarios/ folder: explicit, $PEERSUPPORT_CONTENT, the nearest one above the working
    directory, the repository this package was installed from, or the copy bundled in the wheel."""
    if explicit:
        return Path(explicit).resolve()
    env = os.environ.get("PEERSUPPORT_CONTENT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "scenarios" / "vocabulary.yaml").is_file():
            return d / "scenarios"
    pkg = Path(__file__).resolve().parents[1]
    for candidate in (pkg.parents[1] / "scenarios", pkg / "_content" / "scenarios"):
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    raise FileNotFoundError("No scenarios/ folder with a vocabulary.yaml was found. Set PEERSUPPORT_CONTENT to its path.")


@dataclass
class Library:
    """Everything under scenarios/, loaded and checked."""

    root: Path
    vocabulary: Vocabulary | None = None
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    knowledge_checks: dict[str, KnowledgeCheck] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    files: int = 0

    def scenario(self, ref: str) -> Scenario:
        """A scenario by 'module-slug/scenario-id'. Unknown or broken refs raise a KeyError that says why."""
        if ref in self.scenarios:
            return self.scenarios[ref]
        broken = [e for e in self.errors if e.file.endswith(f"{ref}.yaml")]
        if broken:
            raise KeyError(f"The scenario '{ref}' has errors and cannot be played:\n" + "\n".join(map(str, broken)))
        close = difflib.get_close_matches(ref, list(self.scenarios), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise KeyError(f"There is no scenario called '{ref}'.{hint}")

    def in_module(self, module: str) -> list[str]:
        return sorted(ref for ref in self.scenarios if ref.split("/", 1)[0] == module)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def _parse(path: Path, display: str, model: type[M], errors: list[ContentError]) -> tuple[M | None, YamlSource | None]:
    try:
        src = read_yaml(path, display)
    except YamlProblem as exc:
        errors.append(exc.error)
        return None, None
    if not isinstance(src.data, dict):
        errors.append(ContentError(display, 1, "The file does not hold a mapping of fields (it is empty or a plain list or value).",
                                   f"Start the file with the fields of a {model.__name__}, such as 'id: ...'."))
        return None, src
    try:
        return model.model_validate(src.data), src
    except ValidationError as exc:
        errors.extend(translate(exc, model, src))
        return None, src


def load_vocabulary(root: Path, errors: list[ContentError]) -> Vocabulary | None:
    path = root / "vocabulary.yaml"
    display = _relative(path, root)
    if not path.is_file():
        errors.append(ContentError(display, None, "The controlled vocabulary is missing.", "Create scenarios/vocabulary.yaml."))
        return None
    vocab, src = _parse(path, display, Vocabulary, errors)
    if vocab is not None and src is not None:
        errors.extend(check_vocabulary(vocab, src))
    return vocab


def load_scenario_file(path: Path, vocab: Vocabulary | None, root: Path | None = None) -> tuple[Scenario | None, list[ContentError]]:
    """Load and check one scenario file; the scenario is None when any error was found."""
    errors: list[ContentError] = []
    display = _relative(path, root) if root else str(path)
    scenario, src = _parse(path, display, Scenario, errors)
    if scenario is not None and src is not None:
        errors.extend(check_scenario(scenario, src, vocab, path.stem))
    return (scenario if not errors else None), errors


_CACHE: dict[Path, tuple[tuple, Library]] = {}


def _fingerprint(base: Path) -> tuple:
    """Names, sizes and modification times of every content file: a change to any of them reloads."""
    out = []
    for folder, dirs, files in os.walk(base):  # os.walk and os.stat: a graded scenario item calls this
        dirs.sort()
        for name in sorted(files):
            if fnmatch.fnmatchcase(name, "*.y*ml"):
                path = os.path.join(folder, name)
                st = os.stat(path)
                out.append((path, st.st_size, st.st_mtime_ns))
    return tuple(out)


def load_library(root: str | os.PathLike | None = None) -> Library:
    """Load the vocabulary, every scenario and every knowledge check under `root`.

    The result is cached per folder until a content file is added, removed or changed, so notebooks
    and graders can call this freely. Treat the returned Library as read-only."""
    base = content_root(root)
    key = _fingerprint(base)
    cached = _CACHE.get(base)
    if cached and cached[0] == key:
        return cached[1]
    lib = _load(base)
    _CACHE[base] = (key, lib)
    return lib


def _load(base: Path) -> Library:
    lib = Library(root=base)
    lib.vocabulary = load_vocabulary(base, lib.errors)
    owners: dict[str, str] = {}
    for module_dir in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if module_dir.name in _RESERVED:
            continue
        for path in sorted(module_dir.glob("*.y*ml")):
            lib.files += 1
            display = _relative(path, base)
            if path.suffix != ".yaml":
                lib.errors.append(ContentError(display, None, "Scenario files must end in .yaml.", f"Rename it to '{path.stem}.yaml'."))
                continue
            scenario, errs = load_scenario_file(path, lib.vocabulary, base)
            lib.errors.extend(errs)
            if scenario is None:
                continue
            if scenario.id in owners:
                lib.errors.append(ContentError(display, 1, f"The scenario id '{scenario.id}' is also used by {owners[scenario.id]}.",
                                               "Scenario ids must be unique across all modules; choose another id and file name."))
                continue
            owners[scenario.id] = display
            lib.scenarios[f"{module_dir.name}/{scenario.id}"] = scenario
    kdir = base / KNOWLEDGE_DIR
    for path in sorted(kdir.glob("*.yaml")) if kdir.is_dir() else []:
        lib.files += 1
        display = _relative(path, base)
        check, src = _parse(path, display, KnowledgeCheck, lib.errors)
        if check is not None and src is not None:
            errs = check_knowledge(check, src, lib.vocabulary, path.stem)
            lib.errors.extend(errs)
            if not errs:
                lib.knowledge_checks[check.id] = check
    return lib
