"""Changing an agreement as two parties: `attain propose`, `accept`, `reject`, `withdraw`, `proposals`, `history`.

The command line acts for the provider, as `cli:<login>`. An administrator who records the
customer's decision (a signed letter, an e-mail) acts for the customer with `--on-behalf NOTE`;
the note is kept with the decision and in the audit trail.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, print_json
from attain.cli.parties import caller
from attain.cli.read import now
from attain.engine.instant import iso_utc
from attain.engine.negotiation import Side
from attain.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.storage.proposal import SqlProposals

OnBehalf = Annotated[
    str | None,
    typer.Option("--on-behalf", help="Act for the customer, recording how it decided (≤ 120 characters)."),
]
Number = Annotated[
    int | None, typer.Option("--proposal", "-p", help="The proposal's number (`attain proposals NAME`).")
]
VersionOption = Annotated[
    int | None,
    typer.Option("--version", help="The version the proposal offers: the next one after the latest stored."),
]


def _usage(option: str, problem: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<command line>", None, None, option, problem, hint)])


def _which(store: Store, kept: SqlProposals, name: str, proposal: int | None, version: int | None) -> int:
    """The proposal named by `--proposal N` or by `--version N` (exactly one of them)."""
    from attain.services import proposals  # noqa: PLC0415

    if (proposal is None) == (version is None):
        raise _usage("--version", "name the proposal once", "give --version N (or --proposal N), not both")
    if proposal is not None:
        return proposal
    assert version is not None  # one of the two is given (checked above)
    return proposals.by_version(store, kept, name, version)


def _open() -> tuple[Store, SqlProposals]:
    from attain.services.proposals import open_negotiation  # noqa: PLC0415 - SQLAlchemy only for these commands
    from attain.settings import Settings  # noqa: PLC0415

    return open_negotiation(Settings.from_environ(os.environ, Path.cwd()))


@app.command()
def propose(
    file: Annotated[Path, typer.Argument(help="The agreement file: the whole new version.")],
    effective: Annotated[
        str | None, typer.Option(help="Take effect on this date (YYYY-MM-DD); default: the file's.")
    ] = None,
    note: Annotated[str, typer.Option(help="Why, in a sentence.")] = "",
    waive_notice: Annotated[bool, typer.Option(help="Ask the other party to waive the change notice.")] = False,
    on_behalf: OnBehalf = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Propose a new version: it is not judged until the other party accepts it."""
    from attain.formats.bundle import load_agreement  # noqa: PLC0415
    from attain.services import proposals  # noqa: PLC0415

    day = None
    if effective is not None:
        try:
            day = date.fromisoformat(effective)
        except ValueError:
            problem = f"not a date: {effective!r}"
            raise InvalidInput(
                [Problem("<command line>", None, None, "--effective", problem, "write YYYY-MM-DD")]
            ) from None
    store, kept = _open()
    made = proposals.propose(
        store,
        kept,
        load_agreement(file),
        caller(on_behalf),
        now(),
        effective=day,
        note=note,
        waive_notice=waive_notice,
    )
    if output is Output.JSON:
        print_json(proposals.proposal_data(made))
        return
    kind = "a change of terms: the customer decides" if made.side is Side.PROVIDER else "the provider decides"
    if not made.terms:
        kind = "an operational change: the provider decides"
    console().print(
        f"{made.agreement} proposal {made.number}: to take effect {made.effective_from.isoformat()}; {kind}",
        markup=False,
    )


@app.command()
def accept(
    name: str,
    offered: VersionOption = None,
    proposal: Number = None,
    on_behalf: OnBehalf = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Accept a proposal: it becomes the agreement's next version, in force from its date."""
    from attain.services import proposals  # noqa: PLC0415

    store, kept = _open()
    proposal = _which(store, kept, name, proposal, offered)
    applied = proposals.accept(store, kept, name, proposal, caller(on_behalf), now())
    version = applied.version
    if output is Output.JSON:
        print_json(
            {
                "agreement": name,
                "proposal": proposal,
                "version": version.version,
                "effectiveFrom": version.effective_from.isoformat(),
            }
        )
        return
    console().print(
        f"{name} proposal {proposal} accepted: version {version.version}, in force from "
        f"{version.effective_from.isoformat()}",
        markup=False,
    )


@app.command()
def reject(
    name: str,
    reason: Annotated[str, typer.Option(help="Why it is rejected.")],
    offered: VersionOption = None,
    proposal: Number = None,
    on_behalf: OnBehalf = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Reject a proposal of the other party, with a reason."""
    from attain.services import proposals  # noqa: PLC0415

    store, kept = _open()
    proposal = _which(store, kept, name, proposal, offered)
    closed = proposals.reject(kept, name, proposal, caller(on_behalf), now(), reason)
    if output is Output.JSON:
        print_json(proposals.proposal_data(closed))
        return
    console().print(f"{name} proposal {proposal} rejected", markup=False)


@app.command()
def withdraw(
    name: str,
    offered: VersionOption = None,
    proposal: Number = None,
    on_behalf: OnBehalf = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Withdraw a proposal of your own side."""
    from attain.services import proposals  # noqa: PLC0415

    store, kept = _open()
    proposal = _which(store, kept, name, proposal, offered)
    closed = proposals.withdraw(kept, name, proposal, caller(on_behalf), now())
    if output is Output.JSON:
        print_json(proposals.proposal_data(closed))
        return
    console().print(f"{name} proposal {proposal} withdrawn", markup=False)


@app.command("proposals")
def list_proposals(
    name: Annotated[str | None, typer.Argument(help="One agreement; default: all.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """List proposals: number, state, who proposed, the date it would take effect, the decision."""
    from attain.services import proposals  # noqa: PLC0415

    _, kept = _open()
    rows = [proposals.proposal_data(p) for p in kept.proposals(name)]
    if output is Output.JSON:
        print_json(rows)
        return
    out = console()
    if not rows:
        out.print("no proposals", markup=False)
    for row in rows:
        decided = f"; {row['state']} by {row['decidedBy']}" if row["decidedBy"] else ""
        out.print(
            f"{row['agreement']} #{row['number']} {row['state']}: by the {row['side']} ({row['author']}), "
            f"{'terms' if row['terms'] else 'operation'}, effective {row['effectiveFrom']}{decided}",
            markup=False,
        )


@app.command()
def history(name: str, output: OutputOption = Output.TEXT) -> None:
    """An agreement's history: each version stored, each proposal made and decided, in time order."""
    from attain.services import proposals  # noqa: PLC0415

    store, kept = _open()
    moments = proposals.history(store, kept, name)
    if not moments:
        raise InvalidInput(
            [Problem("<store>", None, None, "agreement", f"no history for {name!r}", "apply or propose it")]
        )
    if output is Output.JSON:
        print_json([{"at": iso_utc(m.at), "what": m.what, "subject": m.subject, "detail": m.detail} for m in moments])
        return
    for moment in moments:
        console().print(f"{iso_utc(moment.at)}  {moment.subject:<12} {moment.what}: {moment.detail}", markup=False)
