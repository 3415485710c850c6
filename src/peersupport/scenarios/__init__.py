"""Scenario content: the format (models), loading with file:line errors, integrity checks, the engine."""

from .engine import Engine, ProgressError, Score, Step
from .loader import Library, content_root, load_library, load_scenario_file
from .models import POINTS, QUALITIES, KnowledgeCheck, Scenario, Vocabulary
from .yamlsource import ContentError

__all__ = [
    "POINTS", "QUALITIES", "ContentError", "Engine", "KnowledgeCheck", "Library", "ProgressError",
    "Scenario", "Score", "Step", "Vocabulary", "content_root", "load_library", "load_scenario_file",
]
