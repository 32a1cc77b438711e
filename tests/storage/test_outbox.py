"""`SqlOutbox` on a real SQLite file and on PostgreSQL: recording, claiming, leases, retries, dead letters."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeState, NoticeStatus
from attain.model.notify import EventKind
from attain.storage import connect, upgrade
from attain.storage.migrate import HEAD_REVISION
from attain.storage.outbox import MessageStatus, Notification, SqlOutbox

T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in µs
SECOND = 1_000_000
BREACH = Condition(EventKind.BREACH, "breach/availability/2025-12", "acme", "availability", "critical", T0, False)
PAGE = Condition(EventKind.BURN_RATE, "burn-rate/availability/page/60m-5m", "acme", "availability", "page", T0, True)


def _envelope(
    receiver: str = "oncall",
    condition: Condition = PAGE,
    channel: Channel = Channel.WEBHOOK,
    party: str = "provider",
    sequence: int = 0,
) -> Envelope:
    """An envelope of `condition` to `receiver` by `channel`, decided at T0."""
    notice = Notice(receiver, condition, NoticeStatus.FIRING, T0, sequence)
    return Envelope(notice, channel, party, "en", "Acme API", url="https://hooks.example.com/x")


def _state(receiver: str = "oncall", key: str = PAGE.key, sequence: int = 0, last_sent: int = T0) -> NoticeState:
    """A firing state of `key` for `receiver`."""
    return NoticeState(receiver, key, EventKind.BURN_RATE, True, T0, last_sent, sequence)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to the head: a SQLite file, or the session's PostgreSQL schema."""
    if request.param == "sqlite":
        created = connect(f"sqlite:///{tmp_path}/data/attain.db")
    else:
        created = connect(request.getfixturevalue("postgres_url"), connect_args={"connect_timeout": 5})
    upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def outbox(engine: Engine) -> SqlOutbox:
    """The outbox of the migrated database."""
    return SqlOutbox(engine)


def test_record_twice_stores_once(outbox: SqlOutbox) -> None:
    """The same envelopes recorded again are skipped: 2 new, then 0, and two rows in the outbox."""
    envelopes = [_envelope(), _envelope(channel=Channel.EMAIL)]
    assert outbox.record("acme", [_state()], envelopes, T0) == 2
    assert outbox.record("acme", [_state()], envelopes, T0 + SECOND) == 0
    assert outbox.counts("acme") == {MessageStatus.PENDING: 2, MessageStatus.SENT: 0, MessageStatus.DEAD: 0}
    assert [(n.channel, n.created_at) for n in outbox.history("acme")] == [("email", T0), ("webhook", T0)]


def test_record_upserts_states(outbox: SqlOutbox) -> None:
    """A state recorded again replaces the stored one; states are keyed by (receiver, key)."""
    outbox.record("acme", [_state(), _state("desk", BREACH.key)], [], T0)
    outbox.record("acme", [_state(sequence=3, last_sent=T0 + 60 * SECOND)], [], T0 + 60 * SECOND)
    assert outbox.states("acme") == {
        ("desk", BREACH.key): NoticeState("desk", BREACH.key, EventKind.BURN_RATE, True, T0, T0, 0),
        ("oncall", PAGE.key): NoticeState("oncall", PAGE.key, EventKind.BURN_RATE, True, T0, T0 + 60 * SECOND, 3),
    }
    assert outbox.states("other") == {}


def test_record_of_another_agreement_leaves_nothing(outbox: SqlOutbox) -> None:
    """An envelope concerning another agreement rejects the whole record: no state, no message."""
    other = Condition(EventKind.BREACH, "breach/x/2025-12", "globex", "x", "critical", T0, False)
    with pytest.raises(ValueError, match="concerns agreement 'globex', not 'acme'"):
        outbox.record("acme", [_state()], [_envelope(), _envelope(condition=other)], T0)
    assert outbox.states("acme") == {}
    assert outbox.history("acme") == []


