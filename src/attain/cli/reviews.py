"""Reviews: `attain review NAME --held DATE ...` records one the parties held, `--quarter Q` writes the review report.

`attain reviews NAME` lists the reviews held.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from attain.actor import current_actor
from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.documents import LangOption, OutOption, _check_lang, _refuse_terminal, _write
from attain.cli.output import Output, console, print_json
from attain.cli.parties import open_store_engine
from attain.cli.read import now
from attain.engine.instant import to_us
from attain.errors import InvalidInput, Problem
from attain.reports.document import Format


@app.command()
def review(  # noqa: PLR0913, PLR0917 - one option per thing a review records, and the report's
    name: str,
    held: Annotated[str | None, typer.Option(help="The day it was held (YYYY-MM-DD).")] = None,
    participant: Annotated[list[str] | None, typer.Option(help="Someone who took part; repeat for each.")] = None,
    outcome: Annotated[str | None, typer.Option(help="What came of it.")] = None,
    proposal: Annotated[int | None, typer.Option(help="The proposal it led to, if any.")] = None,
    quarter: Annotated[str | None, typer.Option(help="Write the review report of this quarter (2026-Q4).")] = None,
    lang: LangOption = "en",
    format_: Annotated[Format, typer.Option("--format", help="With --quarter: html, pdf, md or json.")] = Format.HTML,
    out: OutOption = None,
    at: Annotated[str | None, typer.Option(help="With --quarter: the instant, ISO 8601; default: now.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Record a review the parties held (--held, --participant, --outcome), or write a quarter's review report.

    `attain review NAME --quarter 2026-Q4 [--lang zh-CN] [--format html|pdf|md|json] [--out FILE]`
    writes the quarter's periods side by side, trends, credits, what drove failures, target
    recommendations, suggested amendments and forecasts.
    """
    if quarter is not None:
        _report(name, quarter, lang, format_, out, at)
        return
    if held is None or not participant or outcome is None:
        hint = "pass --held DATE --participant NAME --outcome TEXT, or --quarter 2026-Q4 for the review report"
        raise InvalidInput([Problem("<command line>", None, None, "review", "nothing to record or write", hint)])
    _record(name, held, participant, outcome, proposal, output)


def _report(name: str, quarter: str, lang: str, format_: Format, out: Path | None, at: str | None) -> None:
    from attain.cli.read import open_store  # noqa: PLC0415
    from attain.reports.review import render_review  # noqa: PLC0415
    from attain.services.quarter_review import quarter_review  # noqa: PLC0415

    _check_lang(lang)
    _refuse_terminal(format_, out)
    instant = now() if at is None else to_us(parse_instant(at, "--at") or datetime.now(UTC))
    _write(render_review(quarter_review(open_store(), name, quarter, instant), lang, format_), out)


def _record(name: str, held: str, participant: list[str], outcome: str, proposal: int | None, output: Output) -> None:
    from attain.services.reviews import record_review, review_data  # noqa: PLC0415

    try:
        held_on = date.fromisoformat(held)
    except ValueError:
        problem = f"not a date: {held!r}"
        raise InvalidInput([Problem("<command line>", None, None, "--held", problem, "write YYYY-MM-DD")]) from None
    store, engine = open_store_engine()
    kept = record_review(
        store,
        engine,
        name,
        held_on=held_on,
        participants=participant,
        outcome=outcome,
        proposal=proposal,
        actor=current_actor(),
        now=now(),
    )
    if output is Output.JSON:
        print_json(review_data(kept))
        return
    console().print(f"{name} review {kept.number} recorded, held {kept.held_on.isoformat()}", markup=False)


@app.command()
def reviews(name: str, output: OutputOption = Output.TEXT) -> None:
    """The agreement's reviews: how often it is reviewed, when the next is due, and those held."""
    from attain.services.reviews import review_state  # noqa: PLC0415

    store, engine = open_store_engine()
    state = review_state(store, engine, name, now())
    if output is Output.JSON:
        print_json(state.as_dict())
        return
    out = console()
    if state.every is None or state.due is None:
        out.print(f"{name} has no review clause (review: {{every: quarter}} sets one)", markup=False)
    else:
        late = " — overdue" if state.due.overdue else ""
        out.print(
            f"{name}: reviewed every {state.every.value}; next due by {state.due.due.isoformat()}{late}", markup=False
        )
    for held in state.held:
        led = f" → proposal {held.proposal}" if held.proposal is not None else ""
        out.print(f"  {held.held_on.isoformat()}  {', '.join(held.participants)}: {held.outcome}{led}", markup=False)
