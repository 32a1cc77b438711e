"""Commands on the store: db upgrade, apply, agreements, show, ingest, status, stored evaluate."""

from __future__ import annotations

import gc
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import (
    CaseFilter,
    Output,
    console,
    print_evaluation,
    print_json,
    print_problems,
    print_riskiest_forecast,
    print_status,
)
from attain.cli.read import (
    ANOTHER_STORE,
    note,
    note_empty,
    now,
    open_store,
    run_status,
    run_summary,
    store_url,
)
from attain.engine.instant import iso_utc, to_us
from attain.errors import ObjectiveBreached
from attain.formats.results import evaluation_data
from attain.services import store as stored
from attain.settings import Settings

if TYPE_CHECKING:
    from attain.ports import StoredResult

db = typer.Typer(help="The database: create or migrate its schema.", no_args_is_help=True)
app.add_typer(db, name="db")


@db.command()
def upgrade() -> None:
    """Create the schema or migrate it to the latest revision (SQLite or PostgreSQL)."""
    opened = stored.open_store_noting(Settings.from_environ(os.environ, Path.cwd()))
    if opened.created:
        note(f"created a new store at {opened.url} ({ANOTHER_STORE})")
    console().print(f"database at the latest schema: {opened.url}")


@app.command()
def apply(
    files: Annotated[list[Path], typer.Argument(help="Agreement files, with the OpenSLO files they reference.")],
    output: OutputOption = Output.TEXT,
) -> None:
    """Store agreements: a changed document becomes a new version, an unchanged one changes nothing."""
    applied = stored.apply_files(open_store(), files, now())
    rows = [{"agreement": a.version.name, "version": a.version.version, "created": a.created} for a in applied]
    if output is Output.JSON:
        print_json(rows)
        return
    for row in rows:
        verb = "stored as version" if row["created"] else "unchanged, version"
        console().print(f"{row['agreement']}: {verb} {row['version']}")


@app.command()
def agreements(output: OutputOption = Output.TEXT) -> None:
    """List the stored agreements with their latest version, status and effective dates."""
    latest = open_store().agreements()
    if not latest:
        note_empty()
    rows = [
        {"agreement": v.name, "version": v.version, "status": v.status, "effectiveFrom": v.effective_from.isoformat()}
        for v in latest
    ]
    if output is Output.JSON:
        print_json(rows)
        return
    for row in rows:
        console().print(f"{row['agreement']:<28} v{row['version']:<3} {row['status']:<10} from {row['effectiveFrom']}")


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="A stored agreement's name.")],
    version: Annotated[int | None, typer.Option(help="The version to show; default: the latest.")] = None,
) -> None:
    """Print a stored agreement back as YAML."""
    store = open_store()
    versions = store.versions(name)
    if not versions:
        known = ", ".join(v.name for v in store.agreements())
        if not known:
            raise typer.BadParameter(
                f"no stored agreement named {name!r}: the store at {store_url()} holds no agreement "
                f"({ANOTHER_STORE}; `attain apply FILE` stores one)"
            )
        raise typer.BadParameter(f"no stored agreement named {name!r} (stored: {known})")
    chosen = [v for v in versions if version is None or v.version == version]
    if not chosen:
        known = ", ".join(str(v.version) for v in versions)
        raise typer.BadParameter(f"{name} has no version {version} (stored versions: {known})")
    typer.echo(chosen[-1].document, nl=False)


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="CSV, JSON Lines or Parquet files.")],
    agreement: Annotated[str, typer.Option(help="The stored agreement the measurements are for.")],
    indicator: Annotated[
        str | None, typer.Option(help="The objective whose stream this is; default: file name.")
    ] = None,
    key: Annotated[str | None, typer.Option(help="Idempotency key; default: the file's sha256.")] = None,
    time_zone: Annotated[str | None, typer.Option(help="Zone for timestamps without an offset.")] = None,
    skip_bad: Annotated[bool, typer.Option(help="Store good rows; write bad ones to FILE.rejects.csv.")] = False,
    buckets_only: Annotated[
        bool, typer.Option(help="Parquet events: store per-minute counts only, counted in one fast pass.")
    ] = False,
    output: OutputOption = Output.TEXT,
) -> None:
    """Ingest measurements exactly once: a file (or a resumed run) is never counted twice."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: PLC0415

    from attain.ingestion.run import IngestOptions  # noqa: PLC0415 - pyarrow loads only for ingest

    options = IngestOptions(objective=indicator, key=key, zone=time_zone, skip_bad=skip_bad)
    gc.freeze()  # start-up's objects live to the end: the collections of a long ingestion need not walk them
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console(), disable=output is Output.JSON, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        reports = stored.ingest_files(
            open_store(), files, agreement, now(), options, advance, buckets_only=buckets_only
        )
    if output is Output.JSON:
        print_json([vars(r) | {"rejected": [str(p) for p in r.rejected]} for r in reports])
        return
    for r in reports:
        print_problems(r.rejected)
        console().print(
            f"{r.file}: {r.rows} rows into {r.agreement}/{r.stream}: {r.batches_stored} batch(es) stored, "
            f"{r.batches_known} already there"
            + (f", {len(r.rejected)} rejected to {r.reject_file}" if r.rejected else "")
            + (f", {r.adjustments} adjustment(s) to closed periods" if r.adjustments else "")
        )


@app.command()
def status(
    names: Annotated[list[str] | None, typer.Argument(help="Stored agreements; default: all.")] = None,
    at: Annotated[str | None, typer.Option(help="Instant, ISO 8601 with offset; default: now.")] = None,
    cases: Annotated[
        CaseFilter,
        typer.Option(
            help="Cases listed under a case objective: warned (running, at a warning share or past the goal), "
            "open (clock running or paused), all, none. --output json gives every case."
        ),
    ] = CaseFilter.WARNED,
    output: OutputOption = Output.TEXT,
) -> None:
    """Each objective now: attainment this period, budget left, burn rate, alerts, credits owed, cases at risk."""
    run_status(names or [], at, cases, output)


def evaluate_stored_command(
    name: str | None, at: datetime, since: datetime | None, period: str | None, output: Output
) -> None:
    """`attain evaluate` without --data: on stored data, storing closed periods' results with --period."""
    store = open_store()
    names = [name] if name else [v.name for v in store.agreements()]
    if not names:
        note_empty()
    breached = False
    for each in names:
        if period is not None:
            saved = stored.evaluate_period(store, each, period, to_us(at))
            rows = [_stored_row(each, r, saved) for r in saved]
            _print_rows(rows, output)
            breached |= any(r.status == "breached" for r in saved)
        else:
            result = stored.evaluate_stored(store, each, to_us(at), None if since is None else to_us(since))
            if output is Output.JSON:
                print_json(evaluation_data(result.evaluation))
            else:
                print_evaluation(result.evaluation, result.agreement)
            breached |= result.evaluation.breached
    if breached:
        raise typer.Exit(ObjectiveBreached.exit_code)


