"""Raw measurements read back from the store: events, incidents, case events and announcements.

Each read is one indexed range query in time order, limited to the rows one agreement ingested
when it is named (`attain.storage.ledger.of_agreement`).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.model import ExclusionKind
from attain.storage import schema as s
from attain.storage.ledger import of_agreement


def read_events(conn: Connection, stream: str, start: int, end: int, agreement: str | None) -> list[Event]:
    """Events of a stream with `start <= at < end`, in time order (then as stored)."""
    t = s.events
    query = (
        select(t.c.at, t.c.value, t.c.attributes)
        .where(t.c.stream == stream, t.c.at >= start, t.c.at < end)
        .order_by(t.c.at, t.c.id)
    )
    return [Event(row.at, row.value, row.attributes) for row in conn.execute(of_agreement(query, t, agreement))]


def read_incidents(conn: Connection, stream: str, start: int, end: int, agreement: str | None) -> list[Incident]:
    """Incidents of a stream that overlap `[start, end)` (open ones included), by start."""
    t = s.incidents
    query = (
        select(t.c.start_at, t.c.end_at, t.c.attributes)
        .where(t.c.stream == stream, t.c.start_at < end, t.c.end_at.is_(None) | (t.c.end_at > start))
        .order_by(t.c.start_at, t.c.id)
    )
    rows = conn.execute(of_agreement(query, t, agreement))
    return [Incident(row.start_at, row.end_at, row.attributes) for row in rows]


def read_case_events(conn: Connection, stream: str, start: int, end: int, agreement: str | None) -> list[CaseEvent]:
    """Every event of every case that has an event in `[start, end)`, in time order."""
    t = s.case_events
    touched = of_agreement(select(t.c.case_id).where(t.c.stream == stream, t.c.at >= start, t.c.at < end), t, agreement)
    query = (
        select(t.c.case_id, t.c.type, t.c.at, t.c.attributes)
        .where(t.c.stream == stream, t.c.case_id.in_(touched))
        .order_by(t.c.at, t.c.id)
    )
    rows = conn.execute(of_agreement(query, t, agreement))
    return [CaseEvent(row.case_id, row.type, row.at, row.attributes) for row in rows]


def read_announcements(conn: Connection, start: int, end: int, agreement: str | None) -> list[Announcement]:
    """Announcements overlapping `[start, end)`, by start; only one agreement's when named."""
    t = s.announcements
    query = (
        select(t.c.start_at, t.c.end_at, t.c.kind, t.c.announced_at, t.c.objectives)
        .where(t.c.start_at < end, t.c.end_at > start)
        .order_by(t.c.start_at, t.c.id)
    )
    return [
        Announcement(row.start_at, row.end_at, ExclusionKind(row.kind), row.announced_at, tuple(row.objectives))
        for row in conn.execute(of_agreement(query, t, agreement))
    ]
