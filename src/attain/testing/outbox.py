"""`MemoryOutbox` and `RecordingNotifier`: the outbox and a sender in memory, for tests of delivery.

    outbox = MemoryOutbox()
    outbox.enqueue(envelope, now)                # once per dedup key, as the outbox table does
    notifier = RecordingNotifier([SendFailed("HTTP 500", permanent=False)])   # fails once, then sends
    deliver(outbox, settings, {}, now, send=notifier)
    outbox.record(1).state                       # "pending", "sent" or "dead"

`MemoryOutbox` keeps the `attain.ports.Outbox` contract: claims oldest first, a claimed message
is held for the lease and due again when it ends, attempts count each claim, a failure with
`retry_at` None dead-letters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from attain.engine.notices import Envelope
from attain.ports import OutboxMessage


@dataclass(frozen=True)
class OutboxRecord:
    """One message in a `MemoryOutbox`, with its delivery state.

    Attributes:
        message: The message as the last claim returned it (attempts included).
        state: `pending`, `sent` or `dead`.
        due_at: µs instant it may next be claimed.
        sent_at: µs instant it was marked sent, or None.
        last_error: The last failure's reason, or None.
        errors: Every failure's reason, oldest first.
    """

    message: OutboxMessage
    state: str = "pending"
    due_at: int = 0
    sent_at: int | None = None
    last_error: str | None = None
    errors: tuple[str, ...] = ()


class MemoryOutbox:
    """The outbox in memory; `records` shows every message's state."""

    def __init__(self) -> None:
        self.records: dict[int, OutboxRecord] = {}

    def enqueue(self, envelope: Envelope, now: int) -> bool:
        """Add a message for `envelope`, due at once; False (nothing added) when its dedup key is known."""
        key = envelope.dedup_key
        if any(r.message.dedup_key == key for r in self.records.values()):
            return False
        data: Mapping[str, Any] = envelope.to_dict()
        message_id = len(self.records) + 1
        agreement = envelope.notice.condition.agreement
        message = OutboxMessage(message_id, agreement, key, data, 0, now)
        self.records[message_id] = OutboxRecord(message, due_at=now)
        return True

    def record(self, message_id: int) -> OutboxRecord:
        """The message with this id and its state."""
        return self.records[message_id]

    def claim(self, now: int, limit: int, lease: int) -> list[OutboxMessage]:
        """Up to `limit` pending messages due at `now`, oldest first, each held until `now + lease`."""
        due = sorted(
            (r for r in self.records.values() if r.state == "pending" and r.due_at <= now),
            key=lambda r: (r.message.created_at, r.message.id),
        )[:limit]
        claimed = []
        for r in due:
            message = replace(r.message, attempts=r.message.attempts + 1)
            self.records[message.id] = replace(r, message=message, due_at=now + lease)
            claimed.append(message)
        return claimed

    def sent(self, message_id: int, at: int) -> None:
        """Mark a message delivered."""
        self.records[message_id] = replace(self.records[message_id], state="sent", sent_at=at)

    def failed(self, message_id: int, at: int, error: str, retry_at: int | None) -> None:
        """Record a failure: due again at `retry_at`, or dead-lettered when it is None."""
        r = self.records[message_id]
        errors = (*r.errors, error)
        if retry_at is None:
            self.records[message_id] = replace(r, state="dead", due_at=at, last_error=error, errors=errors)
        else:
            self.records[message_id] = replace(r, due_at=retry_at, last_error=error, errors=errors)


@dataclass(frozen=True)
class Sent:
    """One call of a `RecordingNotifier`: what it was asked to send, under which delivery id, when."""

    envelope: Envelope
    delivery: str
    now: int


class RecordingNotifier:
    """A sender that records each call and answers with the outcomes it was given, in order.

    Each call takes the next outcome: None sends, an exception is raised (e.g. `SendFailed`);
    once they run out every call sends. `calls` lists every call, failed ones included.
    """

    def __init__(self, outcomes: Iterable[BaseException | None] = ()) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[Sent] = []

    def __call__(self, envelope: Envelope, delivery: str, now: int) -> None:
        """Record the call, then raise the next outcome when it is an exception."""
        self.calls.append(Sent(envelope, delivery, now))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
