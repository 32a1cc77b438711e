"""`attain notifications NAME`: the messages sent about an agreement, waiting, failed or dead-lettered."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, print_json
from attain.cli.parties import open_store_engine
from attain.reports.locale import Language, Locale


class Status(StrEnum):
    """`attain.storage.outbox.MessageStatus` written out again, so that the command loads SQLAlchemy only when run."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


STYLES = {"sent": "green", "pending": "", "failed": "yellow", "dead": "red"}
"""How each state of a message is coloured in the table."""


@app.command()
def notifications(
    name: str,
    status: Annotated[Status | None, typer.Option(help="Only messages that are pending, sent or dead.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first.")] = 100,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the table: en or zh-CN.")] = Language.EN,
    requeue: Annotated[
        bool,
        typer.Option("--requeue", help="First make the dead-lettered messages due again (after fixing the cause)."),
    ] = False,
    output: OutputOption = Output.TEXT,
) -> None:
    """The notification history: each message's receiver, channel, event, status, attempts and last error."""
    from attain.cli.read import now  # noqa: PLC0415
    from attain.services import notifications as service  # noqa: PLC0415
    from attain.services.notifications import counts_text, history, notification_lines  # noqa: PLC0415
    from attain.storage.outbox import MessageStatus  # noqa: PLC0415 - SQLAlchemy only when run

    store, engine = open_store_engine()
    if requeue:
        requeued = service.requeue(store, engine, name, now())
        if output is not Output.JSON:
            console().print(Locale(lang).text("notifications.requeued", count=requeued), markup=False)
    chosen = None if status is None else MessageStatus(status.value)
    found = history(store, engine, name, limit=limit, status=chosen)
    if output is Output.JSON:
        print_json(found.as_dict())
        return
    loc, out = Locale(lang), console()
    out.print(loc.text("notifications.heading", name=name), markup=False)
    out.print(counts_text(found, loc), markup=False)
    lines = notification_lines(found, loc)
    if not lines:
        out.print(loc.text("notifications.none"), markup=False)
        return
    table = Table()
    for column in ("decided", "receiver", "channel", "event", "condition", "status", "attempts", "detail"):
        table.add_column(loc.text(f"notifications.col.{column}"))
    for line in lines:
        style = STYLES[line.state]
        shown = f"[{style}]{escape(line.status)}[/{style}]" if style else escape(line.status)
        cells = (line.decided, line.receiver, line.channel, line.event, line.condition)
        table.add_row(*map(escape, cells), shown, str(line.attempts), escape(line.detail))
    out.print(table)
