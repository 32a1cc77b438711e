"""The `Store` contract, run against `SqlStore` on SQLite and PostgreSQL and against `MemoryStore` alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.model import ExclusionKind
from attain.ports import (
    Adjustment,
    AgreementVersion,
    Batch,
    Bucket,
    IncidentEnd,
    LedgerEntry,
    ResultConflict,
    Store,
    StoredResult,
)
from attain.storage import SqlStore, connect, current_revision, head_revision, normalise_url, upgrade
from attain.storage.access import SqlAccess
from attain.storage.migrate import HEAD_REVISION, stored_revision, upgrade_if_behind
from attain.storage.schema import metadata
from attain.testing import MemoryStore

MINUTE = 60_000_000
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in µs

# sha256 of "v: 1\n" and "v: 2\n", from `printf 'v: 1\n' | sha256sum`
DIGEST_V1 = "ecd05c925a1151866928eee0db719ec248650e8e54222af42d305c343958b15e"
DIGEST_V2 = "ec0bebf2a1a2c1db3732fe794ab9188c1736147895518ea00ccb55947c34bbf0"

HEAD = "0016"
"""The newest migration: bump it with each new revision."""

TABLES = {
    "audit",
    "audit_heads",
    "adjustments",
    "agreement_versions",
    "agreements",
    "alembic_version",
    "announcements",
    "bucket_days",
    "bucket_hours",
    "buckets",
    "case_events",
    "credits",
    "events",
    "exclusion_requests",
    "idempotency",
    "incidents",
    "jobs",
    "ledger",
    "notice_states",
    "outbox",
    "proposals",
    "results",
    "reviews",
    "rights",
    "scheduler_lease",
    "terminations",
    "tokens",
}


def _batch(key: str, **parts: object) -> Batch:
    """A batch of agreement `acme`, stream `api`, with the given parts."""
    return Batch(key=key, agreement="acme", stream="api", source="file:api.csv", rows=1, **parts)  # type: ignore[arg-type]


def _result(period: str = "2026-01", ratio: str = "0.999", status: str = "met") -> StoredResult:
    """A stored result of objective `availability` for `period`."""
    return StoredResult(
        agreement="acme",
        version=1,
        objective="availability",
        period=period,
        start=T0,
        end=T0 + 31 * 24 * 60 * MINUTE,
        status=status,
        ratio=Decimal(ratio),
        good=Decimal(999),
        valid=Decimal(1000),
        data={"status": status, "notes": ["late data"]},
        evaluated_at=T0 + 1,
    )


def _generation(store: Store) -> tuple[int, ...]:
    """The store's generation: `SqlAccess.generation` on a database, `MemoryStore.generation` in memory."""
    if isinstance(store, MemoryStore):
        return store.generation()
    assert isinstance(store, SqlStore)
    return SqlAccess(store._engine).generation()


def _refused(store: Store, sql: type[Exception], memory: type[Exception]) -> type[Exception]:
    """The exception a store raises for a refused write: the driver's on a database, a builtin in memory."""
    return memory if isinstance(store, MemoryStore) else sql


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    """Migrating reaches the head revision, and migrating again changes nothing."""
    assert current_revision(engine) is None
    assert upgrade(engine) == HEAD
    assert upgrade(engine) == HEAD
    assert current_revision(engine) == head_revision() == HEAD
    assert set(inspect(engine).get_table_names()) == TABLES


def test_opening_a_current_store_skips_alembic(engine: Engine) -> None:
    """The fast path's pinned head is Alembic's; a new store is migrated, a current one is only read."""
    assert HEAD_REVISION == HEAD == head_revision()
    assert stored_revision(engine) is None
    assert upgrade_if_behind(engine) is None
    assert stored_revision(engine) == HEAD
    assert upgrade_if_behind(engine) == HEAD


def test_migrated_schema_equals_metadata(engine: Engine) -> None:
    """The migrated database has exactly the tables, columns, types, keys and indexes of schema.py."""
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("events")}
    assert indexes == {"ix_events_stream_at", "ix_events_batch"}
    uniques = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("agreement_versions")}
    assert uniques == {("agreement_id", "version")}


