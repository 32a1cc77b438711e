"""SQLite keeps the count tables WITHOUT ROWID, and migrating an existing store keeps every count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text
from tests.storage.old_store import audit_tables, store_minutes

from attain.ports import Batch, Bucket
from attain.storage import SqlStore, connect, current_revision, upgrade

MINUTE = 60_000_000
COUNT_TABLES = ("buckets", "bucket_hours", "bucket_days")


def _layout(store_path: Path) -> dict[str, bool]:
    engine = connect(f"sqlite:///{store_path}")
    with engine.connect() as conn:
        found = {
            name: "WITHOUT ROWID" in sql.upper()
            for name, sql in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        }
    engine.dispose()
    return {name: found[name] for name in COUNT_TABLES}


def test_a_new_store_keeps_counts_without_rowid(tmp_path: Path) -> None:
    """Freshly migrated: the three count tables are WITHOUT ROWID."""
    upgrade(f"sqlite:///{tmp_path}/a.db")
    assert _layout(tmp_path / "a.db") == dict.fromkeys(COUNT_TABLES, True)


def test_migrating_a_store_with_counts_keeps_them(tmp_path: Path) -> None:
    """A store at revision 0004 holding counts is rebuilt by 0005 with the same minutes, hours and days.

    At head (hour rows since 0015) the same minutes read back.
    """
    engine = connect(f"sqlite:///{tmp_path}/old.db")
    upgrade(engine, "0004")
    store = SqlStore(engine)
    with audit_tables(engine):  # today's store appends audit entries, which 0004 did not have
        store.apply("web", "v: 1\n", date(2026, 1, 1), "active", now=0)
        minutes = [Bucket("availability", 1_767_225_600_000_000 + i * MINUTE, i, i + 1) for i in range(150)]
        assert store.store_batch(Batch("k", "web", "prometheus", "test", 0), now=0)
    store_minutes(engine, "web", minutes)
    before = {t: _rows(engine, t) for t in COUNT_TABLES}
    assert [len(before[t]) for t in COUNT_TABLES] == [150, 3, 1]
    assert _layout(tmp_path / "old.db") == dict.fromkeys(COUNT_TABLES, False)
    upgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    assert {t: _rows(engine, t) for t in COUNT_TABLES} == before
    assert _layout(tmp_path / "old.db") == dict.fromkeys(COUNT_TABLES, True)
    upgrade(engine)
    assert _layout(tmp_path / "old.db") == dict.fromkeys(COUNT_TABLES, True)
    assert store.buckets("web", "availability", 0, 2**62) == minutes
    engine.dispose()


def _rows(engine: Engine, table: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2, 3"))]  # noqa: S608
