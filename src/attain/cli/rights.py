"""Termination rights: `attain rights NAME` lists what was granted; `attain right exercise|waive NAME N` uses it.

Rights are the customer's: from the command line a step is taken `--on-behalf` of the customer,
recording how it told the provider (a notice letter, an e-mail).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, print_json
from attain.cli.parties import caller, open_store_engine
from attain.cli.read import now
from attain.engine.instant import iso_utc
from attain.engine.rights import RightState

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.storage.right import SqlRights

right = typer.Typer(help="Use a termination right: the customer exercises or waives it.")
app.add_typer(right, name="right")

OnBehalf = Annotated[str, typer.Option("--on-behalf", help="How the customer said so (≤ 120 characters).")]
Note = Annotated[str | None, typer.Option(help="A note kept with the step.")]


def _open() -> tuple[Store, SqlRights]:
    from attain.services.rights import open_rights  # noqa: PLC0415 - SQLAlchemy only for these commands

    store, engine = open_store_engine()
    return store, open_rights(engine)


@app.command("rights")
def list_rights(name: str, output: OutputOption = Output.TEXT) -> None:
    """The termination rights granted to the customer: what, from which periods, until when, and their state."""
    from attain.services.rights import right_data, sync  # noqa: PLC0415

    store, ledger = _open()
    rows = [right_data(e) for e in sync(store, ledger, name, now())]
    if output is Output.JSON:
        print_json(rows)
        return
    if not rows:
        console().print(f"{name} has granted no termination right", markup=False)
        return
    table = Table("#", "objective", "grants", "granted", "periods", "exercise by", "state")
    for r in rows:
        table.add_row(
            str(r["number"]), r["objective"], r["grants"], r["grantedAt"], ", ".join(r["periods"]),
            r["exerciseBy"] or "—", r["state"],
        )  # fmt: skip
    console().print(table)


def _step(name: str, number: int, to: RightState, on_behalf: str, note: str | None, output: Output) -> None:
    from attain.services.rights import right_data, take  # noqa: PLC0415

    store, ledger = _open()
    done = take(ledger, name, number, to, caller(on_behalf), now(), note, store=store)
    if output is Output.JSON:
        print_json(right_data(done))
    else:
        ended = ledger.ending(name) if done.state is RightState.EXERCISED else None
        tail = (
            "" if ended is None or ended.right != number else f"; {name} is terminated, ending {iso_utc(ended.ends_at)}"
        )
        console().print(f"{name} right {number}: {done.state.value}{tail}", markup=False)


@right.command()
def exercise(
    name: str, number: int, on_behalf: OnBehalf, note: Note = None, output: OutputOption = Output.TEXT
) -> None:
    """The customer exercises an open right before its deadline."""
    _step(name, number, RightState.EXERCISED, on_behalf, note, output)


@right.command()
def waive(name: str, number: int, on_behalf: OnBehalf, note: Note = None, output: OutputOption = Output.TEXT) -> None:
    """The customer waives an open right."""
    _step(name, number, RightState.WAIVED, on_behalf, note, output)
