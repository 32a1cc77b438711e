"""Every schema revision, holding fixture data, upgrades to head with its rows intact; one step goes back down.

For each revision R of `attain/storage/migrations/versions`, a fresh database (a SQLite file and a
PostgreSQL schema) is migrated to R, and every table that exists at R gets fixture rows built from
its reflected columns (foreign keys pointing at the rows inserted before). The database is then
upgraded to head: each of those tables still holds the same number of rows, and the sha256 of its
rows (over the columns it had at R, in sorted order) is unchanged. From head, one downgrade
step and the upgrade again keep the rows of the tables the step does not drop (over the columns it
keeps). Alembic's
autogenerate comparison (no drift between the migrations and `schema.py`) is
`tests/storage/test_store_contract.py::test_migrated_schema_equals_metadata`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, insert, select, types

from attain.storage import connect, upgrade
from attain.storage.migrate import _config

ROWS = 3
"""Fixture rows per table."""


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    with _config() as config:
        script = ScriptDirectory.from_config(config)
        return [r.revision for r in reversed(list(script.walk_revisions()))]


MINUTE = 60_000_000
HOUR = 60 * MINUTE
MINUTE_ROWS = {"minute": lambda n: 490_000 * HOUR + (7 * n + 3) * MINUTE, "value_sum": lambda n: f"{n}.50"}
"""Values of `buckets` before 0015 (a row per minute) that a store can hold: whole minutes, decimal text."""
HOUR_ROWS = {
    "hour": lambda n: (490_000 + n) * HOUR,
    "present": lambda n: (1 << 59) | (5 << n),
    "good": lambda n: bytes(range(60)) if n else b"",
    "valid": lambda n: b"".join((i * 500 + n).to_bytes(2, "little", signed=True) for i in range(60)),
    "value_count": lambda n: b"".join((-i - n).to_bytes(8, "little", signed=True) for i in range(60)),
    "value_sum": lambda n: None if n == 0 else json.dumps([f"{n}.{i}0" for i in range(60)]),
}
"""Values of `buckets` from 0015 (a row per hour): hour starts, bitmasks, arrays of several widths
(empty: all zero), decimal texts (row 0: NULL, each minute's sum "0")."""


def _special(column: Any) -> Any:
    """The fixture values of a column of `buckets` whose generic value a store cannot hold, else None."""
    if column.table.name != "buckets":
        return None
    return (HOUR_ROWS if "hour" in column.table.columns else MINUTE_ROWS).get(column.name)


def _value(column: Any, n: int) -> Any:  # noqa: PLR0911 - one return per column type
    """A fixture value of the column's type for row `n` (distinct per row, so unique keys hold)."""
    special = _special(column)
    if special is not None:
        return special(n)
    kind = column.type
    if isinstance(kind, types.Boolean):
        return n % 2 == 0
    if isinstance(kind, types.Integer):
        return 1_000 + n
    if isinstance(kind, types.Numeric):
        return Decimal(f"{n}.5")
    if isinstance(kind, types.Float):
        return n + 0.5
    if isinstance(kind, types.DateTime):
        return datetime(2026, 1, 1 + n, tzinfo=UTC)
    if isinstance(kind, types.Date):
        return date(2026, 1, 1 + n)
    if isinstance(kind, types.LargeBinary):
        return f"{column.name}-{n}".encode()
    if isinstance(kind, types.JSON):
        return {"n": n}
    length = getattr(kind, "length", None) or 64
    return f"{column.name}-{n}"[:length]


def fill(engine: Engine) -> dict[str, list[str]]:
    """Insert `ROWS` rows into every table (parents first); return each filled table's columns."""
    meta = MetaData()
    meta.reflect(engine)
    filled: dict[str, list[str]] = {}
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows = []
        for n in range(ROWS):
            row = {c.name: _value(c, n) for c in table.columns}
            for fk in table.foreign_keys:
                parent = fk.column
                row[fk.parent.name] = _value(parent, n)
            rows.append(row)
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
        filled[table.name] = [c.name for c in table.columns]
    return filled


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows (but Alembic's), as {column: JSON-able value}; `buckets` always as minute rows."""
    meta = MetaData()
    meta.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name != "alembic_version":
                rows = [dict(row) for row in conn.execute(select(table)).mappings()]
                if name == "buckets" and "hour" in table.columns:
                    rows = [minute for row in rows for minute in _minutes(row)]
                found[name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return found


def _minutes(row: dict[str, Any]) -> list[dict[str, Any]]:
    """An hour row of `buckets` (revision 0015 on) as the minute rows it holds, decoded here independently."""

    def ints(blob: bytes) -> list[int]:
        data = bytes(blob)
        width = len(data) // 60
        return [
            int.from_bytes(data[i : i + width], "little", signed=True) if width else 0
            for i in range(0, 60 * max(width, 1), max(width, 1))
        ]

    good, valid, count = ints(row["good"]), ints(row["valid"]), ints(row["value_count"])
    sums = ["0"] * 60 if row["value_sum"] is None else json.loads(row["value_sum"])
    return [
        {
            "agreement": row["agreement"],
            "objective": row["objective"],
            "minute": row["hour"] + i * MINUTE,
            "good": good[i],
            "valid": valid[i],
            "value_count": count[i],
            "value_sum": sums[i],
        }
        for i in range(60)
        if row["present"] >> i & 1
    ]


def digest(rows: dict[str, list[dict[str, Any]]], columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of its rows over `columns`, in sorted order)} for each table in both."""
    found = {}
    for name, names in columns.items():
        if name in rows:
            text = json.dumps(sorted(json.dumps([r[c] for c in names]) for r in rows[name]))
            found[name] = (len(rows[name]), hashlib.sha256(text.encode()).hexdigest())
    return found


def _plain(value: Any) -> Any:
    """A stored value as JSON-able text, the same on SQLite and PostgreSQL."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal | float):
        return str(Decimal(str(value)).normalize())
    return value


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real SQLite file or the test's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/attain.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.mark.parametrize("revision", revisions()[:-1])
def test_a_revision_with_fixture_rows_upgrades_to_head_keeping_them(url: str, revision: str) -> None:
    """Rows stored at `revision` are all there at head, with the same content hash per table."""
    engine = connect(url)
    assert upgrade(engine, revision) == revision
    columns = fill(engine)
    if "hour" in columns.get("buckets", ()):  # from 0015 on: `snapshot` compares its hour rows minute by minute
        columns["buckets"] = ["agreement", "objective", "minute", "good", "valid", "value_count", "value_sum"]
    before = digest(snapshot(engine), columns)
    assert len(before) == len(columns) > 0
    assert all(count == ROWS for table, (count, _) in before.items() if table != "buckets")
    upgrade(engine)
    assert digest(snapshot(engine), columns) == before
    engine.dispose()


def test_one_downgrade_step_from_head_and_back_keeps_the_rows(url: str) -> None:
    """Head with fixture rows, down one revision and up again: the tables the step keeps hold the same rows."""
    engine = connect(url)
    upgrade(engine)
    fill(engine)
    before = snapshot(engine)
    previous = revisions()[-2]
    with _config() as config, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, previous)
    down = snapshot(engine)
    assert down.keys() <= before.keys()
    kept = {name: [c for c in before[name][0] if c in rows[0]] for name, rows in down.items()}
    assert digest(down, kept) == digest(before, kept)
    assert upgrade(engine) == revisions()[-1]
    assert digest(snapshot(engine), kept) == digest(before, kept)
    engine.dispose()
