"""The instructor commands of `peersupport`: grade, suggest, report, export."""

from __future__ import annotations

from pathlib import Path

import click

ROOT_OPT = click.option("--course-dir", "--root", "course_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="The course folder, as nbgrader's --course-dir (default: what nbgrader "
                        "finds from the working directory and Jupyter's config paths).")
DB_OPT = click.option("--db-url", default=None, help="Gradebook URL, e.g. postgresql+psycopg2://grader@host/course "
                      "(default: the course's CourseDirectory.db_url, as nbgrader reads it).")


def _course(course_dir: Path | None, db_url: str | None = None, **kw):
    from .course import NoCourse, load

    try:
        return load(course_dir, db_url=db_url, **kw)
    except NoCourse as exc:
        raise click.ClickException(str(exc)) from None


STATES = ("failed", "graded", "unchanged", "missing")


def _line(o) -> str:
    score = "" if o.score is None else f"{o.score:g}/{o.max_score:g}"
    note = "; ".join(x for x in (o.reason, *o.warnings) if x)
    return f"{o.student[:28]:<28} {o.status:<9} {score:>9} {o.seconds:>7.1f}s  {note}"


@click.command(help="Collect and autograde every new or changed submission of ASSIGNMENT in parallel.")
@click.argument("assignment")
@ROOT_OPT
@DB_OPT
@click.option("--workers", "-j", type=int, default=None, help="Worker processes (default: 2 a core, 2 to 8).")
@click.option("--timeout", type=int, default=None, help="Seconds a cell may run (default: the course's "
              "Execute.timeout as nbgrader reads it, nbgrader's 30 s when unset).")
@click.option("--limit", type=float, default=None, help="Seconds one submission may take in all (default: derived "
              "from the timeout and the number of cells; none when cells have no timeout).")
@click.option("--exchange", default=None, help="nbgrader exchange folder to collect from.")
@click.option("--no-collect", is_flag=True, help="Grade what is in submitted/ without collecting first.")
@click.option("--force", is_flag=True, help="Grade every submission again, changed or not.")
@click.option("--retry-failed", is_flag=True, help="Grade again the submissions that failed last time.")
@click.option("--plain-kernels", is_flag=True, help="Start each kernel from scratch instead of forking it from a "
              "warm template (slower; the scores are the same). Sandboxed, each kernel then gets a sandbox of its own.")
@click.option("--no-sandbox", is_flag=True, help="Run trainee code without bubblewrap (only for trusted submissions).")
@click.option("--require-sandbox", is_flag=True, help="Refuse to grade when submissions cannot be sandboxed.")
def grade(assignment, course_dir, db_url, workers, timeout, limit, exchange, no_collect, force, retry_failed,
          plain_kernels, no_sandbox, require_sandbox) -> None:
    from tqdm import tqdm

    from .autograde.grade import grade as run_grade

    course = _course(course_dir, db_url, timeout=timeout, exchange=exchange)
    bar = tqdm(desc=f"grading {assignment}", unit="submission", leave=True, dynamic_ncols=True)

    def progress(outcome):
        bar.update(1)
        if outcome.status == "failed":
            bar.write(f"problem: {outcome.student}: {outcome.reason}")

    try:
        run = run_grade(course, assignment, workers=workers, limit=limit, collect=not no_collect, force=force,
                        retry_failed=retry_failed, plain_kernels=plain_kernels, progress=progress,
                        sandbox=not no_sandbox, require_sandbox=require_sandbox)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
    counts = {state: len(run.by_status(state)) for state in STATES}
    click.echo(f"\n{'trainee':<28} {'status':<9} {'score':>9} {'time':>8}  notes")
    for o in sorted(run.outcomes.values(), key=lambda o: (STATES.index(o.status), o.student)):
        click.echo(_line(o))
    click.echo(f"\n{assignment}: " + ", ".join(f"{counts[s]} {s}" for s in STATES)
               + f" in {run.seconds:.1f} s with {run.workers} workers.")
    scored = [o.score / o.max_score for o in run.outcomes.values() if o.score is not None and o.max_score]
    if scored:
        click.echo(f"mean score {100 * sum(scored) / len(scored):.0f}% over {len(scored)} submission(s) in the gradebook.")
    click.echo(run.sandbox_note, err=not run.sandboxed)
    if counts["failed"]:
        click.echo(f"{counts['failed']} submission(s) could not be graded; see the notes above.", err=True)


