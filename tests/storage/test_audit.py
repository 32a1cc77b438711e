r"""The audit trail on SQLite and PostgreSQL: one entry per change, hash-chained, append-only, and verified.

The expected hashes are recomputed here with hashlib and json from the entries' columns, by the
formula of issue 15 (`hash_n = sha256(hash_{n-1} ‖ "\n" ‖ canonical JSON of entry n)`), not with
the code under test.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError
from tests.storage.old_store import audit_tables, store_minutes

from attain.actor import acting_as
from attain.ports import Batch, Bucket, StoredResult
from attain.storage import SqlStore, current_revision, head_revision, upgrade
from attain.storage.access import SqlAccess
from attain.storage.audit import STORE, SqlAudit

T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in µs
MINUTE = 60_000_000


def _changes(engine: Engine) -> None:
    """Two versions, a batch, a result, a token created and revoked: six changes, five of them to `web`."""
    store, access = SqlStore(engine), SqlAccess(engine)
    with acting_as("cli:alice"):
        store.apply("web", "v: 1\n", date(2026, 1, 1), "active", now=T0)
        store.apply("web", "v: 1\n", date(2026, 1, 1), "active", now=T0 + 1)  # the same document: no change
        store.apply("web", "v: 2\n", date(2026, 2, 1), "active", now=T0 + 2)
    batch = Batch("b1", "web", "requests", "file.csv", 2, buckets=[Bucket("availability", T0, 1, 2)])
    assert store.store_batch(batch, now=T0 + 3)
    assert not store.store_batch(batch, now=T0 + 4)  # known: no change, no entry
    result = StoredResult(
        "web", 1, "availability", "2026-01", T0, T0 + 5, "met", Decimal("0.5"), None, None, {}, T0 + 5
    )
    store.save_results([result])
    store.save_results([result])  # the same result again: no change
    with acting_as("token:1"):
        token = access.add_token("d" * 64, "attain_ab", "admin", None, "ops", T0 + 6, None)
        access.revoke_token(token.id, T0 + 7)
        access.revoke_token(token.id, T0 + 8)  # already revoked: no change


def _expected_hash(previous: str, entry: dict[str, object]) -> str:
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The engine, migrated to the latest revision."""
    upgrade(engine)
    return engine


def test_each_change_appends_one_entry_chained_per_tenant(migrated: Engine) -> None:
    """Six changes, six entries: per tenant, positions 1..n, each hash over the previous one and the entry."""
    _changes(migrated)
    entries = SqlAudit(migrated).entries()
    v1, v2 = (hashlib.sha256(f"v: {n}\n".encode()).hexdigest() for n in (1, 2))
    assert [(e.tenant, e.position, e.at, e.actor, e.action, e.subject, e.before, e.after) for e in entries] == [
        ("web", 1, T0, "cli:alice", "version.stored", "web v1", None, v1),
        ("web", 2, T0 + 2, "cli:alice", "version.stored", "web v2", v1, v2),
        ("web", 3, T0 + 3, "system", "batch.stored", "b1", None, None),
        ("web", 4, T0 + 5, "system", "result.stored", "availability 2026-01", None, entries[3].after),
        (STORE, 1, T0 + 6, "token:1", "token.created", "token 1", None, None),
        (STORE, 2, T0 + 7, "token:1", "token.revoked", "token 1", None, None),
    ]
    assert entries[1].detail == {
        "effective_from": "2026-02-01",
        "status": "active",
        "supersedes": {"version": 1, "until": "2026-01-31"},
    }
    assert entries[2].detail == {"stream": "requests", "source": "file.csv", "rows": 2}
    said = {"status": "met", "ratio": "0.5", "good": None, "valid": None, "data": {}}
    canonical = json.dumps(said, sort_keys=True, separators=(",", ":"))
    assert entries[3].after == hashlib.sha256(canonical.encode()).hexdigest()
    previous = {"web": "0" * 64, STORE: "0" * 64}
    for entry in entries:
        fields = entry.as_dict()
        stored = fields.pop("hash")
        assert stored == _expected_hash(previous[entry.tenant], fields)
        previous[entry.tenant] = stored
    assert SqlAudit(migrated).heads() == {STORE: (2, previous[STORE]), "web": (4, previous["web"])}
    assert SqlAudit(migrated).verify() == []


