"""The instructor commands of `peersupport`: grade, suggest, report, export."""

from __future__ import annotations

from pathlib import Path

import click

ROOT_OPT = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The course repository (default: found from the working directory).")
DB_OPT = click.option("--db-url", default=None, help="Gradebook URL, e.g. postgresql://grader@host/course "
                      "(default: the db_url in autograder/nbgrader_config.py).")


def _root(root: Path | None) -> Path:
    from .coursecfg import find_root

    try:
        return find_root(root)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


def _line(o) -> str:
    score = "" if o.score is None else f"{o.score:g}/{o.max_score:g}"
    note = o.reason or "; ".join(o.warnings)
    return f"{o.student[:28]:<28} {o.status:<8} {score:>9} {o.seconds:>7.1f}s  {note}"


@click.command(help="Collect and autograde every new or changed submission of ASSIGNMENT in parallel.")
@click.argument("assignment")
@ROOT_OPT
@DB_OPT
@click.option("--workers", "-j", type=int, default=None, help="Worker processes (default: cores + 1, 2 to 4).")
@click.option("--timeout", type=int, default=None, help="Seconds a cell may run (default: the course's Execute.timeout).")
@click.option("--limit", type=float, default=None, help="Seconds one submission may take in all (default: 8 x timeout, at least 300).")
@click.option("--exchange", default=None, help="nbgrader exchange folder to collect from.")
@click.option("--no-collect", is_flag=True, help="Grade what is in submitted/ without collecting first.")
@click.option("--force", is_flag=True, help="Grade every submission again, changed or not.")
@click.option("--retry-failed", is_flag=True, help="Grade again the submissions that failed last time.")
def grade(assignment, root, db_url, workers, timeout, limit, exchange, no_collect, force, retry_failed) -> None:
    from tqdm import tqdm

    from .grade import grade as run_grade

    root = _root(root)
    bar = tqdm(desc=f"grading {assignment}", unit="submission", leave=True, dynamic_ncols=True)

    def progress(outcome):
        bar.update(1)
        if outcome.status == "failed":
            bar.write(f"problem: {outcome.student}: {outcome.reason}")

    try:
        run = run_grade(root, assignment, workers=workers, timeout=timeout, limit=limit, db_url=db_url, exchange=exchange,
                        collect=not no_collect, force=force, retry_failed=retry_failed, progress=progress)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
    graded, failed, skipped = run.by_status("graded"), run.by_status("failed"), run.by_status("skipped")
    click.echo(f"\n{'trainee':<28} {'status':<8} {'score':>9} {'time':>8}  notes")
    for o in sorted(run.outcomes.values(), key=lambda o: (o.status != "failed", not o.warnings, o.student)):
        if o.status != "skipped" or o.reason or o.warnings:
            click.echo(_line(o))
    click.echo(f"\n{assignment}: {len(graded)} graded, {len(failed)} failed, {len(skipped)} unchanged (skipped) "
               f"in {run.seconds:.1f} s with {run.workers} workers.")
    scored = [o.score / o.max_score for o in run.outcomes.values() if o.score is not None and o.max_score]
    if scored:
        click.echo(f"mean score {100 * sum(scored) / len(scored):.0f}% over {len(scored)} submission(s) in the gradebook.")
    if failed:
        click.echo(f"{len(failed)} submission(s) could not be graded; see the notes above.", err=True)