def test_record_failing_in_the_database_leaves_nothing(postgres_url: str) -> None:
    """A row the database refuses (a receiver name over 200 characters) rolls back the states and messages before it."""
    engine = connect(postgres_url)
    try:
        upgrade(engine)
        outbox = SqlOutbox(engine)
        with pytest.raises(DBAPIError):
            outbox.record("acme", [_state()], [_envelope(), _envelope(receiver="r" * 201)], T0)
        assert outbox.states("acme") == {}
        assert outbox.history("acme") == []
    finally:
        engine.dispose()


def test_claim_takes_due_messages_oldest_first_and_leases_them(outbox: SqlOutbox) -> None:
    """Claim returns the two oldest of three, attempts 1; claiming again inside the lease takes only the third."""
    for i, receiver in enumerate(["a", "b", "c"]):
        outbox.record("acme", [], [_envelope(receiver)], T0 + i * SECOND)
    now = T0 + 10 * SECOND
    first = outbox.claim(now, limit=2, lease=30 * SECOND)
    assert [(m.dedup_key, m.attempts, m.created_at) for m in first] == [
        (f"a|{PAGE.key}|firing|0|webhook", 1, T0),
        (f"b|{PAGE.key}|firing|0|webhook", 1, T0 + SECOND),
    ]
    assert first[0].agreement == "acme"
    assert first[0].envelope == _envelope("a").to_dict()
    assert Envelope.from_dict(first[0].envelope) == _envelope("a")
    assert [m.dedup_key for m in outbox.claim(now, limit=10, lease=30 * SECOND)] == [f"c|{PAGE.key}|firing|0|webhook"]
    assert outbox.claim(now + 29 * SECOND, limit=10, lease=30 * SECOND) == []


def test_lease_expiry_makes_a_message_due_again(outbox: SqlOutbox) -> None:
    """A claimed message never marked is claimed again once its lease ends, its attempts now 2."""
    outbox.record("acme", [], [_envelope()], T0)
    lease = 30 * SECOND
    assert [m.attempts for m in outbox.claim(T0, 1, lease)] == [1]
    assert outbox.claim(T0 + lease - 1, 1, lease) == []
    again = outbox.claim(T0 + lease, 1, lease)
    assert [(m.dedup_key, m.attempts) for m in again] == [(f"oncall|{PAGE.key}|firing|0|webhook", 2)]


def test_sent_is_final(outbox: SqlOutbox) -> None:
    """A sent message has its instant and is never claimed again, even after its lease would end."""
    outbox.record("acme", [], [_envelope()], T0)
    (message,) = outbox.claim(T0, 1, 30 * SECOND)
    outbox.sent(message.id, T0 + 2 * SECOND)
    assert outbox.claim(T0 + 3600 * SECOND, 10, 30 * SECOND) == []
    (row,) = outbox.history("acme")
    assert row == Notification(
        id=message.id,
        receiver="oncall",
        party="provider",
        channel="webhook",
        kind="burn-rate",
        key=PAGE.key,
        notice="firing",
        status=MessageStatus.SENT,
        attempts=1,
        created_at=T0,
        sent_at=T0 + 2 * SECOND,
        next_attempt_at=T0,
        last_error=None,
    )


def test_failed_with_retry_is_due_at_retry(outbox: SqlOutbox) -> None:
    """A failed attempt with a retry instant keeps it pending, with the error, due only from that instant."""
    outbox.record("acme", [], [_envelope()], T0)
    (message,) = outbox.claim(T0, 1, 30 * SECOND)
    retry = T0 + 8 * SECOND
    outbox.failed(message.id, T0 + SECOND, "HTTP 503 from https://hooks.example.com/x", retry)
    (row,) = outbox.history("acme")
    assert (row.status, row.attempts, row.next_attempt_at, row.last_error) == (
        MessageStatus.PENDING,
        1,
        retry,
        "HTTP 503 from https://hooks.example.com/x",
    )
    assert outbox.claim(retry - 1, 1, 30 * SECOND) == []
    assert [m.attempts for m in outbox.claim(retry, 1, 30 * SECOND)] == [2]