def test_apply_stores_versions_and_dates_them(store: Store) -> None:
    """A new document is version 1, the same one again is a no-op, a later one closes the previous."""
    first = store.apply("acme", "v: 1\n", date(2026, 1, 1), "active", now=T0)
    again = store.apply("acme", "v: 1\n", date(2026, 3, 1), "active", now=T0 + 5)
    second = store.apply("acme", "v: 2\n", date(2026, 2, 1), "active", now=T0 + 9)
    store.apply("beta", "b\n", date(2026, 1, 15), "draft", now=T0 + 10)

    assert first.created is True
    assert first.version.version == 1
    assert again.created is False
    assert again.version == first.version
    assert second.created is True
    assert store.versions("acme") == [
        AgreementVersion(
            "acme", 1, "v: 1\n", DIGEST_V1, date(2026, 1, 1), date(2026, 1, 31), "active", T0, recounted_at=T0
        ),
        AgreementVersion("acme", 2, "v: 2\n", DIGEST_V2, date(2026, 2, 1), None, "active", T0 + 9),
    ]
    assert [(v.name, v.version) for v in store.agreements()] == [("acme", 2), ("beta", 1)]
    assert store.versions("unknown") == []


def test_apply_refuses_a_backdated_version(store: Store) -> None:
    """A new version on or before the latest version's date is refused, and nothing changes."""
    store.apply("acme", "v: 1\n", date(2026, 2, 1), "active", now=T0)
    with pytest.raises(ValueError, match=r"on or before version 1 \(2026-02-01\); give it an effective date after"):
        store.apply("acme", "v: 2\n", date(2026, 2, 1), "active", now=T0 + 1)
    with pytest.raises(ValueError, match="takes effect on 2026-01-15"):
        store.apply("acme", "v: 2\n", date(2026, 1, 15), "active", now=T0 + 1)
    assert [(v.version, v.effective_until) for v in store.versions("acme")] == [(1, None)]


def test_apply_keeps_the_model_json_and_refreshes_it_for_another_revision(store: Store) -> None:
    """The (revision, JSON) given with a version is read back; the same document under another revision updates it."""
    first = store.apply("acme", "v: 1\n", date(2026, 1, 1), "active", now=T0, model=("r1", '{"a": 1}'))
    same = store.apply("acme", "v: 1\n", date(2026, 1, 1), "active", now=T0 + 1, model=("r1", '{"a": 2}'))
    newer = store.apply("acme", "v: 1\n", date(2026, 1, 1), "active", now=T0 + 2, model=("r2", '{"a": 3}'))
    assert (first.version.model_revision, first.version.model) == ("r1", '{"a": 1}')
    assert (same.created, same.version.model) == (False, '{"a": 1}'), "same revision: kept as stored"
    assert (newer.created, newer.version.model_revision, newer.version.model) == (False, "r2", '{"a": 3}')
    [stored] = store.versions("acme")
    assert (stored.version, stored.model_revision, stored.model, stored.stored_at) == (1, "r2", '{"a": 3}', T0)
    store.apply("beta", "b\n", date(2026, 1, 1), "active", now=T0)
    assert [(v.name, v.model) for v in store.agreements()] == [("acme", '{"a": 3}'), ("beta", None)]


def test_a_later_version_owes_a_recount_until_marked(store: Store) -> None:
    """Version 1 needs no recount; version 2 owes one until `mark_recounted`, which changes the generation."""
    store.apply("acme", "v: 1\n", date(2026, 1, 1), "active", now=T0)
    store.apply("acme", "v: 2\n", date(2026, 2, 1), "active", now=T0 + 1)
    assert [v.recounted_at for v in store.versions("acme")] == [T0, None]
    before = _generation(store)
    store.mark_recounted("acme", 2, T0 + 7)
    assert [v.recounted_at for v in store.versions("acme")] == [T0, T0 + 7]
    assert _generation(store) != before


def test_store_batch_exactly_once(store: Store) -> None:
    """Storing the same key twice returns False the second time and doubles nothing."""
    batch = _batch(
        "k1",
        events=[Event(T0, Decimal("1.5")), Event(T0 + 1)],
        buckets=[Bucket("latency", T0, good=1, valid=2, value_count=1, value_sum=Decimal("1.5"))],
    )
    assert store.has_batch("k1") is False
    assert store.store_batch(batch, now=T0 + 10) is True
    assert store.store_batch(batch, now=T0 + 20) is False
    assert store.has_batch("k1") is True
    assert store.events("api", T0, T0 + MINUTE) == [Event(T0, Decimal("1.5")), Event(T0 + 1)]
    assert store.buckets("acme", "latency", T0, T0 + MINUTE) == [Bucket("latency", T0, 1, 2, 1, Decimal("1.5"))]
    assert store.ledger() == [LedgerEntry("k1", "acme", "api", "file:api.csv", 1, T0 + 10)]


