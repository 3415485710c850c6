"""The `peersupport` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .scenarios import load_library
from .scenarios import schema as schema_mod
from .scenarios.loader import SCHEMA_DIR


@click.group(help="Tools for the peer support curriculum.")
def main() -> None:
    pass


@main.command(help="Validate every scenario, knowledge check, the vocabulary, the exercise specs and rubrics, and the "
              "item-writing standard. Exits 1 on any error.")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The scenarios/ folder (default: found from the working directory).")
def check(content: Path | None) -> None:
    from .scenarios.standards import check_standards

    lib = load_library(content)
    repo = lib.root.parent if (lib.root.parent / "autograder").is_dir() else None
    errors = [*lib.errors, *check_standards(lib, repo)]
    for err in errors:
        click.echo(str(err), err=True)
    n_err = len(errors)
    summary = (f"Checked {lib.files} content file(s) in {lib.root}: {len(lib.scenarios)} scenario(s), "
               f"{len(lib.knowledge_checks)} knowledge check(s), the exercise specs and rubrics; {n_err} error(s).")
    click.echo(summary, err=bool(n_err))
    sys.exit(1 if n_err else 0)


@main.command(help="Write JSON Schemas for the content format to scenarios/schema/ (for editors).")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path), default=None)
def schema(content: Path | None) -> None:
    from .scenarios.loader import content_root

    for path in schema_mod.write(content_root(content) / SCHEMA_DIR):
        click.echo(f"wrote {path}")


@main.command(help="Write docs/coverage.md: module -> competencies -> scenarios -> graded items.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="The repository root.")
def coverage(root: Path) -> None:
    from . import coverage as cov

    path = cov.write(root.resolve())
    gaps = cov.collect(root.resolve()).gaps()
    click.echo(f"wrote {path}; {len(gaps)} gap(s)")
    for g in gaps:
        click.echo(f"  {g}")


@main.command(help="Rebuild every generated file: scenarios/schema/, each exercises/<assignment>/ (from "
              "autograder/items/), docs/coverage.md. --check only lists stale files (exit 1 if any).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="The repository root.")
@click.option("--check", "only_check", is_flag=True, help="Change nothing; exit 1 if a generated file is stale.")
def build(root: Path, only_check: bool) -> None:
    from . import build as b

    root = root.resolve()
    if only_check:
        bad = b.stale(root)
        for p in bad:
            click.echo(f"stale: {p.relative_to(root)} (run `peersupport build`)", err=True)
        click.echo(f"{len(bad)} stale generated file(s).", err=bool(bad))
        sys.exit(1 if bad else 0)
    written = b.build(root)
    for p in written:
        click.echo(f"wrote {p.relative_to(root)}")
    click.echo(f"{len(written)} file(s) rebuilt; everything else was current.")


from .instructor.commands import export, grade, report, suggest

for _command in (grade, suggest, report, export):
    main.add_command(_command)

if __name__ == "__main__":
    main()
