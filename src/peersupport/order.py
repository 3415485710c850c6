"""The order a trainee sees options in: shuffled per trainee and item, stable, marked by id.

Every option list (scenario replies, knowledge-check options, graded items) is shown in an order
seeded by the trainee's identity and the item's id, so the file order carries no signal and two
trainees mostly see different orders, while the same trainee sees the same order after a reload,
a kernel restart and at autograde. Answers are always stored and marked by option id; the
letters on screen (A, B, C...) are labels only.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable

#: Set this to fix the identity (tests, shared demo accounts).
TRAINEE_ENV = "PEERSUPPORT_TRAINEE"


def trainee(saved: str | None = None, folder: str | os.PathLike | None = None) -> str:
    """Whose order to show.

    In this order: ``$PEERSUPPORT_TRAINEE``; the identity saved with the trainee's answers (so
    autograde, run by the instructor, shows the trainee's own order); during ``nbgrader autograde``
    the student folder's name (``autograded/<student>/<assignment>``); the JupyterHub user; the
    OS user.
    """
    fixed = os.environ.get(TRAINEE_ENV)
    if fixed:
        return fixed
    if saved:
        return saved
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        here = os.path.abspath(folder or os.getcwd())
        return os.path.basename(os.path.dirname(here)) or "trainee"
    hub = os.environ.get("JUPYTERHUB_USER")
    if hub:
        return hub
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (some containers): everyone shares one order
        return "trainee"


def _rank(who: str, key: str, option: str) -> bytes:
    return hashlib.sha256(f"{who}\x1f{key}\x1f{option}".encode()).digest()


def arrange(ids: Iterable[str], key: str, who: str) -> list[str]:
    """`ids` in the order trainee `who` sees them for the item `key` (a pure function of the three)."""
    return sorted(ids, key=lambda option: _rank(who, key, option))


def letter(index: int) -> str:
    """The label of the option shown at 0-based `index`: A, B, C..."""
    return chr(65 + index)
