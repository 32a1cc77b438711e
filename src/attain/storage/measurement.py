"""Raw measurements read back from the store: events, incidents, case events and announcements.

Each read is one indexed range query in time order, limited to the rows one agreement ingested
when it is named (`attain.storage.ledger.of_agreement`).
"""

from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
from sqlalchemy import Connection, Text, cast, select

from attain.engine.filter import ABSENT
from attain.engine.measurement import Announcement, CaseEvent, Event, EventTable, Incident, float_exact
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


def read_event_table(conn: Connection, stream: str, start: int, end: int, agreement: str | None) -> EventTable:
    """The events `read_events` gives, as the engine's columns, parsed in bulk (`EventTable.from_events`' result).

    The attributes are read as JSON text and parsed by Arrow in one pass rather than row by row;
    a column Arrow cannot give as text the way `attain.engine.filter.text` writes it (mixed
    types, fractions, nested values) sends the whole read down the row-by-row path instead.
    """
    t = s.events
    query = (
        select(t.c.at, cast(t.c.value, Text), cast(t.c.attributes, Text))
        .where(t.c.stream == stream, t.c.at >= start, t.c.at < end)
        .order_by(t.c.at, t.c.id)
    )
    rows = conn.execute(of_agreement(query, t, agreement)).all()
    if not rows:
        return EventTable.from_events([])
    at, values, attributes = zip(*rows, strict=True)
    columns = _columns(attributes)
    if columns is None:
        return EventTable.from_events(read_events(conn, stream, start, end, agreement))
    exact = tuple(None if v is None else Decimal(v) for v in values)
    numbers = np.array([np.nan if v is None else float(v) for v in exact], dtype=np.float64)
    floats_exact = all(v is None or float_exact(v) for v in exact)
    return EventTable(np.array(at, dtype=np.int64), exact, columns, numbers, floats_exact)


def _columns(attributes: tuple[str, ...]) -> dict[str, npt.NDArray[np.str_]] | None:
    """Each attribute as normalised text (`ABSENT` where missing), or None when a column is not plain."""
    try:
        table = pa_json.read_json(io.BytesIO("\n".join(attributes).encode()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != len(attributes):
        return None
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_boolean(kind):
            text = pc.if_else(column, "true", "false")
        elif pa.types.is_integer(kind) or pa.types.is_string(kind) or pa.types.is_null(kind):
            text = column.cast(pa.string())
        else:
            return None
        filled = pc.fill_null(text, ABSENT) if text.null_count else text
        columns[name] = np.array(filled.to_numpy(zero_copy_only=False), dtype=np.str_)
    return columns