def test_entries_cannot_be_changed_or_deleted(migrated: Engine) -> None:
    """Triggers refuse UPDATE and DELETE on audit entries, on both engines."""
    _changes(migrated)
    for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit WHERE position = 2"):
        with pytest.raises(DatabaseError, match="append-only"), migrated.begin() as conn:
            conn.execute(text(statement))
    assert len(SqlAudit(migrated).entries()) == 6


def _untriggered(engine: Engine, statements: tuple[str, ...]) -> None:
    """Run `statements` as someone with the database's own keys would: without the append-only triggers."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_no_update"))
            conn.execute(text("DROP TRIGGER audit_no_delete"))
        for statement in statements:
            conn.execute(text(statement))


@pytest.mark.parametrize(
    ("statements", "position", "problem"),
    [
        (
            ("UPDATE audit SET subject = 'b2' WHERE tenant = 'web' AND position = 3",),
            3,
            "its content or its place does not match its hash",
        ),
        (("DELETE FROM audit WHERE tenant = 'web' AND position = 2",), 2, "entry 2 is missing (next stored: 3)"),
        (
            # Entries 2 and 3 swap places, through free positions (the unique key holds at each step).
            (
                "UPDATE audit SET position = 105 - position WHERE tenant = 'web' AND position IN (2, 3)",
                "UPDATE audit SET position = position - 100 WHERE tenant = 'web' AND position > 100",
            ),
            2,
            "its content or its place does not match its hash",
        ),
        (
            ("DELETE FROM audit WHERE tenant = 'web' AND position = 4",),
            4,
            "the head says 4 entries ending in {head}, the chain has 3",
        ),
    ],
    ids=["edited", "deleted", "reordered", "truncated"],
)
def test_verify_names_the_first_broken_entry(
    migrated: Engine, statements: tuple[str, ...], position: int, problem: str
) -> None:
    """An edit, a deletion, a reordering or a cut tail is found, at the first entry it breaks."""
    _changes(migrated)
    head = SqlAudit(migrated).heads()["web"][1][:12]
    _untriggered(migrated, statements)
    breaks = SqlAudit(migrated).verify()
    assert [(b.tenant, b.position, b.problem) for b in breaks] == [("web", position, problem.format(head=head))]


def test_concurrent_writers_to_one_agreement_never_fork_its_chain(migrated: Engine) -> None:
    """Four threads storing batches for one agreement at once: one chain, positions 1..40, verified."""
    store = SqlStore(migrated)

    def ingest(worker: int) -> None:
        for n in range(10):
            batch = Batch(f"w{worker}-{n}", "web", "requests", "f", 1, buckets=[Bucket("a", T0 + n * MINUTE, 1, 1)])
            assert store.store_batch(batch, now=T0 + n)

    threads = [threading.Thread(target=ingest, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = SqlAudit(migrated).entries("web")
    assert sorted(e.position for e in entries) == list(range(1, 41))
    assert SqlAudit(migrated).verify() == []


def test_a_store_with_data_migrates_to_the_audit_revision_and_chains_from_there(engine: Engine) -> None:
    """A store at 0005 with data keeps it through every later revision; the first change after is entry 1.

    The later revisions add the audit trail, proposals, credits and rights. On SQLite and PostgreSQL.
    """
    upgrade(engine, "0005")
    store = SqlStore(engine)
    with audit_tables(engine):
        store.apply("web", "v: 1\n", date(2026, 1, 1), "active", now=T0)
        assert store.store_batch(Batch("k", "web", "s", "f", 1), now=T0)
    store_minutes(engine, "web", [Bucket("a", T0, 1, 1)])  # as 0005 stored them: a row per minute
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert [v.version for v in store.versions("web")] == [1]
    assert store.buckets("web", "a", 0, 2**62) == [Bucket("a", T0, 1, 1)]
    assert SqlAudit(engine).entries() == []
    store.apply("web", "v: 2\n", date(2026, 2, 1), "active", now=T0 + 1)
    [entry] = SqlAudit(engine).entries()
    assert (entry.position, entry.action, entry.subject) == (1, "version.stored", "web v2")
    assert SqlAudit(engine).verify() == []
