"""The scheduler: a tick (`attain.services.tick`) every interval, by the one process that holds the lease.

`create_scheduler(settings)` opens the store; `Scheduler.run(stop)` then loops until `stop` is
set: at every multiple of the interval since the epoch (on the minute for the default 60 s) it
takes or keeps the lease and, when it holds it, ticks. Several processes may run the loop;
exactly one ticks at a time:

- **PostgreSQL**: a session-level advisory lock (`pg_try_advisory_lock`, keyed by the schema) on
  a connection of the scheduler's own. The server releases it when that connection ends, so
  when the leader's process dies (even by SIGKILL) a follower takes the lock at its next try:
  within one interval.
- **SQLite** (one machine, an embedded store; normally one process: `attain serve --scheduler`):
  the row `scheduler` of `scheduler_lease`, renewed before every tick for two intervals. A
  follower takes it once it expired: within three intervals of the leader's last tick.

The lease is an economy, not what makes the work happen once: the jobs table does that (a tick
records each job in the transaction of its effect), so even two ticks at once do nothing twice.
A failing agreement is logged and the others go on; a failing tick (the database gone) is
logged and tried again at the next interval.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

import structlog
from sqlalchemy import Connection, Engine

from attain.ports import Store
from attain.services.runtime import system_clock
from attain.services.store import StoredEvaluation
from attain.services.tick import Tick, tick
from attain.settings import Settings
from attain.storage.job import hold_advisory_lock, release_advisory_lock, release_lease, take_lease
from attain.storage.store import SqlStore

NotifyStep = Callable[[Store, StoredEvaluation, int], None]
"""Called per agreement in force with the store, the tick's evaluation of it and the tick's instant (µs)."""
DeliverStep = Callable[[int], None]
"""Called once per tick, after every agreement, with the tick's instant (µs)."""

LEASE = "scheduler"
"""The lease's name (the advisory lock's key is derived from it and the schema)."""
DEFAULT_INTERVAL_SECONDS = 60
US_PER_SECOND = 1_000_000

LOGGER_NAME = "attain.scheduler"
"""The standard library logger the scheduler's lines are handed to, rendered already."""
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_log: Any = structlog.get_logger(LOGGER_NAME)


