"""`SqlOutbox` against a model of the outbox written here: any sequence of records, claims and reports agrees with it."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind
from attain.storage import connect, upgrade
from attain.storage.outbox import MessageStatus, SqlOutbox

T0 = 1_767_225_600_000_000
LEASE = 10


@dataclass
class Modelled:
    """One message as the model keeps it."""

    id: int
    created_at: int
    status: str = "pending"
    next_attempt_at: int = 0
    claimed_until: int | None = None
    attempts: int = 0


def _envelope(receiver: str) -> Envelope:
    condition = Condition(EventKind.BREACH, "breach/a/2026-01", "acme", "a", "critical", T0, False)
    return Envelope(Notice(receiver, condition, NoticeStatus.FIRING, T0), Channel.EMAIL, "customer", "en", "Acme")


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.integers(0, 5)),
        st.tuples(st.just("claim"), st.integers(1, 3)),
        st.tuples(st.just("sent"), st.integers(0, 20)),
        st.tuples(st.just("retry"), st.integers(0, 20)),
        st.tuples(st.just("dead"), st.integers(0, 20)),
        st.tuples(st.just("wait"), st.integers(1, 15)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS)
def test_the_outbox_agrees_with_its_model(operations: list[tuple[str, int]]) -> None:
    """Claims take exactly the due messages, oldest first, up to the limit; statuses and attempts match the model."""
    with tempfile.TemporaryDirectory() as folder:
        engine = connect(f"sqlite:///{Path(folder)}/attain.db")
        upgrade(engine)
        try:
            _run(SqlOutbox(engine), operations)
        finally:
            engine.dispose()


def _run(outbox: SqlOutbox, operations: list[tuple[str, int]]) -> None:
    model: dict[str, Modelled] = {}
    ids: list[int] = []
    now = T0
    for operation, n in operations:
        if operation == "record":
            key = _envelope(f"r{n}").dedup_key
            new = outbox.record("acme", [], [_envelope(f"r{n}")], now)
            assert new == (key not in model)
            if key not in model:
                model[key] = Modelled(len(model) + 1, now, next_attempt_at=now)
        elif operation == "claim":
            due = sorted((m for m in model.values() if _due(m, now)), key=lambda m: (m.created_at, m.id))[:n]
            for m in due:
                m.claimed_until, m.attempts = now + LEASE, m.attempts + 1
            claimed = outbox.claim(now, n, LEASE)
            assert [(c.id, c.attempts) for c in claimed] == [(m.id, m.attempts) for m in due]
            ids.extend(c.id for c in claimed)
        elif operation == "wait":
            now += n
        elif ids:
            _report(outbox, model, operation, ids[n % len(ids)], now, n)
    rows = {r.id: r for r in outbox.history("acme", limit=1000)}
    assert {(m.id, m.status, m.attempts) for m in model.values()} == {
        (r.id, r.status.value, r.attempts) for r in rows.values()
    }
    counts = {s: sum(1 for m in model.values() if m.status == s.value) for s in MessageStatus}
    assert outbox.counts("acme") == counts


def _due(m: Modelled, now: int) -> bool:
    return m.status == "pending" and m.next_attempt_at <= now and (m.claimed_until is None or m.claimed_until <= now)


def _report(outbox: SqlOutbox, model: dict[str, Modelled], operation: str, message: int, now: int, n: int) -> None:
    """Report `sent`, a failure with a retry `n` later, or a dead letter, for a message claimed at least once."""
    [m] = [m for m in model.values() if m.id == message]
    if operation == "sent":
        outbox.sent(message, now)
        m.status, m.claimed_until = "sent", None
    else:
        outbox.failed(message, now, "boom", now + n if operation == "retry" else None)
        if m.status != "sent":
            m.claimed_until = None
            if operation == "retry":
                m.next_attempt_at = now + n
            else:
                m.status = "dead"
