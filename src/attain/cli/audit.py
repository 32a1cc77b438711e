"""`attain audit show` and `attain audit verify`: the store's hash-chained record of every change."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.engine.instant import to_us

if TYPE_CHECKING:
    from attain.storage.audit import SqlAudit

audit = typer.Typer(help="The audit trail: who changed what, when, hash-chained per agreement.", no_args_is_help=True)
app.add_typer(audit, name="audit")


def _open() -> SqlAudit:
    from attain.services.audit import open_audit  # noqa: PLC0415 - SQLAlchemy only for these commands
    from attain.settings import Settings  # noqa: PLC0415

    return open_audit(Settings.from_environ(os.environ, Path.cwd()))


@audit.command()
def show(
    agreement: Annotated[str | None, typer.Option(help="Only this agreement's chain ('*': the store's own).")] = None,
    since: Annotated[str | None, typer.Option(help="Only entries from this instant on (ISO 8601).")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """List the audit entries, oldest first: when, whose chain, position, who, what, and to what."""
    from attain.services.audit import entry_data  # noqa: PLC0415

    start = parse_instant(since, "--since")
    entries = _open().entries(agreement, None if start is None else to_us(start))
    if output is Output.JSON:
        print_json([entry_data(e) for e in entries])
        return
    table = Table("at (UTC)", "chain", "#", "actor", "action", "subject", "hash")
    for entry in entries:
        data = entry_data(entry)
        table.add_row(
            data["at_iso"], entry.tenant, str(entry.position), entry.actor, entry.action, entry.subject, entry.hash[:12]
        )
    console().print(table)


@audit.command()
def verify(output: OutputOption = Output.TEXT) -> None:
    """Recompute every chain; exit 1 and name the first broken entry of each chain that does not verify."""
    from attain.services.audit import verify as verify_trail  # noqa: PLC0415

    checked = verify_trail(_open())
    if output is Output.JSON:
        print_json(checked.as_dict())
    else:
        out = console()
        for tenant, (position, head) in checked.heads.items():
            out.print(f"chain {tenant}: {position} entries, head {head}", markup=False)
        for broken in checked.breaks:
            sys.stderr.write(f"attain: chain {broken.tenant} breaks at entry {broken.position}: {broken.problem}\n")
        if checked.ok:
            chains = len(checked.heads)
            plural = "s" * (chains != 1)
            out.print(f"audit trail verified: {checked.entries} entries in {chains} chain{plural}", markup=False)
    if not checked.ok:
        raise typer.Exit(1)
