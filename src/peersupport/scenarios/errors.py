"""Turn pydantic validation errors into ContentErrors a content author can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .yamlsource import ContentError, Loc, YamlSource

_ID_FIX = "Use lowercase letters, digits and single hyphens only, for example 'first-visit'."


def describe_loc(loc: Loc) -> str:
    """A human phrase for where a value sits, e.g. "in choice 2 of node 'opening'"."""
    parts: list[str] = []
    i = 0
    loc = tuple(loc)
    while i < len(loc):
        key = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if key in ("nodes", "endings") and nxt is not None:
            parts.append(f"{'node' if key == 'nodes' else 'ending'} '{nxt}'")
            i += 2
        elif key in ("choices", "questions", "options", "skills", "categories", "domains") and isinstance(nxt, int):
            parts.append(f"{key[:-1] if key != 'categories' else 'category'} {nxt + 1}")
            i += 2
        else:
            i += 1
    return ("in " + " of ".join(reversed(parts))) if parts else "at the top level"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Union-with-None wrappers."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _model_for(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the value at `loc` (None if it is not a model)."""
    current: Any = model
    for key in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(key, str) or key not in current.model_fields:
                return None
            current = current.model_fields[key].annotation
            continue
        origin = typing.get_origin(current)
        if origin in (list, tuple):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _description(model: type[BaseModel], loc: Loc) -> str:
    """The description of the field at `loc` (the content author's instruction), or ''."""
    if not loc or not isinstance(loc[-1], str):
        return ""
    holder = _model_for(model, loc[:-1])
    field = holder.model_fields.get(loc[-1]) if holder else None
    return (field.description or "") if field else ""


def _field_name(loc: Loc) -> str:
    for key in reversed(loc):
        if isinstance(key, str):
            return key
    return "value"


def translate(exc: ValidationError, model: type[BaseModel], src: YamlSource) -> list[ContentError]:
    """One ContentError per pydantic error, with the YAML line and a fix taken from the field's description."""
    out: list[ContentError] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        field = _field_name(loc)
        where = describe_loc(loc[:-1] if loc and isinstance(loc[-1], str) else loc)
        line = src.line(loc)
        desc = _description(model, loc)
        if kind == "missing":
            problem = f"'{field}' is missing {where}."
            fix = f"Add '{field}:'. {desc}".strip()
        elif kind == "extra_forbidden":
            holder = _model_for(model, loc[:-1])
            allowed = sorted(holder.model_fields) if holder else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            problem = f"Unknown field '{loc[-1]}' {where}."
            hint = f"Did you mean '{close[0]}'? " if close else ""
            fix = f"{hint}Remove it or correct its name. Allowed fields here: {', '.join(allowed)}."
        elif kind == "string_pattern_mismatch":
            problem = f"'{field}' {where} is {err.get('input')!r}, which is not a valid id."
            fix = _ID_FIX
        elif kind == "value_error":
            problem = f"'{field}' {where}: {err['msg'].removeprefix('Value error, ')}."
            fix = desc or "Correct the value."
        elif kind in ("model_type", "dict_type", "list_type"):
            expected = {"model_type": "a mapping of fields", "dict_type": "a mapping (key: value lines)", "list_type": "a list (lines starting with '- ')"}[kind]
            problem = f"'{field}' {where} should be {expected}, not {type(err.get('input')).__name__}."
            fix = desc or f"Write '{field}' as {expected}."
        else:
            problem = f"'{field}' {where}: {err['msg']}."
            fix = desc or "Correct the value."
        if loc == ():
            problem = f"The file should hold a mapping of fields: {err['msg']}."
        out.append(ContentError(src.display, line, problem, fix))
    return out