def test_failed_without_retry_dead_letters(outbox: SqlOutbox) -> None:
    """A failure with no retry instant dead-letters the message: kept with its error, never claimed again."""
    outbox.record("acme", [], [_envelope(), _envelope("desk", BREACH, party="customer")], T0)
    claimed = outbox.claim(T0, 10, 30 * SECOND)
    outbox.failed(claimed[0].id, T0 + SECOND, "connection refused", None)
    outbox.sent(claimed[1].id, T0 + SECOND)
    assert outbox.claim(T0 + 3600 * SECOND, 10, 30 * SECOND) == []
    assert outbox.counts("acme") == {MessageStatus.PENDING: 0, MessageStatus.SENT: 1, MessageStatus.DEAD: 1}
    (dead,) = outbox.history("acme", status=MessageStatus.DEAD)
    assert (dead.id, dead.receiver, dead.attempts, dead.last_error) == (
        claimed[0].id,
        "oncall",
        1,
        "connection refused",
    )


def test_failed_after_sent_stays_sent(outbox: SqlOutbox) -> None:
    """A late failure report for a message another claimer delivered does not undo the delivery."""
    outbox.record("acme", [], [_envelope()], T0)
    (message,) = outbox.claim(T0, 1, 30 * SECOND)
    outbox.sent(message.id, T0 + SECOND)
    outbox.failed(message.id, T0 + 2 * SECOND, "timeout", None)
    assert [(n.status, n.last_error) for n in outbox.history("acme")] == [(MessageStatus.SENT, None)]


def test_unknown_message_is_a_key_error(outbox: SqlOutbox) -> None:
    """Marking a message that does not exist says so."""
    with pytest.raises(KeyError, match="no outbox message 99"):
        outbox.sent(99, T0)
    with pytest.raises(KeyError, match="no outbox message 99"):
        outbox.failed(99, T0, "x", None)


def test_history_filters_and_limits(outbox: SqlOutbox) -> None:
    """History is newest first, cut at the limit, and filtered by status and by party."""
    outbox.record("acme", [], [_envelope("a")], T0)
    outbox.record("acme", [], [_envelope("desk", BREACH, Channel.EMAIL, "customer")], T0 + SECOND)
    outbox.record("acme", [], [_envelope("c")], T0 + 2 * SECOND)
    outbox.record("globex", [], [_envelope("g", Condition(**{**_fields(PAGE), "agreement": "globex"}))], T0)
    (oldest, *_) = outbox.claim(T0 + 3 * SECOND, 1, SECOND)
    outbox.sent(oldest.id, T0 + 4 * SECOND)
    assert [n.receiver for n in outbox.history("acme")] == ["c", "desk", "a"]
    assert [n.receiver for n in outbox.history("acme", limit=2)] == ["c", "desk"]
    assert [n.receiver for n in outbox.history("acme", status=MessageStatus.SENT)] == ["a"]
    assert [(n.receiver, n.kind, n.channel) for n in outbox.history("acme", party="customer")] == [
        ("desk", "breach", "email")
    ]
    assert outbox.counts("acme", party="customer") == {
        MessageStatus.PENDING: 1,
        MessageStatus.SENT: 0,
        MessageStatus.DEAD: 0,
    }


def _fields(condition: Condition) -> dict[str, object]:
    """A condition's fields by name."""
    return {name: getattr(condition, name) for name in condition.__slots__}


def test_envelope_is_stored_as_json_text(engine: Engine, outbox: SqlOutbox) -> None:
    """The envelope column holds `Envelope.to_dict` as JSON text, read back equal."""
    outbox.record("acme", [], [_envelope()], T0)
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT envelope FROM outbox").scalar_one()
    assert json.loads(stored) == _envelope().to_dict()


def test_concurrent_claimers_never_share_a_message(postgres_url: str) -> None:
    """On PostgreSQL, four threads claiming 5 each at once from 20 due messages take 20 different ones, every round."""
    engine = connect(postgres_url, pool_size=4)
    try:
        _claim_in_rounds(SqlOutbox(engine), upgrade(engine))
    finally:
        engine.dispose()