def scheduler_logger(settings: Settings) -> Any:
    """A structlog logger on `LOGGER_NAME` at the settings' level, rendered as console text or JSON."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.wrap_logger(
        logging.getLogger(LOGGER_NAME),
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.format_exc_info,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS.get(settings.log_level, logging.INFO)),
    )


def log_to(stream: TextIO, settings: Settings) -> None:
    """Send the scheduler's lines to `stream` (the CLI: stderr), one line each, at the settings' level."""
    logger = logging.getLogger(LOGGER_NAME)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers = [handler]
    logger.setLevel(_LEVELS.get(settings.log_level, logging.INFO))
    logger.propagate = False


class Lease(Protocol):
    """Who may tick: `hold` takes or keeps the lease at `now`, `release` gives it up."""

    def hold(self, now: int) -> bool:
        """Take the lease or keep it; True when this process holds it now."""
        ...

    def release(self) -> None:
        """Give the lease up (a stopping scheduler)."""
        ...


class AdvisoryLease:
    """PostgreSQL: a session-level advisory lock held on a connection of its own."""

    def __init__(self, engine: Engine, log: Any = _log) -> None:
        self._engine = engine
        self._log = log
        self._conn: Connection | None = None
        self._held = False

    def hold(self, now: int) -> bool:  # noqa: ARG002 - the server, not the clock, ends the lock
        """Keep the lock while its connection lives; otherwise try to take it (on a new connection if need be)."""
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self._held = False
            if self._held:
                self._conn.exec_driver_sql("SELECT 1")  # a lost connection has lost the lock too
            else:
                self._held = hold_advisory_lock(self._conn, LEASE)
        except Exception:  # noqa: BLE001 - a lost connection: drop it and try again next time
            self._log.warning("scheduler.lease_lost", exc_info=True)
            self._drop()
        return self._held

    def release(self) -> None:
        """Unlock and close the connection."""
        if self._conn is not None and self._held:
            try:
                release_advisory_lock(self._conn, LEASE)
            except Exception:  # noqa: BLE001 - closing the connection releases it anyway
                self._log.warning("scheduler.release_failed", exc_info=True)
        self._drop()

    def _drop(self) -> None:
        # Invalidated, not returned to the pool: a session that might still hold the lock must end.
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:  # noqa: BLE001 - already broken
                self._log.debug("scheduler.close_failed", exc_info=True)
        self._conn, self._held = None, False


class TableLease:
    """SQLite: the row `LEASE` of `scheduler_lease`, taken for `ttl` µs and renewed before each tick."""

    def __init__(self, engine: Engine, holder: str, ttl: int) -> None:
        self._engine, self._holder, self._ttl = engine, holder, ttl

    def hold(self, now: int) -> bool:
        """Take the lease if free or expired, renew it if held; True when held."""
        with self._engine.begin() as conn:
            return take_lease(conn, LEASE, self._holder, now, now + self._ttl)

    def release(self) -> None:
        """Delete the row if this process holds it, so another may take it at once."""
        with self._engine.begin() as conn:
            release_lease(conn, LEASE, self._holder)


@dataclass
class Scheduler:
    """A store, its lease, the hooks and the interval; `run` loops, `tick` does one tick now."""

    store: SqlStore
    lease: Lease
    reports_dir: Path
    interval: int
    """Seconds between ticks."""
    clock: Callable[[], int]
    notify: NotifyStep | None = None
    deliver: DeliverStep | None = None
    log: Any = _log
    leading: bool | None = None
    """Whether the last turn held the lease (None before the first)."""

    def tick(self, now: int | None = None) -> Tick:
        """One tick at `now` (default: the clock), lease or not (`attain scheduler --once`)."""
        at = self.clock() if now is None else now
        return tick(self.store, at, self.reports_dir, self.notify, self.deliver, self.log)

    def run(self, stop: threading.Event, on_tick: Callable[[Tick], None] | None = None) -> None:
        """Tick at every multiple of the interval while holding the lease, until `stop` is set; release it then."""
        self.log.info("scheduler.started", interval=self.interval)
        try:
            while not stop.is_set():
                self._turn(on_tick)
                step = self.interval * US_PER_SECOND
                wait = step - self.clock() % step
                stop.wait(wait / US_PER_SECOND)
        finally:
            try:
                self.lease.release()
            except Exception:  # the database is gone: the lease ends with the session or expires
                self.log.warning("scheduler.release_failed", exc_info=True)
            self.log.info("scheduler.stopped")

    def _turn(self, on_tick: Callable[[Tick], None] | None) -> None:
        now = self.clock()
        try:
            leading = self.lease.hold(now)
            if leading != self.leading:
                self.log.info("scheduler.leading" if leading else "scheduler.following", at=now, pid=os.getpid())
                self.leading = leading
            if not leading:
                return
            done = self.tick(now)
        except Exception:  # the database may be back at the next interval
            self.log.exception("scheduler.tick_failed", at=now)
            return
        self.log.info(
            "scheduler.tick",
            at=now,
            agreements=len(done.agreements),
            results=sum(len(a.results) for a in done.agreements),
            reports=sum(len(a.reports) for a in done.agreements),
            failed=[a.agreement for a in done.agreements if a.errors],
        )
        if on_tick is not None:
            on_tick(done)

    def close(self) -> None:
        """Release the lease (if still held) and close the store's connections."""
        try:
            self.lease.release()
        finally:
            self.store.engine.dispose()


def create_scheduler(
    settings: Settings,
    *,
    notify: NotifyStep | None = None,
    deliver: DeliverStep | None = None,
    interval: int = DEFAULT_INTERVAL_SECONDS,
    clock: Callable[[], int] = system_clock,
    holder: str | None = None,
    log: Any = None,
) -> Scheduler:
    """Open the configured store (migrated) and the lease that suits its database.

    Args:
        settings: Where the store is and where reports go (`Settings.reports_directory`).
        notify: Called per agreement in force each tick (None: nobody is told).
        deliver: Called once per tick (None: nothing is delivered).
        interval: Seconds between ticks, at least 1.
        clock: The wall clock in µs.
        holder: Who holds the SQLite lease; default: this host and process id.
        log: A structlog logger; default: `scheduler_logger(settings)`.
    """
    from attain.services.store import open_store_noting  # noqa: PLC0415 - SQLAlchemy only for the scheduler

    if interval < 1:
        raise ValueError(f"the interval must be at least 1 second, got {interval}")
    store = open_store_noting(settings).store
    if not isinstance(store, SqlStore):  # pragma: no cover - open_store_noting always returns one
        raise TypeError("the scheduler needs a SQL store")
    log = scheduler_logger(settings) if log is None else log
    lease: Lease
    if store.engine.dialect.name == "postgresql":
        lease = AdvisoryLease(store.engine, log)
    else:
        ttl = 2 * interval * US_PER_SECOND
        lease = TableLease(store.engine, holder or f"{socket.gethostname()}:{os.getpid()}", ttl)
    return Scheduler(store, lease, settings.reports_directory, interval, clock, notify, deliver, log)
