"""The ingestion ledger: one row per stored batch, written first in the batch's transaction.

A batch's key is the ledger's primary key, so a retried or concurrent batch with the same key
fails on it before anything else is written (exactly once). Raw rows keep their batch's key, so
the ledger also tells which agreement ingested them (`of_agreement`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, Table, select
from sqlalchemy.exc import IntegrityError

from attain.ports import Batch, CountBatch, LedgerEntry
from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.insert import dialect_insert

KEYS_PER_READ = 500
"""Keys per `IN` list when asking which keys the ledger holds."""


def has_batch(conn: Connection, key: str) -> bool:
    """Whether the ledger holds `key`."""
    return conn.execute(select(s.ledger.c.key).where(s.ledger.c.key == key)).first() is not None


def known_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Which of `keys` the ledger holds, `KEYS_PER_READ` keys to a query."""
    found: set[str] = set()
    listed = list(keys)
    for low in range(0, len(listed), KEYS_PER_READ):
        chunk = listed[low : low + KEYS_PER_READ]
        found.update(conn.execute(select(s.ledger.c.key).where(s.ledger.c.key.in_(chunk))).scalars())
    return found


def claim(conn: Connection, batch: Batch | CountBatch, now: int) -> bool:
    """Insert the batch's ledger row, the first write of its transaction; False if the key is stored.

    A new batch also appends its audit entry (`batch.stored`) in the same transaction.

    Any other integrity error (not a duplicate key) is raised.
    """
    try:
        conn.execute(
            s.ledger.insert().values(
                key=batch.key,
                agreement=batch.agreement,
                stream=batch.stream,
                source=batch.source,
                rows=batch.rows,
                stored_at=now,
            )
        )
    except IntegrityError:
        conn.rollback()
        if has_batch(conn, batch.key):
            return False
        raise
    detail = {"stream": batch.stream, "source": batch.source, "rows": batch.rows}
    append(conn, batch.agreement, "batch.stored", batch.key, now, detail=detail)
    return True


def claim_keys(conn: Connection, batches: Sequence[Batch | CountBatch], now: int) -> list[bool]:
    """Insert the ledger rows of the batches whose keys are new, in one statement; per batch, whether it was.

    `ON CONFLICT DO NOTHING … RETURNING` gives the keys inserted, so a key stored earlier (or by a
    concurrent writer) is skipped without failing the transaction; a key repeated in `batches`
    counts for its first batch only. Each new batch appends its audit entry (`batch.stored`).
    """
    first = list({b.key: b for b in reversed(batches)}.values())
    if not first:
        return [False] * len(batches)
    rows = [
        {
            "key": b.key,
            "agreement": b.agreement,
            "stream": b.stream,
            "source": b.source,
            "rows": b.rows,
            "stored_at": now,
        }
        for b in first
    ]
    table = s.ledger
    statement = dialect_insert(conn, table).values(rows).on_conflict_do_nothing(index_elements=[table.c.key])
    inserted = {row[0] for row in conn.execute(statement.returning(table.c.key))}
    claimed = []
    for batch in batches:
        new = batch.key in inserted
        inserted.discard(batch.key)
        claimed.append(new)
        if new:
            detail = {"stream": batch.stream, "source": batch.source, "rows": batch.rows}
            append(conn, batch.agreement, "batch.stored", batch.key, now, detail=detail)
    return claimed


def ledger_entries(conn: Connection, agreement: str | None) -> list[LedgerEntry]:
    """Stored batches, oldest first (batches stored at the same instant by key); one agreement's when named."""
    t = s.ledger
    query = select(t.c.key, t.c.agreement, t.c.stream, t.c.source, t.c.rows, t.c.stored_at)
    if agreement is not None:
        query = query.where(t.c.agreement == agreement)
    return [LedgerEntry(*row) for row in conn.execute(query.order_by(t.c.stored_at, t.c.key))]


def of_agreement(query: Select[Any], table: Table, agreement: str | None) -> Select[Any]:
    """Only the rows ingested for `agreement` (through their batch's ledger entry), when named."""
    if agreement is None:
        return query
    return query.join(s.ledger, s.ledger.c.key == table.c.batch).where(s.ledger.c.agreement == agreement)