def _stored_row(name: str, result: StoredResult, saved: list[StoredResult]) -> dict[str, str]:
    """A stored result as `evaluate --period` prints it; with its start when the objective has two with its label.

    One label can name two periods of an objective (a later version that moved its window to
    another zone): `--period LABEL` stores both, and the start tells them apart.
    """
    row = {"agreement": name, "objective": result.objective, "period": result.period, "status": result.status}
    if sum(r.objective == result.objective for r in saved) > 1:
        row["start"] = iso_utc(result.start)
    return row


def _print_rows(rows: list[dict[str, str]], output: Output) -> None:
    if output is Output.JSON:
        print_json(rows)
        return
    for row in rows:
        start = f" (from {row['start']})" if "start" in row else ""
        console().print(f"{row['agreement']} {row['objective']} {row['period']}{start}: {row['status']} (stored)")


@app.command()
def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where the demo's SQLite file and data go.")] = Path(
        "attain-demo"
    ),
    at: Annotated[str | None, typer.Option(help="Pretend it is this instant (ISO 8601); default: now.")] = None,
) -> None:
    """The main job: five agreements, 90 days of synthetic data, ingested, evaluated, shown."""
    from attain.services.demo import run_demo  # noqa: PLC0415 - the demo's data and dealings load only for it

    started = time.monotonic()
    instant = to_us(parse_instant(at, "--at") or datetime.now(UTC))
    database = directory / "attain.db"
    for leftover in (database, database.with_name("attain.db-wal"), database.with_name("attain.db-shm")):
        leftover.unlink(missing_ok=True)
    store = stored.open_store(Settings(f"sqlite:///{database.resolve()}", directory))
    console().print(f"[bold]attain demo[/bold]: a fresh SQLite store at {database}")
    result = run_demo(store, directory, instant, lambda text: console().print(f"  • {text}"))
    print_status(result.status, forecasts=False)
    print_riskiest_forecast(result.status)
    from attain.cli.recommend import demo_line  # noqa: PLC0415 - the recommend command's module, loaded on use
    from attain.reports.locale import Locale  # noqa: PLC0415

    line = demo_line(store, result.agreements, instant, Locale.of("en"))
    if line is not None:
        console().print(line, markup=False)
    console().print(f"done in {time.monotonic() - started:.1f} s. Next, try:")
    for line in NEXT_STEPS:
        console().print(f"  {line.format(dir=directory, month=result.month)}")


NEXT_STEPS = (
    "export ATTAIN_DATA_DIR={dir}   # use the demo's store",
    ".venv/bin/attain agreements",
    ".venv/bin/attain status api-latency",
    ".venv/bin/attain show cloud-uptime",
    ".venv/bin/attain evaluate cloud-uptime          # every period; exit 3 when one is breached",
    ".venv/bin/attain report cloud-uptime --period {month} --format html --out report.html",
    ".venv/bin/attain history cloud-uptime           # versions and the change the parties agreed",
    ".venv/bin/attain diff cloud-uptime 1 2          # that change in words",
    ".venv/bin/attain credits api-latency            # the credit ledger: owed, claimed, approved, issued",
    ".venv/bin/attain recommend cloud-uptime         # realistic targets from the months so far",
    ".venv/bin/attain init --list                    # templates for your own agreement",
    ".venv/bin/attain serve                          # API and dashboard at http://127.0.0.1:8000/",
)


@app.command()
def summary(
    name: Annotated[str, typer.Argument(help="A stored agreement; with --data, an agreement file.")],
    data: Annotated[Path | None, typer.Option(help="Parquet events to summarize directly (no store).")] = None,
    at: Annotated[str | None, typer.Option(help="Instant on a whole minute, ISO 8601; default: now.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Fast: per objective attainment, budget left, per-day counts, burn rates 5m…3d and alert state."""
    run_summary(name, data, at, output)