def test_concurrent_claimers_on_sqlite_take_turns(tmp_path: Path) -> None:
    """On a SQLite file, four threads with connections of their own claiming at once never share a message."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db", pool_size=4)
    try:
        _claim_in_rounds(SqlOutbox(engine), upgrade(engine))
    finally:
        engine.dispose()


def _claim_in_rounds(outbox: SqlOutbox, revision: str | None) -> None:
    """Five rounds of four threads claiming at once; each claimed message is marked sent by its claimer."""
    assert revision == HEAD_REVISION
    for round_ in range(5):
        now = T0 + round_ * 3600 * SECOND
        envelopes = [_envelope(f"r{round_}-{i:02}") for i in range(20)]
        outbox.record("acme", [], envelopes, now)
        taken = _claim_at_once(outbox, now, claimers=4)
        keys = [key for part in taken for key in part]
        assert sorted(keys) == sorted(e.dedup_key for e in envelopes)
        assert [len(part) for part in taken] == [5, 5, 5, 5]


def _claim_at_once(outbox: SqlOutbox, now: int, claimers: int) -> list[list[str]]:
    """The dedup keys each of `claimers` threads took, all claiming 5 at once, each marking its own sent."""
    start = threading.Barrier(claimers)
    taken: list[list[str]] = [[] for _ in range(claimers)]

    def claim(slot: int) -> None:
        start.wait()
        for message in outbox.claim(now, limit=5, lease=60 * SECOND):
            taken[slot].append(message.dedup_key)
            outbox.sent(message.id, now)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return taken


def test_downgrade_drops_the_tables(engine: Engine) -> None:
    """Downgrading to 0011 drops `outbox` and `notice_states`; upgrading again restores them."""
    with resources.as_file(resources.files("attain.storage") / "migrations") as location, engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
    assert {"outbox", "notice_states"} & set(inspect(engine).get_table_names()) == set()
    assert upgrade(engine) == HEAD_REVISION
    assert {"outbox", "notice_states"} <= set(inspect(engine).get_table_names())


def test_requeue_makes_only_this_agreements_dead_letters_due_again_with_fresh_attempts(outbox: SqlOutbox) -> None:
    """Two dead letters of `acme`, one waiting, one dead of `zeta`: requeue at T moves exactly the two."""
    dead_one, dead_two, waiting = (_envelope(f"r{i}") for i in range(3))
    other = Envelope(
        Notice(
            "r0",
            Condition(EventKind.BREACH, "breach/x/2025-12", "zeta", "x", "critical", T0, False),
            NoticeStatus.FIRING,
            T0,
        ),
        Channel.WEBHOOK,
        "provider",
        "en",
        "Zeta",
        url="https://hooks.example.com/z",
    )
    outbox.record("acme", [], [dead_one, dead_two, waiting], T0)
    outbox.record("zeta", [], [other], T0)
    claimed = {m.dedup_key: m.id for m in outbox.claim(T0, 10, SECOND)}
    outbox.failed(claimed[dead_one.dedup_key], T0, "refused", None)
    outbox.failed(claimed[dead_two.dedup_key], T0, "refused", None)
    outbox.failed(claimed[waiting.dedup_key], T0, "503", T0 + 10 * SECOND)
    outbox.failed(claimed[other.dedup_key], T0, "gone", None)
    assert outbox.requeue("acme", T0 + 60 * SECOND) == 2
    assert outbox.counts("acme") == {MessageStatus.PENDING: 3, MessageStatus.SENT: 0, MessageStatus.DEAD: 0}
    assert outbox.counts("zeta")[MessageStatus.DEAD] == 1
    due = {m.dedup_key: m.attempts for m in outbox.claim(T0 + 60 * SECOND, 10, SECOND)}
    assert due == {dead_one.dedup_key: 1, dead_two.dedup_key: 1, waiting.dedup_key: 2}
