"""Export JSON Schemas from the pydantic models, for editors (scenarios/schema/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

from .models import KnowledgeCheck, Scenario, Vocabulary

SCHEMAS = {"scenario": Scenario, "knowledge-check": KnowledgeCheck, "vocabulary": Vocabulary}


def render() -> dict[str, str]:
    """File name -> JSON text for every schema."""
    return {f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
            for name, model in SCHEMAS.items()}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in render().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
