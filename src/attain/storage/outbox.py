"""`SqlOutbox`: the `attain.ports.Outbox` contract, and the notice states beside it, in a SQL database.

A message is one row of `outbox`, `pending` until it is `sent` or `dead` (dead-lettered after
its last failed attempt). A pending row is due when `next_attempt_at <= now` and no lease holds it
(`claimed_until` is null or past). `claim` takes due rows oldest first in one UPDATE that sets
the lease and counts the attempt: on PostgreSQL its subquery locks them `FOR UPDATE SKIP LOCKED`,
so two claimers skip each other's rows; on SQLite the UPDATE takes the database's write lock
before it reads, so claimers run one after the other. A claimer that dies leaves its rows due again
when the lease ends: delivery is at least once.

`record` upserts what was told to each receiver (`notice_states`) and enqueues the envelopes in
one transaction, so a tick's decisions are stored whole or not at all; an envelope whose
`dedup_key` is already in the outbox is skipped, so a repeated tick enqueues nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, or_, select

from attain.engine.notices import Envelope, NoticeState
from attain.model.notify import EventKind
from attain.ports import OutboxMessage
from attain.storage import schema as s
from attain.storage.insert import dialect_insert


class MessageStatus(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


@dataclass(frozen=True)
class Notification:
    """One outbox message as the notification history shows it.

    Attributes:
        id: The outbox row's id.
        receiver: The receiver's name in the agreement's `notify:`.
        party: The receiver's party (`provider` or `customer`).
        channel: `alertmanager`, `webhook` or `email`.
        kind: The event kind.
        key: The condition's key.
        notice: `firing` or `resolved`.
        status: `pending`, `sent` or `dead`.
        attempts: Delivery attempts so far.
        created_at: µs instant it was enqueued.
        sent_at: µs instant it was delivered, or None.
        next_attempt_at: µs instant it is due (again) while pending.
        last_error: The last failed attempt's error, or None.
    """

    id: int
    receiver: str
    party: str
    channel: str
    kind: str
    key: str
    notice: str
    status: MessageStatus
    attempts: int
    created_at: int
    sent_at: int | None
    next_attempt_at: int
    last_error: str | None


class SqlOutbox:
    """The outbox and the notice states of a SQL store.

    Args:
        engine: An engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim(self, now: int, limit: int, lease: int) -> list[OutboxMessage]:
        """Up to `limit` messages due at `now`, oldest first, each leased until `now + lease`, attempts counted."""
        t = s.outbox
        due = (
            select(t.c.id)
            .where(t.c.status == MessageStatus.PENDING.value, t.c.next_attempt_at <= now)
            .where(or_(t.c.claimed_until.is_(None), t.c.claimed_until <= now))
            .order_by(t.c.created_at, t.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            t.update()
            .where(t.c.id.in_(due.scalar_subquery()))
            .values(claimed_until=now + lease, attempts=t.c.attempts + 1)
            .returning(t.c.id, t.c.agreement, t.c.dedup_key, t.c.envelope, t.c.attempts, t.c.created_at)
        )
        with self._engine.begin() as conn:
            rows = conn.execute(statement).all()
        messages = [
            OutboxMessage(r.id, r.agreement, r.dedup_key, json.loads(r.envelope), r.attempts, r.created_at)
            for r in rows
        ]
        return sorted(messages, key=lambda m: (m.created_at, m.id))

    def sent(self, message_id: int, at: int) -> None:
        """Mark a message delivered at `at`, whatever it stood at (a delivered message is delivered).

        Raises:
            KeyError: no message has that id.
        """
        t = s.outbox
        values = {"status": MessageStatus.SENT.value, "sent_at": at, "claimed_until": None}
        with self._engine.begin() as conn:
            if conn.execute(t.update().where(t.c.id == message_id).values(**values)).rowcount == 0:
                raise KeyError(f"no outbox message {message_id}")

    def failed(self, message_id: int, at: int, error: str, retry_at: int | None) -> None:  # noqa: ARG002 - the port's
        """Record a failed attempt: pending and due at `retry_at`, or dead-lettered when it is None.

        A message already sent stays sent (its lease had ended and another claimer delivered it).

        Raises:
            KeyError: no message has that id.
        """
        t = s.outbox
        values: dict[str, Any] = {"last_error": error, "claimed_until": None}
        if retry_at is None:
            values["status"] = MessageStatus.DEAD.value
        else:
            values["next_attempt_at"] = retry_at
        with self._engine.begin() as conn:
            found = conn.execute(t.update().where(t.c.id == message_id, t.c.status != "sent").values(**values))
            if found.rowcount == 0 and not _exists(conn, message_id):
                raise KeyError(f"no outbox message {message_id}")

    def requeue(self, agreement: str, now: int) -> int:
        """Make every dead-lettered message of `agreement` due again at `now`, its attempts counted afresh.

        For after the cause is fixed (a secret set, a URL allowed, a server back). The last error
        stays shown until the next attempt. Returns how many messages were requeued.
        """
        t = s.outbox
        values = {"status": MessageStatus.PENDING.value, "attempts": 0, "next_attempt_at": now, "claimed_until": None}
        with self._engine.begin() as conn:
            dead = t.c.status == MessageStatus.DEAD.value
            return int(conn.execute(t.update().where(t.c.agreement == agreement, dead).values(**values)).rowcount)

    def states(self, agreement: str) -> dict[tuple[str, str], NoticeState]:
        """What was last told to each receiver about each condition key, by (receiver, key)."""
        t = s.notice_states
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.agreement == agreement).order_by(t.c.receiver, t.c.key))
            return {(r.receiver, r.key): _state(r) for r in rows}

    def record(self, agreement: str, states: Sequence[NoticeState], envelopes: Sequence[Envelope], now: int) -> int:
        """Upsert `states` and enqueue `envelopes` (due at `now`) in one transaction; how many messages were new.

        Raises:
            ValueError: an envelope concerns another agreement (nothing is stored).
        """
        for envelope in envelopes:
            if envelope.notice.condition.agreement != agreement:
                found = envelope.notice.condition.agreement
                raise ValueError(f"envelope {envelope.dedup_key!r} concerns agreement {found!r}, not {agreement!r}")
        with self._engine.begin() as conn:
            for state in states:
                _upsert_state(conn, agreement, state)
            return sum(_enqueue(conn, agreement, envelope, now) for envelope in envelopes)

    def history(
        self, agreement: str, limit: int = 100, status: MessageStatus | None = None, party: str | None = None
    ) -> list[Notification]:
        """The agreement's messages, newest first, at most `limit`; only those of `status` and `party` when given."""
        t = s.outbox
        query = select(t).where(t.c.agreement == agreement).order_by(t.c.created_at.desc(), t.c.id.desc())
        if status is not None:
            query = query.where(t.c.status == status.value)
        if party is not None:
            query = query.where(t.c.party == party)
        with self._engine.connect() as conn:
            return [_notification(r) for r in conn.execute(query.limit(limit))]

    def counts(self, agreement: str, party: str | None = None) -> dict[MessageStatus, int]:
        """How many of the agreement's messages stand at each status (zero included); only `party`'s when given."""
        t = s.outbox
        query = select(t.c.status, func.count()).where(t.c.agreement == agreement).group_by(t.c.status)
        if party is not None:
            query = query.where(t.c.party == party)
        with self._engine.connect() as conn:
            found = {str(status): int(n) for status, n in conn.execute(query)}
        return {status: found.get(status.value, 0) for status in MessageStatus}


