"""The instructor commands of `peersupport`: grade, suggest, report, export."""

from __future__ import annotations

from pathlib import Path

import click

ROOT_OPT = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The course repository (default: found from the working directory).")
DB_OPT = click.option("--db-url", default=None, help="Gradebook URL, e.g. postgresql+psycopg2://grader@host/course "
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
@click.option("--workers", "-j", type=int, default=None, help="Worker processes (default: 2 a core, 2 to 8).")
@click.option("--timeout", type=int, default=None, help="Seconds a cell may run (default: the course's Execute.timeout).")
@click.option("--limit", type=float, default=None, help="Seconds one submission may take in all (default: 8 x timeout, at least 300).")
@click.option("--exchange", default=None, help="nbgrader exchange folder to collect from.")
@click.option("--no-collect", is_flag=True, help="Grade what is in submitted/ without collecting first.")
@click.option("--force", is_flag=True, help="Grade every submission again, changed or not.")
@click.option("--retry-failed", is_flag=True, help="Grade again the submissions that failed last time.")
@click.option("--plain-kernels", is_flag=True, help="Start each kernel from scratch instead of forking it from a "
              "warm template (slower; the scores are the same).")
def grade(assignment, root, db_url, workers, timeout, limit, exchange, no_collect, force, retry_failed,
          plain_kernels) -> None:
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
                        collect=not no_collect, force=force, retry_failed=retry_failed,
                        plain_kernels=plain_kernels, progress=progress)
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


def _course(root: Path | None, db_url: str | None):
    from .coursecfg import course_id, course_path, load_config, state_dir

    root = _root(root)
    cfg = load_config(root, db_url=db_url)
    return root, cfg, cfg.CourseDirectory.db_url, course_id(cfg), state_dir(root), course_path


@click.command(help="Write the coach's reading of each written answer into the gradebook as a draft comment.")
@click.argument("assignment")
@ROOT_OPT
@DB_OPT
@click.option("--overwrite", is_flag=True, help="Replace comments an instructor has written too (default: keep them).")
def suggest(assignment, root, db_url, overwrite) -> None:
    from .suggest import suggest as run_suggest

    root, cfg, db, cid, _, course_path = _course(root, db_url)
    made = run_suggest(root, assignment, db, cid, course_path(root, cfg, "autograded"), course_path(root, cfg, "submitted"),
                       overwrite=overwrite)
    click.echo(f"wrote {len(made)} suggested comment(s) for {assignment}; open formgrader to read, edit and grade them. "
               "No score was set: every written answer still waits for your grade.")


@click.command(help="Mastery by competency and domain, item analysis, score distribution and alerts (HTML + CSV).")
@click.argument("assignment", required=False)
@click.option("--all", "all_", is_flag=True, help="Every assignment in the gradebook.")
@ROOT_OPT
@DB_OPT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: course/reports/<assignment or all>).")
@click.option("--real-names", is_flag=True, help="Show trainee ids and names instead of pseudonyms.")
@click.option("--threshold", type=float, default=0.6, show_default=True, help="Alert below this share of points.")
@click.option("--crisis-threshold", type=float, default=0.8, show_default=True,
              help="Alert below this share on crisis-support items.")
def report(assignment, all_, root, db_url, out, real_names, threshold, crisis_threshold) -> None:
    from .report import compute, namer_for, write

    if not assignment and not all_:
        raise click.UsageError("name an ASSIGNMENT or use --all")
    root, cfg, db, cid, sdir, course_path = _course(root, db_url)
    namer = namer_for(root, sdir, db, cid, real_names)
    data = compute(root, db, cid, course_path(root, cfg, "source"), sdir, namer, None if all_ else [assignment],
                   threshold, crisis_threshold)
    target = out or root / "course" / "reports" / (assignment if not all_ else "all")
    paths = write(data, target, f"Cohort report: {'all assignments' if all_ else assignment}", not real_names)
    n = data.totals["student"].nunique() if len(data.totals) else 0
    click.echo(f"{n} trainee(s), {len(data.items)} item(s), {len(data.alerts)} alert(s), "
               f"{data.awaiting_manual} written answer(s) awaiting your grade.")
    for name in ("report.html", *sorted(k for k in paths if k.endswith(".csv"))):
        click.echo(f"  {paths[name]}")


@click.command(help="Grades as nbgrader CSV and Canvas import CSV, and per-trainee training records (CSV + HTML).")
@ROOT_OPT
@DB_OPT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: course/exports).")
@click.option("--real-names", is_flag=True, help="Use trainee ids and names (needed for a Canvas import).")
@click.option("--section", default="", help="Canvas section name to put on every row.")
def export(root, db_url, out, real_names, section) -> None:
    from .data import load_vocabulary
    from .exports import canvas_csv, nbgrader_csv
    from .records import record_rows, write_records
    from .report import namer_for

    root, _cfg, db, cid, sdir, _ = _course(root, db_url)
    namer = namer_for(root, sdir, db, cid, real_names)
    target = out or root / "course" / "exports"
    target.mkdir(parents=True, exist_ok=True)
    n1 = nbgrader_csv(db, cid, namer, target / "grades-nbgrader.csv")
    n2 = canvas_csv(db, cid, namer, target / "grades-canvas.csv", section)
    recs = record_rows(root, db, cid, namer, load_vocabulary(root))
    files = write_records(recs, target / "records", "Peer support specialist training")
    click.echo(f"  {target / 'grades-nbgrader.csv'} ({n1} rows)")
    click.echo(f"  {target / 'grades-canvas.csv'} ({n2} trainees)")
    click.echo(f"  {target / 'records'}/ ({len(recs)} training records, CSV and printable HTML; {len(files)} files)")
    if not real_names:
        click.echo("Trainees are pseudonymized; use --real-names for a Canvas import or signed records.")