@click.command(help="Write the coach's reading of each written answer into the gradebook as a draft comment.")
@click.argument("assignment")
@ROOT_OPT
@DB_OPT
@click.option("--overwrite", is_flag=True, help="Replace comments an instructor has written too (default: keep them).")
def suggest(assignment, course_dir, db_url, overwrite) -> None:
    from .suggest import suggest as run_suggest

    c = _course(course_dir, db_url)
    made = run_suggest(c.root, assignment, c.db_url, c.course_id, c.path("autograded"), c.path("submitted"),
                       overwrite=overwrite)
    click.echo(f"wrote {len(made)} suggested comment(s) for {assignment}; open formgrader to read, edit and grade them. "
               "No score was set: every written answer still waits for your grade.")


@click.command(help="Mastery by competency and domain, item analysis, score distribution and alerts (HTML + CSV).")
@click.argument("assignment", required=False)
@click.option("--all", "all_", is_flag=True, help="Every assignment in the gradebook.")
@ROOT_OPT
@DB_OPT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: reports/<assignment or all> beside nbgrader's submitted/ folder).")
@click.option("--real-names", is_flag=True, help="Show trainee ids and names instead of pseudonyms.")
@click.option("--threshold", type=float, default=0.6, show_default=True, help="Alert below this share of points.")
@click.option("--crisis-threshold", type=float, default=0.8, show_default=True,
              help="Alert below this share on crisis-support items.")
def report(assignment, all_, course_dir, db_url, out, real_names, threshold, crisis_threshold) -> None:
    from .reports.report import compute, namer_for, write

    if not assignment and not all_:
        raise click.UsageError("name an ASSIGNMENT or use --all")
    c = _course(course_dir, db_url)
    namer = namer_for(c.root, c.state_dir, c.db_url, c.course_id, real_names)
    data = compute(c.root, c.db_url, c.course_id, c.path("source"), c.state_dir, namer, None if all_ else [assignment],
                   threshold, crisis_threshold, autograded=c.path("autograded"))
    target = out or c.output_dir / "reports" / (assignment if not all_ else "all")
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
              help="Output folder (default: exports/ beside nbgrader's submitted/ folder).")
@click.option("--real-names", is_flag=True, help="Use trainee ids and names (needed for a Canvas import).")
@click.option("--section", default="", help="Canvas section name to put on every row.")
def export(course_dir, db_url, out, real_names, section) -> None:
    from .reports.data import load_vocabulary
    from .reports.exports import canvas_csv, items_csv, nbgrader_csv
    from .reports.records import record_rows, write_records
    from .reports.report import namer_for

    c = _course(course_dir, db_url)
    db, cid = c.db_url, c.course_id
    namer = namer_for(c.root, c.state_dir, db, cid, real_names)
    target = out or c.output_dir / "exports"
    target.mkdir(parents=True, exist_ok=True)
    n1 = nbgrader_csv(db, cid, namer, target / "grades-nbgrader.csv")
    n2 = canvas_csv(db, cid, namer, target / "grades-canvas.csv", section)
    n3 = items_csv(db, c.path("source"), cid, namer, target / "grades-by-item.csv")
    recs = record_rows(c.root, db, cid, namer, load_vocabulary(c.root))
    files = write_records(recs, target / "records", "Peer support specialist training")
    click.echo(f"  {target / 'grades-nbgrader.csv'} ({n1} rows)")
    click.echo(f"  {target / 'grades-canvas.csv'} ({n2} trainees)")
    click.echo(f"  {target / 'grades-by-item.csv'} ({n3} rows, one per trainee and item, with competency)")
    click.echo(f"  {target / 'records'}/ ({len(recs)} training records, CSV and printable HTML; {len(files)} files)")
    if not real_names:
        click.echo("Trainees are pseudonymized; use --real-names for a Canvas import or signed records.")
