"""Raw measurements read back from the store: events, incidents, case events and announcements.

Each read is one indexed range query in time order, limited to the rows one agreement ingested
when it is named (`attain.storage.ledger.of_agreement`).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Text, cast, func, select

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


def read_event_groups(
    conn: Connection, stream: str, start: int, split: int, end: int, agreement: str | None
) -> tuple[EventTable, npt.NDArray[np.int64]]:
    """The events of `[start, end)` grouped by value and attributes, before `split` and from it, with their counts.

    One row of the table per group: its `at` is `start` for a group before `split` and `split`
    for one from it (the groups' events lie in those halves), so a classification of the table
    weighted by the counts is the classification of every event, exactly, while the database
    sends one row per distinct value and attributes instead of one per event. The attributes are
    read as JSON text and parsed by Arrow in one pass; a column Arrow cannot give as text the way
    `attain.engine.filter.text` writes it (mixed types, fractions, nested values) sends the groups
    down the row-by-row parse instead.
    """
    t = s.events
    later = (t.c.at >= split).label("later")
    value, attributes = cast(t.c.value, Text).label("value"), cast(t.c.attributes, Text).label("attributes")
    query = (
        select(later, value, attributes, func.count().label("n"))
        .where(t.c.stream == stream, t.c.at >= start, t.c.at < end)
        .group_by(later, value, attributes)
        .order_by(later, value, attributes)
    )
    rows = conn.execute(of_agreement(query, t, agreement)).all()  # type: ignore[arg-type]  # a Select of four typed columns
    if not rows:
        return EventTable.from_events([]), np.zeros(0, dtype=np.int64)
    flags, values, texts, counts = zip(*rows, strict=True)
    at = np.where(np.array(flags, dtype=bool), split, start).astype(np.int64)
    exact = tuple(None if v is None else Decimal(v) for v in values)
    columns = _columns(texts)
    if columns is None:
        events = [Event(int(a), v, json.loads(x)) for a, v, x in zip(at.tolist(), exact, texts, strict=True)]
        return EventTable.from_events(events), np.array(counts, dtype=np.int64)
    numbers = np.array([np.nan if v is None else float(v) for v in exact], dtype=np.float64)
    floats_exact = all(v is None or float_exact(v) for v in exact)
    return EventTable(at, exact, columns, numbers, floats_exact), np.array(counts, dtype=np.int64)


def _columns(attributes: tuple[str, ...]) -> dict[str, npt.NDArray[np.str_]] | None:
    """Each attribute as normalised text (`ABSENT` where missing), or None when a column is not plain."""
    # pyarrow only when event attributes are grouped: status and summary never load it
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415
    import pyarrow.json as pa_json  # noqa: PLC0415

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
