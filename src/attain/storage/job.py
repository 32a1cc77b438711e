"""The scheduler's jobs, each done once, and its lease: who ticks.

A job is a name and a key (`result` and `shop/checkout/2026-10`); `claim_job` inserts its row as
the first write of the transaction that does its effect, so a repeated or concurrent tick fails
on the primary key before it writes anything else (as the ingestion ledger does for batches).

The lease says which scheduler process ticks. On PostgreSQL it is a session-level advisory lock
(`hold_advisory_lock`) held on a connection of its own: the server ends it when the process
dies, so a follower's next try takes it. On SQLite (one machine, an embedded store) it is a row of
`scheduler_lease` with an expiry the holder renews every tick (`take_lease`); a holder that stops
renewing loses it once it expires.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import IntegrityError

from attain.storage import schema as s
from attain.storage.insert import dialect_insert


def claim_job(conn: Connection, job: str, key: str, now: int, detail: Mapping[str, Any] | None = None) -> bool:
    """Insert the row of (job, key), the first write of its transaction; False if it is done already.

    On a False the transaction is rolled back (nothing of it stays), so the caller opens it with
    `engine.connect()` and commits it itself; any other integrity error is raised.
    """
    try:
        conn.execute(s.jobs.insert().values(job=job, key=key, done_at=now, detail=dict(detail or {})))
    except IntegrityError:
        conn.rollback()
        if job_done(conn, job, key):
            return False
        raise
    return True


def job_done(conn: Connection, job: str, key: str) -> bool:
    """Whether (job, key) is recorded."""
    t = s.jobs
    return conn.execute(select(t.c.key).where(t.c.job == job, t.c.key == key)).first() is not None


def done_keys(conn: Connection, job: str, prefix: str) -> set[str]:
    """The recorded keys of `job` that start with `prefix`."""
    t = s.jobs
    rows = conn.execute(select(t.c.key).where(t.c.job == job, t.c.key.startswith(prefix, autoescape=True)))
    return {row.key for row in rows}


def take_lease(conn: Connection, name: str, holder: str, now: int, until: int) -> bool:
    """Take or renew the lease `name` for `holder` until `until`: True when `holder` holds it now.

    The lease is free when no row holds it, when its holder is `holder` (a renewal), or when it
    expired before `now`.
    """
    t = s.scheduler_lease
    conn.execute(
        dialect_insert(conn, t)
        .values(name=name, holder=holder, expires_at=until)
        .on_conflict_do_nothing(index_elements=[t.c.name])
    )
    conn.execute(
        update(t)
        .where(t.c.name == name, (t.c.holder == holder) | (t.c.expires_at < now))
        .values(holder=holder, expires_at=until)
    )
    held: str = conn.execute(select(t.c.holder).where(t.c.name == name)).scalar_one()
    return held == holder


def release_lease(conn: Connection, name: str, holder: str) -> None:
    """Give the lease `name` up, if `holder` holds it."""
    t = s.scheduler_lease
    conn.execute(delete(t).where(t.c.name == name, t.c.holder == holder))


def hold_advisory_lock(conn: Connection, name: str) -> bool:
    """Try to take PostgreSQL's session-level advisory lock of `name` in this schema; True when taken.

    The key is the hash of `name` and the connection's schema, so that stores in different
    schemas of one database have leases of their own. The lock lasts as long as the connection's
    session (or until `release_advisory_lock`); it is taken again, counted, on a second call.
    """
    query = text("SELECT pg_try_advisory_lock(hashtext(:name || '/' || current_schema()))")
    return bool(conn.execute(query, {"name": name}).scalar_one())


def release_advisory_lock(conn: Connection, name: str) -> None:
    """Release the advisory lock `hold_advisory_lock` took."""
    conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name || '/' || current_schema()))"), {"name": name})
