"""Results of closed periods: stored once, compared on every later save, never changed silently."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from attain.engine.instant import iso_utc
from attain.ports import ResultConflict, StoredResult
from attain.storage import schema as s
from attain.storage.audit import append, digest
from attain.storage.insert import dialect_insert


def save_results(conn: Connection, results: Sequence[StoredResult]) -> None:
    """Insert each result whose period is new; compare it with the stored one otherwise.

    Raises:
        ResultConflict: a stored result for the same agreement, objective and period (label and
            start) differs in status, ratio, good or valid.
    """
    t = s.results
    for result in results:
        inserted = conn.execute(
            dialect_insert(conn, t)
            .values(_result_row(result))
            .on_conflict_do_nothing(index_elements=list(t.primary_key))
            .returning(t.c.period)
        )
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT DO NOTHING.
        if inserted.first() is None:
            _check_same(conn, result)
        else:
            _audit(conn, result)


def _audit(conn: Connection, result: StoredResult) -> None:
    """Append the `result.stored` entry of a newly stored result, `after` the hash of what it says."""
    said = {
        "status": result.status,
        "ratio": None if result.ratio is None else str(result.ratio),
        "good": None if result.good is None else str(result.good),
        "valid": None if result.valid is None else str(result.valid),
        "data": json.loads(json.dumps(dict(result.data), default=str)),
    }
    detail = {"version": result.version, "status": result.status}
    subject = f"{result.objective} {result.period}"
    append(conn, result.agreement, "result.stored", subject, result.evaluated_at, detail=detail, after=digest(said))


def read_results(conn: Connection, agreement: str, objective: str | None) -> list[StoredResult]:
    """Stored results of an agreement (one objective's when named), by objective then period start."""
    t = s.results
    query = select(t).where(t.c.agreement == agreement)
    if objective is not None:
        query = query.where(t.c.objective == objective)
    rows = conn.execute(query.order_by(t.c.objective, t.c.start_at, t.c.period))
    return [stored_result(row) for row in rows]


def _result_row(result: StoredResult) -> dict[str, Any]:
    """The row of a stored result."""
    return {
        "agreement": result.agreement,
        "objective": result.objective,
        "period": result.period,
        "version": result.version,
        "start_at": result.start,
        "end_at": result.end,
        "status": result.status,
        "ratio": result.ratio,
        "good": result.good,
        "valid": result.valid,
        "data": dict(result.data),
        "evaluated_at": result.evaluated_at,
    }


def stored_result(row: Row[*tuple[Any, ...]]) -> StoredResult:
    """A `StoredResult` from a row of the results table."""
    return StoredResult(
        row.agreement,
        row.version,
        row.objective,
        row.period,
        row.start_at,
        row.end_at,
        row.status,
        row.ratio,
        row.good,
        row.valid,
        row.data,
        row.evaluated_at,
    )


def _check_same(conn: Connection, result: StoredResult) -> None:
    """Raise `ResultConflict` when the stored result of the same period differs from `result`."""
    t = s.results
    row = conn.execute(
        select(t).where(
            t.c.agreement == result.agreement,
            t.c.objective == result.objective,
            t.c.period == result.period,
            t.c.start_at == result.start,
        )
    ).one()
    stored = (row.status, row.ratio, row.good, row.valid)
    given = (result.status, result.ratio, result.good, result.valid)
    if stored != given:
        raise ResultConflict(
            f"agreement {result.agreement!r}, objective {result.objective!r}, period {result.period!r} "
            f"(from {iso_utc(result.start)}): "
            f"stored (status, ratio, good, valid) = {stored}, the new evaluation gives {given}; "
            "a closed period's result never changes silently: record late data as an adjustment"
        )
