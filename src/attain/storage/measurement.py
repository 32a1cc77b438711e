"""Events read back grouped by value and attributes (`attain drivers`).

The rows themselves (events, incidents, case events, announcements) are read through the
driver's cursor in `attain.storage.raw_read`, which the read-only store shares.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Text, cast, func, select

from attain.engine.filter import ABSENT
from attain.engine.measurement import Event, EventTable, float_exact
from attain.storage import schema as s
from attain.storage.ledger import of_agreement


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
