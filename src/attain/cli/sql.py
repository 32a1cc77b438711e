"""`attain pull`: count a stored agreement's SQL-backed objectives in their SQL engines, exactly once.

The work is done by `attain.services.pull`; see there for keys, overlaps and resolution.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import typer

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.cli.read import now, open_store
from attain.engine.instant import to_us


@app.command("pull")
def pull_command(
    agreement: Annotated[str, typer.Argument(help="A stored agreement's name.")],
    from_: Annotated[str, typer.Option("--from", help="Start of the range, ISO 8601 with offset, on a minute.")],
    to: Annotated[str, typer.Option("--to", help="End of the range (excluded), ISO 8601 with offset.")],
    objective: Annotated[str | None, typer.Option(help="One objective; default: every SQL-backed one.")] = None,
    resolution: Annotated[str, typer.Option(help="minute or hour: the buckets the engine counts in.")] = "minute",
    output: OutputOption = Output.TEXT,
) -> None:
    """Count SQL-backed objectives in their SQL engine for a range and store the counts exactly once."""
    start, end = (to_us(_required(parse_instant(t, o), o)) for t, o in ((from_, "--from"), (to, "--to")))
    from attain.services.pull import pull  # noqa: PLC0415 - SQLAlchemy and the source load only for this command

    results = pull(open_store(), agreement, start, end, now(), objective, resolution)
    if output is Output.JSON:
        print_json([asdict(r) for r in results])
        return
    for r in results:
        if r.stored:
            counts = f"{r.valid} valid, {r.good} good in {r.minutes} minute(s) from {r.rows_read} aggregated row(s)"
            late = f"; late data for {r.adjustments} closed period(s), recorded" if r.adjustments else ""
            console().print(f"{agreement}/{r.objective}: {counts}; stored as {r.key}{late}")
        else:
            console().print(f"{agreement}/{r.objective}: already pulled as {r.key}; nothing stored")


def _required(value: datetime | None, option: str) -> datetime:
    if value is None:
        raise typer.BadParameter(f"{option} is required")
    return value