def test_known_batches_are_read_at_once(store: Store) -> None:
    """`known_batches` names exactly the stored keys among many asked (more than one read's worth)."""
    for key in ("k1", "k700"):
        store.store_batch(_batch(key, events=[Event(T0)]), now=T0)
    asked = [f"k{i}" for i in range(1_200)]
    assert store.known_batches(asked) == {"k1", "k700"}
    assert store.known_batches([]) == set()


def test_failing_batch_leaves_nothing(store: Store) -> None:
    """A batch whose 1501st event has a float value fails after 1000 rows went in, and leaves no trace."""
    events = [Event(T0 + i, Decimal(i)) for i in range(1500)] + [Event(T0 + 1500, 0.1)]  # type: ignore[arg-type]
    batch = _batch("bad", events=events, buckets=[Bucket("latency", T0, 1, 1)])
    with pytest.raises(_refused(store, StatementError, TypeError), match=r"expected a Decimal, got float 0\.1"):
        store.store_batch(batch, now=T0)
    assert store.has_batch("bad") is False
    assert store.ledger() == []
    assert store.events("api", T0, T0 + MINUTE) == []
    assert store.buckets("acme", "latency", T0, T0 + MINUTE) == []


def test_attributes_that_are_not_json_leave_nothing(store: Store) -> None:
    """A case event whose attribute is a Decimal cannot be stored as JSON: the batch fails whole.

    SQLite wraps the TypeError in a StatementError, psycopg raises it as it is.
    """
    batch = _batch("odd", events=[Event(T0)], case_events=[CaseEvent("C1", "open", T0, {"cost": Decimal(1)})])
    with pytest.raises((StatementError, TypeError), match="Object of type Decimal is not JSON serializable"):
        store.store_batch(batch, now=T0)
    assert (store.has_batch("odd"), store.ledger(), store.events("api", T0, T0 + 1)) == (False, [], [])


def test_violated_constraint_rolls_back_and_is_not_a_duplicate(store: Store) -> None:
    """An adjustment naming an unknown batch breaks a foreign key: the error propagates, nothing stays."""
    adjustment = Adjustment("acme", "availability", "2025-12", batch="no-such-batch", rows=3, recorded_at=T0)
    batch = _batch("k2", events=[Event(T0)], adjustments=[adjustment])
    with pytest.raises(_refused(store, IntegrityError, ValueError)):
        store.store_batch(batch, now=T0)
    assert store.has_batch("k2") is False
    assert store.events("api", T0, T0 + 1) == []
    assert store.adjustments("acme") == []


def test_bucket_upserts_add_exactly(store: Store) -> None:
    """Buckets of the same minute add up, within a batch and across batches, with exact value sums."""
    tiny = Decimal("0.000000000000000000000000000001")
    store.store_batch(
        _batch("a", buckets=[Bucket("lat", T0, 1, 2, 1, Decimal("0.1")), Bucket("lat", T0, 3, 4, 1, Decimal("0.2"))]),
        now=T0,
    )
    store.store_batch(
        _batch(
            "b",
            buckets=[
                Bucket("lat", T0, 10, 20, 2, Decimal("12345678901234.000000000001")),
                Bucket("lat", T0 + MINUTE, 5, 5),
                Bucket("other", T0, 7, 7, 1, tiny),
            ],
        ),
        now=T0 + 1,
    )
    assert store.buckets("acme", "lat", T0, T0 + 2 * MINUTE) == [
        Bucket("lat", T0, 14, 26, 4, Decimal("12345678901234.300000000001")),
        Bucket("lat", T0 + MINUTE, 5, 5, 0, Decimal(0)),
    ]
    store.store_batch(
        _batch("c", buckets=[Bucket("other", T0, 0, 1, 1, Decimal("12345678901234.000000000001"))]), now=T0
    )
    [other] = store.buckets("acme", "other", T0, T0 + MINUTE)
    assert str(other.value_sum) == "12345678901234.000000000001000000000000000001"
    assert (other.good, other.valid, other.value_count) == (7, 8, 2)


def test_reads_use_half_open_ranges(store: Store) -> None:
    """Events and buckets at `start` are read, those at `end` are not."""
    at = [T0 - 1, T0, T0 + MINUTE - 1, T0 + MINUTE]
    minutes = [T0 - MINUTE, T0, T0 + MINUTE]
    store.store_batch(
        _batch("k", events=[Event(t) for t in at], buckets=[Bucket("lat", m, 1, 1) for m in minutes]), now=T0
    )
    assert [e.at for e in store.events("api", T0, T0 + MINUTE)] == [T0, T0 + MINUTE - 1]
    assert [b.minute for b in store.buckets("acme", "lat", T0, T0 + MINUTE)] == [T0]
    assert store.events("other-stream", T0 - MINUTE, T0 + MINUTE) == []


