"""`attain drivers NAME --period P`: which attribute values drove the bad events, downtime or breached cases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.engine.instant import to_us


@app.command()
def drivers(
    name: str,
    period: Annotated[str, typer.Option(help="The period: 2026-10, 2026-Q4, 2026-W40, 2026 or 2026-10-05.")],
    objective: Annotated[str | None, typer.Option(help="Only this objective; default: every objective.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Values shown per attribute before the rest.")] = 5,
    lang: Annotated[str, typer.Option("--lang", help="Language of the table: en or zh-CN.")] = "en",
    at: Annotated[str | None, typer.Option(help="Instant, ISO 8601 with offset; default: now.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Rank the attribute values (region, endpoint, status, agent, …) by the share of the budget they consumed.

    Exact counts from the stored rows, against the period before: each value's bad events (or
    downtime, or breached cases), its share of them and of the error budget, and the change.
    """
    from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only when the command runs
    from attain.reports.drivers import driver_rows, driver_summary, drivers_data  # noqa: PLC0415
    from attain.reports.locale import Locale  # noqa: PLC0415
    from attain.services.drivers import drivers as rank  # noqa: PLC0415

    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a language: {lang!r} (use en or zh-CN)", param_hint="--lang")
    instant = to_us(parse_instant(at, "--at") or datetime.now(UTC))
    report = rank(open_store(), name, period, instant, objective, top)
    if output is Output.JSON:
        print_json(drivers_data(report))
        return
    loc, out = Locale.of(lang), console()
    out.print(loc.text("drivers.title", period=report.period, previous=report.previous), markup=False)
    heads = ("dimension", "value", "bad", "share", "budget", "previous", "change")
    for found in report.objectives:
        out.print(f"\n{found.objective}: {driver_summary(loc, found)}", markup=False)
        rows = driver_rows(loc, found)
        if rows:
            table = Table(*(loc.text(f"drivers.{h}") for h in heads))
            for row in rows:
                table.add_row(*(getattr(row, h) for h in heads))
            out.print(table)
