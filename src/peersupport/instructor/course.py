"""The course: found and configured exactly as ``nbgrader`` finds and configures it.

``load()`` runs nbgrader's own configuration loading (``nbgrader.apps.baseapp.NbGrader.initialize``):
``nbgrader_config.py`` in Jupyter's config paths (``jupyter --paths``: ``$JUPYTER_CONFIG_DIR``,
``/etc/jupyter`` …), then the one in the working directory, then the command line (``--course-dir``,
``--db-url``, ``--timeout``, ``--exchange``), then the one at the course root. Every setting nbgrader
honours is honoured, with nbgrader's defaults where nothing is set (``CourseDirectory.root`` is the
working directory, the gradebook ``<root>/gradebook.db``, a cell may run 30 s).

Two layouts are ordinary cases of this:

- a standard nbgrader course: ``nbgrader_config.py`` at the course root (JupyterHub deployments,
  nbgrader's documentation);
- this repository: ``autograder/nbgrader_config.py`` calls ``configure()`` below (sources in
  ``exercises/``, everything nbgrader writes under ``course/``); the repository root holds a
  ``nbgrader_config.py`` that loads it, so nbgrader and ``peersupport`` work from either folder.

When no configuration names a course and the working directory holds no ``nbgrader_config.py``,
the nearest folder above it that does is used (as if given as ``--course-dir``), so a command run
from a subfolder of the course still finds it. Our own state (what was graded, the pseudonym
key) lives in ``.peersupport/`` beside nbgrader's ``submitted/`` folder, inside the course.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"
COURSE_ID = "peer-support"
SOURCE = "exercises"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
STEPS = ("release", "submitted", "autograded", "feedback", "solution")


class NoCourse(RuntimeError):
    """No nbgrader course could be found from here."""


@contextlib.contextmanager
def _working_dir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@dataclass
class Course:
    """One nbgrader course as nbgrader sees it from `cwd` with the command-line options `argv`."""

    cwd: Path
    argv: list[str]
    config: Config
    coursedir: object = field(repr=False)

    @property
    def root(self) -> Path:
        return Path(self.coursedir.root).resolve()

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def path(self, step: str, student: str = ".", assignment: str = ".") -> Path:
        """A step's folder (``source``, ``release``, ``submitted``, ``autograded``, ``feedback``)."""
        if step == "source":
            return Path(self.coursedir.format_path(self.coursedir.source_directory, student, assignment)).resolve()
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{step}_directory"), student, assignment)).resolve()

    @property
    def state_dir(self) -> Path:
        """``.peersupport/`` beside ``submitted/``: ``<root>/.peersupport`` or ``<root>/course/.peersupport``."""
        d = self.path("submitted").parent / ".peersupport"
        d.mkdir(parents=True, exist_ok=True)
        return d

    @property
    def output_dir(self) -> Path:
        """Where reports and exports go by default: beside ``submitted/``."""
        return self.path("submitted").parent

    def execute_settings(self) -> dict:
        """nbgrader's Execute step as this course configures it: the per-cell timeout and the rest."""
        from nbgrader.preprocessors import Execute

        ex = Execute(config=self.config)
        return {"timeout": ex.timeout, "startup_timeout": ex.startup_timeout, "retries": ex.execute_retries,
                "iopub_timeout": ex.iopub_timeout}

    @property
    def timeout(self) -> int | None:
        """Seconds a cell may run (None: no limit), with nbgrader's meaning and default."""
        return self.execute_settings()["timeout"]

    def assignments(self) -> list[str]:
        src = self.path("source")
        return sorted(p.name for p in src.iterdir() if p.is_dir()) if src.is_dir() else []


def _has_config(d: Path) -> bool:
    return (d / CONFIG_FILE).is_file()