def _exists(conn: Connection, message_id: int) -> bool:
    t = s.outbox
    return conn.execute(select(t.c.id).where(t.c.id == message_id)).first() is not None


def _upsert_state(conn: Connection, agreement: str, state: NoticeState) -> None:
    t = s.notice_states
    changing = {
        "kind": state.kind.value,
        "firing": state.firing,
        "since": state.since,
        "last_sent": state.last_sent,
        "sequence": state.sequence,
    }
    statement = dialect_insert(conn, t).values(agreement=agreement, receiver=state.receiver, key=state.key, **changing)
    conn.execute(statement.on_conflict_do_update(index_elements=list(t.primary_key), set_=changing))


def _enqueue(conn: Connection, agreement: str, envelope: Envelope, now: int) -> int:
    """Insert one envelope unless its dedup key is stored; 1 when it was new."""
    t = s.outbox
    values = {
        "agreement": agreement,
        "dedup_key": envelope.dedup_key,
        "channel": envelope.channel.value,
        "receiver": envelope.notice.receiver,
        "party": envelope.party,
        "kind": envelope.notice.condition.kind.value,
        "status": MessageStatus.PENDING.value,
        "envelope": json.dumps(envelope.to_dict(), ensure_ascii=False, sort_keys=True),
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
    }
    statement = dialect_insert(conn, t).values(**values).on_conflict_do_nothing(index_elements=[t.c.dedup_key])
    return int(conn.execute(statement.returning(t.c.id)).first() is not None)


def _state(row: Row[Any]) -> NoticeState:
    return NoticeState(
        row.receiver, row.key, EventKind(row.kind), bool(row.firing), row.since, row.last_sent, row.sequence
    )


def _notification(row: Row[Any]) -> Notification:
    notice = json.loads(row.envelope)["notice"]
    return Notification(
        id=row.id,
        receiver=row.receiver,
        party=row.party,
        channel=row.channel,
        kind=row.kind,
        key=str(notice["condition"]["key"]),
        notice=str(notice["status"]),
        status=MessageStatus(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
    )
