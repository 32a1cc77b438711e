"""`attain fetch`: per-minute counts of Prometheus-backed objectives into the store, exactly once.

The work is done by `attain.services.fetch`; see there for keys and how overlaps are trimmed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.cli.read import now, open_store
from attain.engine.instant import US_PER_MINUTE, to_us


@app.command()
def fetch(
    agreement: Annotated[str, typer.Argument(help="A stored agreement's name.")],
    url: Annotated[str, typer.Option(help="Prometheus' base URL, e.g. http://prometheus:9090.")],
    from_: Annotated[str, typer.Option("--from", help="Start, ISO 8601 on a whole minute.")],
    to: Annotated[str, typer.Option("--to", help="End (excluded), ISO 8601 on a whole minute, not after now.")],
    objective: Annotated[str | None, typer.Option(help="One objective; default: every Prometheus one.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per request; 3 attempts on 5xx and timeouts.")] = 30.0,
    allow_address: Annotated[
        list[str] | None,
        typer.Option(
            help="A loopback host, address or CIDR that --url may reach (repeatable); "
            "link-local and metadata addresses are refused even so."
        ),
    ] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Pull per-minute counts from Prometheus into the store; a range already fetched is not counted twice."""
    from attain.services.fetch import fetch_agreement, guarded_client  # noqa: PLC0415
    from attain.sources.prometheus import PrometheusSource  # noqa: PLC0415

    start, end = _instant(from_, "--from"), _instant(to, "--to")
    with guarded_client(allow_address or ()) as client:
        source = PrometheusSource(url, client, timeout_seconds=timeout)
        reports = fetch_agreement(open_store(), source, agreement, (start, end), objective, now())
    if output is Output.JSON:
        print_json([r.as_dict() for r in reports])
        return
    for r in reports:
        for problem in r.problems:
            console().print(f"[yellow]warning[/yellow] {problem}", highlight=False)
        gap_minutes = sum(e - s for s, e in r.gaps) // US_PER_MINUTE
        console().print(
            f"{r.objective}: {len(r.stored)} range(s) stored, {len(r.skipped)} already fetched; "
            f"{r.buckets} minute(s) with data, {gap_minutes} without; good {r.good} of valid {r.valid}",
            highlight=False,
        )


def _instant(text: str, option: str) -> int:
    instant = parse_instant(text, option)
    assert instant is not None  # the option is required, so typer always passes text
    return to_us(instant)
