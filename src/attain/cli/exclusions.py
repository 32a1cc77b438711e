"""Exclusion requests: `attain exclusion request|accept|reject|withdraw` and `attain exclusions NAME`.

The command line acts for the provider; `--on-behalf NOTE` records a step the customer took.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.cli.parties import caller, open_store_engine
from attain.cli.read import now
from attain.engine.negotiation import State

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.storage.exclusion_request import ExclusionRequest, SqlExclusionRequests

exclusion = typer.Typer(help="Ask to exclude time (maintenance, force majeure …); the other party decides.")
app.add_typer(exclusion, name="exclusion")

OnBehalf = Annotated[str | None, typer.Option("--on-behalf", help="Act for the customer, saying how it said so.")]


def _open() -> tuple[Store, SqlExclusionRequests]:
    from attain.storage.exclusion_request import SqlExclusionRequests  # noqa: PLC0415 - SQLAlchemy only here

    store, engine = open_store_engine()
    return store, SqlExclusionRequests(engine)


def _print(item: ExclusionRequest, output: Output) -> None:
    from attain.services.exclusions import request_data  # noqa: PLC0415

    if output is Output.JSON:
        print_json(request_data(item))
    else:
        console().print(f"{item.agreement} exclusion request {item.number}: {item.state.value}", markup=False)


@exclusion.command("request")
def ask(  # noqa: PLR0913, PLR0917 - one option per thing a request says
    name: str,
    kind: Annotated[str, typer.Option(help="maintenance, emergency-maintenance, force-majeure, third-party …")],
    start: Annotated[str, typer.Option(help="First instant excluded (ISO 8601 with an offset).")],
    end: Annotated[str, typer.Option(help="The instant the exclusion ends (excluded up to it).")],
    reason: Annotated[str, typer.Option(help="What happened or will happen.")],
    objective: Annotated[list[str] | None, typer.Option(help="An objective it applies to; default: all.")] = None,
    evidence: Annotated[str, typer.Option(help="A ticket, a notice, a link.")] = "",
    on_behalf: OnBehalf = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Ask to exclude a time range; it counts only once the other party accepts it."""
    from attain.services.exclusions import request  # noqa: PLC0415

    first, last = parse_instant(start, "--start"), parse_instant(end, "--end")
    assert first is not None
    assert last is not None
    store, kept = _open()
    made = request(
        store,
        kept,
        name,
        kind=kind,
        span=(first, last),
        objectives=list(objective or []),
        reason=reason,
        evidence=evidence,
        caller=caller(on_behalf),
        now=now(),
    )
    _print(made, output)


def _decide(name: str, number: int, to: State, on_behalf: str | None, note: str | None, output: Output) -> None:
    from attain.services.exclusions import decide  # noqa: PLC0415

    store, kept = _open()
    _print(decide(store, kept, name, number, to, caller(on_behalf), now(), note), output)


Note = Annotated[str | None, typer.Option(help="Why (required to reject).")]


@exclusion.command()
def accept(
    name: str, number: int, on_behalf: OnBehalf = None, note: Note = None, output: OutputOption = Output.TEXT
) -> None:
    """Accept the other party's request: its time is excluded from the open period on."""
    _decide(name, number, State.ACCEPTED, on_behalf, note, output)


@exclusion.command()
def reject(
    name: str, number: int, note: Note = None, on_behalf: OnBehalf = None, output: OutputOption = Output.TEXT
) -> None:
    """Reject the other party's request, saying why."""
    _decide(name, number, State.REJECTED, on_behalf, note, output)


@exclusion.command()
def withdraw(name: str, number: int, on_behalf: OnBehalf = None, output: OutputOption = Output.TEXT) -> None:
    """Withdraw a request of your own side."""
    _decide(name, number, State.WITHDRAWN, on_behalf, None, output)


@app.command("exclusions")
def list_requests(name: str, output: OutputOption = Output.TEXT) -> None:
    """The agreement's exclusion requests: kind, range, who asked, and the decision."""
    from attain.services.exclusions import request_data  # noqa: PLC0415

    _, kept = _open()
    rows = [request_data(r) for r in kept.requests(name)]
    if output is Output.JSON:
        print_json(rows)
        return
    table = Table("#", "kind", "from", "until", "asked by", "state", "reason")
    for r in rows:
        table.add_row(
            str(r["number"]), r["kind"], r["start"], r["end"], f"{r['side']} ({r['author']})", r["state"], r["reason"]
        )
    console().print(table)