def test_decimals_round_trip_exactly(store: Store) -> None:
    """Event values come back as the same Decimals, digits and scale included."""
    values = ["0.1", "12345678901234.000000000001", "-5", "1.10", "1E+3", "0"]
    store.store_batch(_batch("k", events=[Event(T0 + i, Decimal(v)) for i, v in enumerate(values)]), now=T0)
    read = [e.value for e in store.events("api", T0, T0 + MINUTE)]
    assert [str(v) for v in read] == values
    assert all(isinstance(v, Decimal) for v in read)


def test_attributes_round_trip(store: Store) -> None:
    """Attributes of str, int, bool and None values come back equal and of the same types."""
    attributes = {"region": "eu", "code": 503, "retry": True, "cached": False, "user": None, "tags": ["a", "b"]}
    store.store_batch(
        _batch("k", events=[Event(T0, None, attributes)], case_events=[CaseEvent("C1", "open", T0, attributes)]),
        now=T0,
    )
    [event] = store.events("api", T0, T0 + 1)
    assert event == Event(T0, None, attributes)
    assert [type(event.attributes[k]) for k in ("code", "retry", "cached")] == [int, bool, bool]
    assert store.case_events("api", T0, T0 + 1) == [CaseEvent("C1", "open", T0, attributes)]


def test_incidents_overlapping_a_range_include_open_ones(store: Store) -> None:
    """Closed incidents that overlap `[start, end)` and every open incident started before `end` are read."""
    closed = Incident(T0 + 10, T0 + 20, {"id": "INC-1"})
    early = Incident(T0, T0 + 5)
    still_open = Incident(T0 + 30, None, {"id": "INC-2"})
    store.store_batch(_batch("k", incidents=[still_open, closed, early]), now=T0)
    assert store.incidents("api", T0 + 15, T0 + 40) == [closed, still_open]
    assert store.incidents("api", T0 + 100, T0 + 200) == [still_open]
    assert store.incidents("api", T0 + 20, T0 + 30) == []
    assert store.incidents("api", T0 + 4, T0 + 11) == [early, closed]


def test_incident_ends_close_open_incidents_of_the_named_batch_once(store: Store) -> None:
    """A later batch ends the open incidents of the batch it names; ended ones and other batches keep theirs."""
    opened = Incident(T0, None, {"id": "INC-1"})
    ended = Incident(T0 + 5, T0 + 8)
    other = Incident(T0 + 1, None, {"id": "INC-2"})
    store.store_batch(_batch("open", incidents=[opened, ended]), now=T0)
    store.store_batch(_batch("other", incidents=[other]), now=T0)
    assert store.store_batch(_batch("end", incident_ends=[IncidentEnd("open", T0 + 30)]), now=T0 + 30)
    assert not store.store_batch(_batch("end", incident_ends=[IncidentEnd("open", T0 + 99)]), now=T0 + 99)
    store.store_batch(_batch("end-again", incident_ends=[IncidentEnd("open", T0 + 50)]), now=T0 + 50)
    assert store.incidents("api", T0, T0 + 200) == [Incident(T0, T0 + 30, {"id": "INC-1"}), other, ended]
    assert store.incidents("api", T0 + 30, T0 + 200) == [other]


def test_case_events_return_whole_cases(store: Store) -> None:
    """Every event of a case with an event in the range is read, earlier and later ones included."""
    a = [CaseEvent("A", "open", T0 + 10), CaseEvent("A", "pause", T0 + 50), CaseEvent("A", "close", T0 + 200)]
    b = [CaseEvent("B", "open", T0 + 300)]
    store.store_batch(_batch("k", case_events=[*a, *b]), now=T0)
    store.store_batch(
        Batch("k2", "acme", "other", "x", 1, case_events=[CaseEvent("A", "open", T0 + 45)]),
        now=T0,
    )
    assert store.case_events("api", T0 + 40, T0 + 60) == a
    assert store.case_events("api", T0 + 60, T0 + 100) == []
    assert store.case_events("api", T0 + 150, T0 + 400) == [*a, *b]


def test_announcements_overlapping_a_range(store: Store) -> None:
    """Announcements overlapping `[start, end)` are read with their kind and objectives."""
    maintenance = Announcement(T0, T0 + 60, ExclusionKind.MAINTENANCE, T0 - 100, ("availability",))
    storm = Announcement(T0 + 100, T0 + 200, ExclusionKind.FORCE_MAJEURE, T0 + 100)
    store.store_batch(_batch("k", announcements=[storm, maintenance]), now=T0)
    assert store.announcements(T0 + 50, T0 + 150) == [maintenance, storm]
    assert store.announcements(T0 + 60, T0 + 100) == []
    assert store.announcements(T0 + 50, T0 + 150, "acme") == [maintenance, storm]
    assert store.announcements(T0 + 50, T0 + 150, "another-agreement") == []


