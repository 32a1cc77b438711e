"""`attain scheduler`: tick every interval (or once), storing closed periods and issuing reports."""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.engine.instant import iso_utc, to_us
from attain.reports.locale import Locale
from attain.settings import Settings

if TYPE_CHECKING:
    from attain.services.scheduler import Scheduler
    from attain.services.tick import Tick


def create_notifying(settings: Settings, **options: Any) -> Scheduler:
    """The scheduler every CLI command runs (`attain scheduler`, `attain serve --scheduler`), notifications wired.

    Each tick queues the notices each agreement's `notify:` block asks for into the outbox of the
    store (`attain.services.notifying`) and then delivers what is due (`attain.services.delivery`).
    The notification settings are read here, so a wrong one stops the scheduler at its start.
    """
    from attain.services.delivery import delivery_step  # noqa: PLC0415 - senders only for the scheduler
    from attain.services.notifying import notify_step  # noqa: PLC0415
    from attain.services.scheduler import create_scheduler  # noqa: PLC0415
    from attain.settings import NotifySettings  # noqa: PLC0415
    from attain.storage.outbox import SqlOutbox  # noqa: PLC0415

    notifying = NotifySettings.from_environ(os.environ)
    running = create_scheduler(settings, **options)
    engine = running.store.engine
    running.notify = notify_step(engine)
    running.deliver = delivery_step(SqlOutbox(engine), notifying, dict(os.environ))
    return running


@app.command()
def scheduler(
    interval: Annotated[int, typer.Option(help="Seconds between ticks, aligned to the minute for 60.", min=1)] = 60,
    once: Annotated[bool, typer.Option("--once", help="Run one tick now (no lease), print what it did, exit.")] = False,
    at: Annotated[str | None, typer.Option(help="With --once: the tick's instant, ISO 8601 with offset.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the text output: en or zh-CN.")] = "en",
    output: OutputOption = Output.TEXT,
) -> None:
    """Every interval: store closed periods, sync credits and rights, issue periodic reports, notify."""
    from attain.http.request_log import check_log_settings  # noqa: PLC0415
    from attain.services.scheduler import log_to  # noqa: PLC0415 - SQLAlchemy only when needed

    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a language: {lang!r} (use en or zh-CN)", param_hint="--lang")
    if at is not None and not once:
        raise typer.BadParameter("--at needs --once: a running scheduler ticks at the wall clock", param_hint="--at")
    settings = Settings.from_environ(os.environ, Path.cwd())
    check_log_settings(settings)
    log_to(sys.stderr, settings)
    running = create_notifying(settings, interval=interval)
    loc = Locale.of(lang)
    try:
        if once:
            instant = parse_instant(at, "--at") or datetime.now(UTC)
            _print_tick(running.tick(to_us(instant)), loc, output)
            return
        _run(running, loc, output)
    finally:
        running.close()


def _run(running: Scheduler, loc: Locale, output: Output) -> None:
    """Loop until SIGTERM or SIGINT, printing each tick that did something."""
    from attain.storage.database import display_url  # noqa: PLC0415

    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    if output is Output.TEXT:
        url = display_url(running.store.engine.url)
        console().print(loc.text("scheduler.started", url=url, interval=running.interval), markup=False)

    def printed(done: Tick) -> None:
        if any(a.results or a.reports or a.ledgers or a.errors for a in done.agreements) or done.delivery_error:
            _print_tick(done, loc, output)

    running.run(stop, printed)


def tick_data(done: Tick) -> dict[str, Any]:
    """A tick as plain data: instants in ISO 8601 (UTC), report files as paths."""
    return {
        "at": iso_utc(done.at),
        "agreements": [
            {
                "agreement": a.agreement,
                "since": None if a.since is None else iso_utc(a.since),
                "results": a.results,
                "ledgers": a.ledgers,
                "reports": [str(p) for p in a.reports],
                "errors": a.errors,
            }
            for a in done.agreements
        ],
        "deliveryError": done.delivery_error,
    }


def _print_tick(done: Tick, loc: Locale, output: Output) -> None:
    if output is Output.JSON:
        print_json(tick_data(done))
        sys.stdout.flush()
        return
    out = console()
    out.print(loc.text("scheduler.tick", at=iso_utc(done.at), count=len(done.agreements)), markup=False)
    for a in done.agreements:
        for error in a.errors:
            out.print(loc.text("scheduler.failed", name=a.agreement, error=error), markup=False)
        counts = {"results": len(a.results), "reports": len(a.reports), "ledgers": len(a.ledgers)}
        out.print(loc.text("scheduler.agreement", name=a.agreement, **counts), markup=False)
        for what in a.results:
            out.print(loc.text("scheduler.result", what=what), markup=False)
        for file in a.reports:
            out.print(loc.text("scheduler.report", file=file), markup=False)
    if done.delivery_error is not None:
        out.print(loc.text("scheduler.delivery", error=done.delivery_error), markup=False)
    sys.stdout.flush()
