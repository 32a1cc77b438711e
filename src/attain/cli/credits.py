"""The credit ledger: `attain credits NAME` lists what is owed; `attain credit claim|approve|reject|issue` moves it.

The command line acts for the provider (as `cli:<login>`); `--on-behalf NOTE` records a step the
customer took (a claim by e-mail), as for proposals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, money_text, print_json
from attain.cli.parties import caller, open_store_engine
from attain.cli.read import now
from attain.engine.claims import Step
from attain.engine.negotiation import Caller
from attain.model.quantity import format_ratio

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.storage.credit import CreditEntry, SqlCredits

credit = typer.Typer(help="Move a credit: the customer claims it, the provider approves, rejects or issues it.")
app.add_typer(credit, name="credit")

OnBehalf = Annotated[
    str | None, typer.Option("--on-behalf", help="Act for the customer, recording how it asked (≤ 120 characters).")
]


def _open() -> tuple[Store, SqlCredits]:
    from attain.storage.credit import SqlCredits  # noqa: PLC0415 - SQLAlchemy only for these commands

    store, engine = open_store_engine()
    return store, SqlCredits(engine)


@app.command("credits")
def list_credits(name: str, output: OutputOption = Output.TEXT) -> None:
    """The credits closed periods owe, and where each stands: owed (claim by …), claimed, approved, issued."""
    from attain.services.credits import entry_data, shown_period, sync  # noqa: PLC0415

    store, ledger = _open()
    synced = sync(store, ledger, name, now())
    entries = [entry_data(e) for e in synced]
    if output is Output.JSON:
        print_json(entries)
        return
    if not entries:
        console().print(f"{name} owes no credit for a closed period", markup=False)
        return
    table = Table("period", "share", "amount", "state", "claim by", "objectives")
    for entry, e in zip(synced, entries, strict=True):
        amount = "—" if e["amount"] is None else money_text(Decimal(e["amount"]), e["currency"] or "")
        share = format_ratio(Decimal(e["share"]))
        table.add_row(
            shown_period(entry, synced), share, amount, e["state"], e["claimBy"] or "—", ", ".join(e["objectives"])
        )
    console().print(table)
    for e in entries:
        if e["capped"]:
            console().print(f"  {e['period']}: {e['capped']}", markup=False)


def _take(name: str, period: str, step: Step, caller: Caller, **extra: str | None) -> CreditEntry:
    from attain.services.credits import take  # noqa: PLC0415

    _, ledger = _open()
    return take(ledger, name, period, step, caller, now(), **extra)


def _print(entry: CreditEntry, output: Output) -> None:
    from attain.services.credits import entry_data  # noqa: PLC0415

    if output is Output.JSON:
        print_json(entry_data(entry))
    else:
        console().print(f"{entry.agreement} {entry.period}: credit {entry.state.value}", markup=False)


@credit.command()
def claim(name: str, period: str, on_behalf: OnBehalf = None, output: OutputOption = Output.TEXT) -> None:
    """The customer claims an owed credit (from the command line: --on-behalf, recording how it asked)."""
    _print(_take(name, period, Step.CLAIM, caller(on_behalf)), output)


@credit.command()
def approve(name: str, period: str, output: OutputOption = Output.TEXT) -> None:
    """The provider approves a claimed credit."""
    _print(_take(name, period, Step.APPROVE, caller(None)), output)


@credit.command("reject")
def reject_claim(
    name: str,
    period: str,
    reason: Annotated[str, typer.Option(help="Why the claim is rejected.")],
    output: OutputOption = Output.TEXT,
) -> None:
    """The provider rejects a claimed credit, with a reason."""
    _print(_take(name, period, Step.REJECT, caller(None), reason=reason), output)


@credit.command()
def issue(
    name: str,
    period: str,
    reference: Annotated[str, typer.Option(help="The credit note, invoice line or payment it was issued as.")],
    output: OutputOption = Output.TEXT,
) -> None:
    """The provider records an approved credit as issued (a credit note, a payment)."""
    _print(_take(name, period, Step.ISSUE, caller(None), reference=reference), output)