def load(course_dir: str | os.PathLike | None = None, *, cwd: str | os.PathLike | None = None,
         db_url: str | None = None, timeout: int | None = None, exchange: str | None = None,
         argv: list[str] | None = None) -> Course:
    """The course nbgrader would use when run in `cwd` (default: here) with these options."""
    skip_unused_imports()
    from nbgrader.apps.baseapp import NbGrader

    cwd = Path(cwd or os.getcwd()).resolve()
    if argv is None:
        argv = []
        if course_dir is not None:
            argv += ["--course-dir", str((cwd / course_dir).resolve())]
        if db_url:
            argv.append(f"--CourseDirectory.db_url={db_url}")
        if timeout is not None:
            argv.append(f"--Execute.timeout={int(timeout)}")
        if exchange:
            argv.append(f"--Exchange.root={(cwd / exchange).resolve()}")

    def initialize(args: list[str]) -> NbGrader:
        app = NbGrader()
        app.log.setLevel("ERROR")  # "no nbgrader_config.py found" is our decision below, not a warning
        path = list(sys.path)
        try:
            with _working_dir(cwd):
                app.initialize(args)
        except SystemExit as exc:
            raise NoCourse(f"nbgrader could not read the course configuration from {cwd} ({exc})") from None
        finally:
            sys.path[:] = path  # nbgrader puts the working directory first on sys.path; not in our process
        return app

    app = initialize(argv)
    named = "--course-dir" in argv or "root" in app.config.get("CourseDirectory", {})
    if not named and not _has_config(cwd):
        above = next((d for d in cwd.parents if _has_config(d)), None)
        if above is not None:
            argv = ["--course-dir", str(above), *argv]
            app = initialize(argv)
        elif not (cwd / "source").is_dir():
            raise NoCourse(f"No course here: no {CONFIG_FILE} in {cwd}, in a folder above it or in Jupyter's "
                           "config paths (`jupyter --paths`). Run this in the course folder or give --course-dir.")
    cfg = Config(app.config)
    cfg.CourseDirectory.root = str(Path(app.coursedir.root).resolve())  # workers do not depend on their cwd
    from nbgrader.coursedir import CourseDirectory

    return Course(cwd, argv, cfg, CourseDirectory(config=cfg))


# -- this repository's layout -----------------------------------------------------------------
def repo_assignments(root: str | os.PathLike) -> list[str]:
    src = Path(root) / SOURCE
    return sorted(p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) if src.is_dir() else []


def configure(c, root: str | os.PathLike, *, exchange: str | None = None, course_id: str = COURSE_ID) -> None:
    """Fill a traitlets config `c` for this repository's layout, whose root is `root`."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from ..grading.answers import ANSWER_FILE
    from ..grading.feedback import ScrubFeedback

    root = Path(root).resolve()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = SOURCE
    for step in STEPS:
        setattr(c.CourseDirectory, f"{step}_directory", f"course/{step}")
    c.CourseDirectory.db_url = f"sqlite:///{root / 'course' / 'gradebook.db'}"
    c.Exchange.root = exchange or os.environ.get("PEERSUPPORT_EXCHANGE") or DEFAULT_EXCHANGE
    # Released answer cells: the reference answer is cut out and nothing is put in its place, so the
    # typed-answer cell keeps its one line `answer("id", "")`.
    c.ClearSolutions.code_stub = {"python": ""}
    c.ClearSolutions.text_stub = "Replace this line with your answer, in your own words."
    # A deleted test cell is put back and run, so deleting it never helps (and an accident never hurts).
    c.OverwriteCells.add_missing_cells = True
    # A trainee's my-answers.json must never be overwritten by a stray copy in the source folder.
    c.Autograde.exclude_overwriting = {a: [ANSWER_FILE] for a in repo_assignments(root)}
    c.Execute.timeout = 120
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ScrubFeedback]


# -- process set-up shared by the commands and the workers ----------------------------------
def alembic_on_path() -> None:
    """nbgrader runs the `alembic` command to create a gradebook: make this Python's bin reachable."""
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
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: "import" raises ImportError
