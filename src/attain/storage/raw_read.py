"""Raw measurements and adjustments read through the driver's cursor: what `SqlStore` and the read-only store share.

Plain SQL over `events`, `incidents`, `case_events`, `announcements` and `adjustments`, the same
statements `SqlStore` ran through SQLAlchemy Core, so that `attain status` on a current SQLite
store reads them without importing SQLAlchemy (`attain.storage.reader`). Each read is one indexed
range query in time order, limited to the rows one agreement ingested when it is named (through
their batch's ledger entry). Columns come back as SQLAlchemy's types gave them: JSON decoded
(`attain.storage.driver.Driver.json`), exact decimals as `Decimal` from their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.model.exclusion import ExclusionKind
from attain.ports import Adjustment
from attain.storage.driver import Driver, fetch


def _of_agreement(driver: Driver, table: str, agreement: str | None) -> tuple[str, str, tuple[str, ...]]:
    """The join, condition and parameter that keep the rows `agreement` ingested (nothing when None)."""
    if agreement is None:
        return "", "", ()
    return f' JOIN ledger ON ledger."key" = {table}.batch', f" AND ledger.agreement = {driver.mark}", (agreement,)


def read_events(driver: Driver, stream: str, start: int, end: int, agreement: str | None) -> list[Event]:
    """Events of a stream with `start <= at < end`, in time order (then as stored)."""
    m = driver.mark
    join, only, mine = _of_agreement(driver, "events", agreement)
    rows = fetch(
        driver,
        f"SELECT events.at, events.value, events.attributes FROM events{join} "  # noqa: S608 - marks only
        f"WHERE events.stream = {m} AND events.at >= {m} AND events.at < {m}{only} ORDER BY events.at, events.id",
        (stream, start, end, *mine),
    )
    return [Event(at, None if v is None else Decimal(v), driver.json(attributes)) for at, v, attributes in rows]


def read_incidents(driver: Driver, stream: str, start: int, end: int, agreement: str | None) -> list[Incident]:
    """Incidents of a stream that overlap `[start, end)` (open ones included), by start."""
    m = driver.mark
    join, only, mine = _of_agreement(driver, "incidents", agreement)
    rows = fetch(
        driver,
        f"SELECT incidents.start_at, incidents.end_at, incidents.attributes FROM incidents{join} "  # noqa: S608
        f"WHERE incidents.stream = {m} AND incidents.start_at < {m} "
        f"AND (incidents.end_at IS NULL OR incidents.end_at > {m}){only} ORDER BY incidents.start_at, incidents.id",
        (stream, end, start, *mine),
    )
    return [Incident(begin, finish, driver.json(attributes)) for begin, finish, attributes in rows]


def read_case_events(driver: Driver, stream: str, start: int, end: int, agreement: str | None) -> list[CaseEvent]:
    """Every event of every case that has an event in `[start, end)`, in time order."""
    m = driver.mark
    join, only, mine = _of_agreement(driver, "case_events", agreement)
    touched = (
        f"SELECT case_events.case_id FROM case_events{join} "  # noqa: S608
        f"WHERE case_events.stream = {m} AND case_events.at >= {m} AND case_events.at < {m}{only}"
    )
    rows = fetch(
        driver,
        "SELECT case_events.case_id, case_events.type, case_events.at, case_events.attributes "  # noqa: S608
        f"FROM case_events{join} WHERE case_events.stream = {m} AND case_events.case_id IN ({touched}){only} "
        "ORDER BY case_events.at, case_events.id",
        (stream, stream, start, end, *mine, *mine),
    )
    return [CaseEvent(case, kind, at, driver.json(attributes)) for case, kind, at, attributes in rows]


def read_announcements(driver: Driver, start: int, end: int, agreement: str | None) -> list[Announcement]:
    """Announcements overlapping `[start, end)`, by start; only one agreement's when named."""
    m = driver.mark
    join, only, mine = _of_agreement(driver, "announcements", agreement)
    rows = fetch(
        driver,
        "SELECT announcements.start_at, announcements.end_at, announcements.kind, announcements.announced_at, "  # noqa: S608
        f"announcements.objectives FROM announcements{join} "
        f"WHERE announcements.start_at < {m} AND announcements.end_at > {m}{only} "
        "ORDER BY announcements.start_at, announcements.id",
        (end, start, *mine),
    )
    return [
        Announcement(begin, finish, ExclusionKind(kind), announced, tuple(driver.json(objectives)))
        for begin, finish, kind, announced, objectives in rows
    ]


def read_adjustments(driver: Driver, agreement: str) -> list[Adjustment]:
    """Adjustments recorded for an agreement, oldest first."""
    rows: Sequence[Sequence[Any]] = fetch(
        driver,
        "SELECT agreement, objective, period, batch, rows, recorded_at FROM adjustments "  # noqa: S608 - marks only
        f"WHERE agreement = {driver.mark} ORDER BY recorded_at, id",
        (agreement,),
    )
    return [Adjustment(*row) for row in rows]
