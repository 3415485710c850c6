"""Set up a course on one machine for JupyterHub: accounts, the grader's course folder, the exchange.

Each trainee and instructor has their own local account (JupyterHub's LocalProcessSpawner runs each
person's server as that account), so the operating system keeps them apart: homes are 0700; the
course folder (sources with answer keys, the gradebook) belongs to the course's grader account and
is 0700; the exchange follows nbgrader's own permissions. Needs root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

COLLECT = {
    # one machine: a submission counts only when its owner is the trainee it names (nbgrader only warns)
    "machine": 'c.ExchangeFactory.collect = "peersupport.hub.exchange.OwnerCheckedCollect"\n',
    # Kubernetes: each trainee's pod mounts only inbound/<trainee> and feedback/<trainee> (deploy/kubernetes/)
    "kubernetes": 'c.ExchangeFactory.collect = "peersupport.hub.exchange.PerTraineeCollect"\n'
                  'c.ExchangeFactory.release_feedback = "peersupport.hub.exchange.PerTraineeReleaseFeedback"\n',
}
HUB_SETTINGS = '''
# --- added by peersupport.hub.provision: this course runs on JupyterHub -------------------------
import os as _os
{collect}if _os.environ.get("PEERSUPPORT_DB_URL"):   # e.g. postgresql+psycopg2://grader@/peer_support?host=/run/postgresql
    c.CourseDirectory.db_url = _os.environ["PEERSUPPORT_DB_URL"]
'''

ROOT_CONFIG = '''"""The course's nbgrader configuration lives in autograder/nbgrader_config.py (formgrader reads this file)."""
c = get_config()  # noqa: F821
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821
'''


def account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_account(name: str, home: str | os.PathLike) -> bool:
    """Create a local account `name` with its home at `home` (mode 0700). True if it was created here."""
    created = False
    if not account_exists(name):
        Path(home).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                        "--user-group", name], check=True, capture_output=True)
        created = True
    home = Path(pwd.getpwnam(name).pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    chown(home, name)
    home.chmod(0o700)
    return created


def remove_account(name: str) -> None:
    subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
    subprocess.run(["groupdel", name], check=False, capture_output=True)


def chown(path: str | os.PathLike, user: str, recursive: bool = False) -> None:
    pw = pwd.getpwnam(user)
    paths = [Path(path)]
    if recursive:
        paths += list(Path(path).rglob("*"))
    for p in paths:
        os.chown(p, pw.pw_uid, pw.pw_gid, follow_symlinks=False)


def install_course(repo: str | os.PathLike, root: str | os.PathLike, grader: str) -> Path:
    """Copy the course (exercises/ and autograder/) to `root`, owned by `grader` and closed to everyone else."""
    root = copy_course(repo, root)
    chown(root, grader, recursive=True)
    root.chmod(0o700)
    return root


def copy_course(repo: str | os.PathLike, root: str | os.PathLike, layout: str = "machine") -> Path:
    """Copy exercises/ and autograder/ to `root` and add the hub's settings to its nbgrader configuration."""
    repo, root = Path(repo), Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for part in ("exercises", "autograder"):
        if not (root / part).exists():
            shutil.copytree(repo / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    cfg = root / "autograder" / "nbgrader_config.py"
    if "peersupport.hub.provision" not in cfg.read_text(encoding="utf-8"):
        settings = HUB_SETTINGS.replace("{collect}", COLLECT[layout])
        cfg.write_text(cfg.read_text(encoding="utf-8") + settings, encoding="utf-8")
    (root / "nbgrader_config.py").write_text(ROOT_CONFIG, encoding="utf-8")
    (root / "course").mkdir(exist_ok=True)
    return root


def close_answer_keys(repo: str | os.PathLike) -> list[tuple[Path, int]]:
    """Close the checkout's answer keys (exercises/, autograder/) to every account but root.

    Each person's server runs Python from the hub's environment, an install of this checkout, so the
    checkout must stay readable; its exercise sources and item keys must not. Nobody's server needs them:
    the grader has its own copy (install_course) and trainees get released assignments from the exchange.
    Returns each folder with its former mode, for reopen_answer_keys.
    """
    closed = []
    for part in ("exercises", "autograder"):
        folder = Path(repo) / part
        if folder.is_dir():
            mode = folder.stat().st_mode & 0o7777
            folder.chmod(mode & 0o700)
            closed.append((folder, mode))
    return closed


def reopen_answer_keys(closed: list[tuple[Path, int]]) -> None:
    for folder, mode in closed:
        folder.chmod(mode)


def make_exchange(exchange: str | os.PathLike, course: str, grader: str) -> Path:
    """The exchange root (nbgrader wants it 0777, as on every nbgrader hub) and the course's folder in it."""
    exchange = Path(exchange)
    (exchange / course).mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)
    chown(exchange / course, grader)
    (exchange / course).chmod(0o755)
    return exchange


def install_modules(repo: str | os.PathLike, user: str) -> None:
    """Give a trainee their own copy of the teaching notebooks (kept if they already have one)."""
    home = Path(pwd.getpwnam(user).pw_dir)
    dest = home / "modules"
    if not dest.exists():
        shutil.copytree(Path(repo) / "modules", dest)
        chown(dest, user, recursive=True)


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description="Copy a course (exercises/, autograder/) for the grader of a hub.")
    p.add_argument("repo", help="a checkout of this repository")
    p.add_argument("root", help="the grader's course folder (on Kubernetes, the course volume)")
    p.add_argument("--layout", choices=sorted(COLLECT), default="machine")
    p.add_argument("--owner", help="one machine, as root: the grader account that owns the course (closed to others)")
    args = p.parse_args()
    root = copy_course(args.repo, args.root, args.layout)
    if args.owner:
        chown(root, args.owner, recursive=True)
        root.chmod(0o700)
    print(f"course installed in {root}")
