"""Reviews: `attain review NAME --held DATE ...` records one the parties held; `attain reviews NAME` lists them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from attain.actor import current_actor
from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, print_json
from attain.cli.parties import open_store_engine
from attain.cli.store import now
from attain.errors import InvalidInput, Problem


@app.command()
def review(
    name: str,
    held: Annotated[str, typer.Option(help="The day it was held (YYYY-MM-DD).")],
    participant: Annotated[list[str], typer.Option(help="Someone who took part; repeat for each.")],
    outcome: Annotated[str, typer.Option(help="What came of it.")],
    proposal: Annotated[int | None, typer.Option(help="The proposal it led to, if any.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Record a review of the agreement the parties held: when, who took part, the outcome."""
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