def test_reads_of_one_agreement_follow_the_batch_it_came_in(store: Store) -> None:
    """Events, incidents and case events of a shared stream are read per agreement when one is named."""
    store.store_batch(_batch("k", events=[Event(T0)], incidents=[Incident(T0, T0 + 1)]), now=T0)
    store.store_batch(
        Batch("b", "beta", "api", "x", 2, events=[Event(T0 + 1)], case_events=[CaseEvent("C", "open", T0)]), now=T0
    )
    assert store.events("api", T0, T0 + 2) == [Event(T0), Event(T0 + 1)]
    assert store.events("api", T0, T0 + 2, "beta") == [Event(T0 + 1)]
    assert store.incidents("api", T0, T0 + 2, "acme") == [Incident(T0, T0 + 1)]
    assert store.incidents("api", T0, T0 + 2, "beta") == []
    assert store.case_events("api", T0, T0 + 1, "acme") == []
    assert store.case_events("api", T0, T0 + 1, "beta") == [CaseEvent("C", "open", T0)]


def test_replace_buckets_from_a_minute_on(store: Store) -> None:
    """Buckets before `start` stay, those from `start` on are replaced by the given ones."""
    store.store_batch(_batch("k", buckets=[Bucket("lat", T0 + i * MINUTE, 1, 1) for i in range(3)]), now=T0)
    store.replace_buckets("acme", "lat", T0 + MINUTE, [Bucket("lat", T0 + 2 * MINUTE, 9, 10, 1, Decimal("2.5"))])
    assert store.buckets("acme", "lat", T0, T0 + 3 * MINUTE) == [
        Bucket("lat", T0, 1, 1),
        Bucket("lat", T0 + 2 * MINUTE, 9, 10, 1, Decimal("2.5")),
    ]
    with pytest.raises(ValueError, match="got a bucket of objective 'other'"):
        store.replace_buckets("acme", "lat", T0, [Bucket("other", T0, 1, 1)])


def test_save_results_is_idempotent_and_refuses_a_differing_result(store: Store) -> None:
    """An identical re-save is a no-op; a different ratio raises ResultConflict and saves nothing of the call."""
    store.save_results([_result()])
    store.save_results([_result()])
    assert store.results("acme") == [_result()]
    with pytest.raises(ResultConflict, match="period '2026-01'"):
        store.save_results([_result("2026-02"), _result(ratio="0.998", status="breached")])
    assert store.results("acme", "availability") == [_result()]
    assert store.results("acme", "other") == []


def test_adjustments_round_trip(store: Store) -> None:
    """Adjustments stored with their batch come back in the order recorded."""
    later = Adjustment("acme", "availability", "2025-12", "k", rows=2, recorded_at=T0 + 5)
    first = Adjustment("acme", "latency", "2025-11", "k", rows=7, recorded_at=T0)
    store.store_batch(_batch("k", adjustments=[later, first]), now=T0)
    assert store.adjustments("acme") == [first, later]
    assert store.adjustments("beta") == []


def test_ledger_is_oldest_first(store: Store) -> None:
    """The ledger lists batches by the time they were stored, filtered by agreement when asked."""
    store.store_batch(_batch("late"), now=T0 + 300)
    store.store_batch(_batch("early"), now=T0 + 100)
    store.store_batch(Batch("beta-1", "beta", "api", "http", 4), now=T0 + 200)
    assert [e.key for e in store.ledger()] == ["early", "beta-1", "late"]
    assert [e.key for e in store.ledger("acme")] == ["early", "late"]
    assert store.ledger("beta") == [LedgerEntry("beta-1", "beta", "api", "http", 4, T0 + 200)]


def test_sqlite_runs_in_wal_with_full_sync(tmp_path) -> None:
    """Every SQLite connection is in WAL mode with synchronous=FULL (2) and foreign keys on."""
    engine = connect(f"sqlite:///{tmp_path}/nested/dir/attain.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    assert (tmp_path / "nested" / "dir" / "attain.db").exists()
    engine.dispose()


def test_plain_postgresql_url_uses_psycopg() -> None:
    """A `postgresql://` URL is rewritten to the psycopg driver; an explicit driver is kept."""
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"
