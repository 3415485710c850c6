"""environment.yml (conda, repo2docker, JupyterHub images) must carry the same dependencies as pyproject.toml."""

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_norm(Requirement(r).name): str(Requirement(r).specifier) for r in project["dependencies"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda, pip_section = {}, None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        req = Requirement(dep.replace("=", "==", 1) if "=" in dep and not any(op in dep for op in "<>!=~") else dep)
        conda[_norm(req.name)] = str(req.specifier)
    conda.pop("pip", None)
    python = conda.pop("python")
    assert python == ">=" + project["requires-python"].removeprefix(">=")
    assert conda == wanted
    assert pip_section == ["-e ."], "environment.yml must install the project itself with pip"
