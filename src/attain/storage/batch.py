"""Writing a batch: its raw rows (events, incidents, case events, announcements), buckets and adjustments.

A batch may also end incidents that an earlier batch stored open (`Batch.incident_ends`).

The ledger row comes first (`attain.storage.ledger`); then the rows go in `CHUNK_ROWS` at a time
and the batch's bucket counts are added to the stored ones (`attain.storage.bucket`). The
adjustments a batch recorded are read back here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, update

from attain.ports import Adjustment, Batch, IncidentEnd
from attain.storage import schema as s
from attain.storage.bucket import upsert_buckets
from attain.storage.insert import insert_chunked


def write_batch(conn: Connection, batch: Batch) -> None:
    """Insert a batch's rows and add its bucket counts, after its ledger row."""
    key, stream = batch.key, batch.stream
    insert_chunked(
        conn,
        s.events,
        (
            {"batch": key, "stream": stream, "at": e.at, "value": e.value, "attributes": dict(e.attributes)}
            for e in batch.events
        ),
    )
    insert_chunked(
        conn,
        s.incidents,
        (
            {"batch": key, "stream": stream, "start_at": i.start, "end_at": i.end, "attributes": dict(i.attributes)}
            for i in batch.incidents
        ),
    )
    insert_chunked(
        conn,
        s.case_events,
        (
            {
                "batch": key,
                "stream": stream,
                "case_id": c.case,
                "type": c.type,
                "at": c.at,
                "attributes": dict(c.attributes),
            }
            for c in batch.case_events
        ),
    )
    insert_chunked(
        conn,
        s.announcements,
        (
            {
                "batch": key,
                "start_at": a.start,
                "end_at": a.end,
                "kind": str(a.kind),
                "announced_at": a.announced_at,
                "objectives": list(a.objectives),
            }
            for a in batch.announcements
        ),
    )
    upsert_buckets(conn, batch.agreement, batch.buckets)
    write_adjustments(conn, batch.adjustments)
    end_incidents(conn, batch.incident_ends)


def end_incidents(conn: Connection, ends: Iterable[IncidentEnd]) -> None:
    """Set the end of every still-open incident of each named batch; an ended incident keeps its end."""
    t = s.incidents
    for ended in ends:
        conn.execute(update(t).where(t.c.batch == ended.batch, t.c.end_at.is_(None)).values(end_at=ended.end))


def write_adjustments(conn: Connection, adjustments: Iterable[Adjustment]) -> None:
    """Insert adjustments (late data in closed periods)."""
    insert_chunked(
        conn,
        s.adjustments,
        (
            {
                "batch": j.batch,
                "agreement": j.agreement,
                "objective": j.objective,
                "period": j.period,
                "rows": j.rows,
                "recorded_at": j.recorded_at,
            }
            for j in adjustments
        ),
    )
