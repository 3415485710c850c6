"""Find the course and build nbgrader's configuration the way ``nbgrader`` run from autograder/ does.

The course's own ``autograder/nbgrader_config.py`` is loaded (so every setting in it applies), then
the few options the instructor gave on the command line are laid over it.
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..grading.course import COURSE_ID

CONFIG_FILE = "nbgrader_config.py"


def find_root(start: str | os.PathLike | None = None) -> Path:
    start = Path(start or Path.cwd()).resolve()
    for d in (start, *start.parents):
        if (d / "autograder" / CONFIG_FILE).is_file():
            return d
    raise FileNotFoundError(f"No course here: no autograder/{CONFIG_FILE} in {start} or a folder above it.")


def load_config(root: str | os.PathLike, *, db_url: str | None = None, timeout: int | None = None,
                exchange: str | None = None) -> Config:
    root = Path(root).resolve()
    cfg = PyFileConfigLoader(CONFIG_FILE, path=str(root / "autograder")).load_config()
    if db_url:
        cfg.CourseDirectory.db_url = db_url
    if timeout:
        cfg.Execute.timeout = int(timeout)
    if exchange:
        cfg.Exchange.root = str(exchange)
    return cfg


def course_id(cfg: Config) -> str:
    return cfg.CourseDirectory.get("course_id", COURSE_ID) or COURSE_ID


def course_path(root: Path, cfg: Config, step: str) -> Path:
    """The folder of a step (``submitted``, ``autograded``, ``release``, ``source``) under the root."""
    rel = cfg.CourseDirectory.get(f"{step}_directory", step)
    return (Path(root) / rel).resolve()


def state_dir(root: Path) -> Path:
    d = Path(root) / "course" / ".peersupport"
    d.mkdir(parents=True, exist_ok=True)
    return d


def alembic_on_path() -> None:
    """nbgrader runs the `alembic` command to create a gradebook: make this Python's bin reachable."""
    import sys

    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def skip_unused_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in the grading processes.

    jsonschema loads it (when installed, as Jupyter's own dependencies do) only to offer an "iri"
    format check, which neither nbformat nor nbgrader uses; building its grammar costs about 1.5 s
    of CPU in every process that imports jsonschema. Without it jsonschema simply offers no "iri"
    check. Call this before anything imports jsonschema.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: "import" raises ImportError
