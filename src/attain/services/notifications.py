"""Notification history: the messages an agreement's notices were sent in, and where each stands.

The CLI (`attain notifications`), the API (`GET /api/v1/agreements/{name}/notifications`) and the
dashboard's agreement page all show the same rows from the outbox (`attain.storage.outbox`),
newest first: sent, pending (and, when an attempt already failed, the error it failed with), or
dead-lettered. A customer sees only the messages sent to its own party's receivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from attain.engine.instant import iso_utc
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import stored_versions
from attain.ports import Store
from attain.storage.outbox import MessageStatus, Notification, SqlOutbox

DEFAULT_LIMIT = 100
"""How many messages a history shows unless asked for another number."""
MAX_LIMIT = 1000
"""The most messages one history shows."""


@dataclass(frozen=True)
class History:
    """An agreement's recent messages, newest first, and how many of all its messages stand at each status."""

    agreement: str
    counts: dict[MessageStatus, int]
    notifications: list[Notification]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json` and the API."""
        return {
            "agreement": self.agreement,
            "counts": {status.value: n for status, n in self.counts.items()},
            "notifications": [notification_data(n) for n in self.notifications],
        }


def notification_data(n: Notification) -> dict[str, Any]:
    """One message as plain data; instants as ISO 8601 UTC text."""
    return {
        "id": n.id,
        "receiver": n.receiver,
        "party": n.party,
        "channel": n.channel,
        "kind": n.kind,
        "key": n.key,
        "notice": n.notice,
        "status": n.status.value,
        "failed": failed(n),
        "attempts": n.attempts,
        "createdAt": iso_utc(n.created_at),
        "sentAt": None if n.sent_at is None else iso_utc(n.sent_at),
        "nextAttemptAt": iso_utc(n.next_attempt_at) if n.status is MessageStatus.PENDING else None,
        "lastError": n.last_error,
    }


def failed(n: Notification) -> bool:
    """Whether the message's last attempt failed: dead-lettered, or pending with an error, to be retried."""
    return n.status is MessageStatus.DEAD or (n.status is MessageStatus.PENDING and n.last_error is not None)


def history(
    store: Store,
    engine: Engine,
    name: str,
    *,
    limit: int = DEFAULT_LIMIT,
    status: MessageStatus | None = None,
    party: str | None = None,
) -> History:
    """The agreement's last `limit` messages (only of `status`, only to `party`'s receivers, when given).

    Raises:
        InvalidInput: no agreement of that name is stored, or `limit` is not in 1 to `MAX_LIMIT`.
    """
    stored_versions(store, name)
    if not 1 <= limit <= MAX_LIMIT:
        hint = f"ask for 1 to {MAX_LIMIT} messages"
        raise InvalidInput([Problem("<request>", None, None, "limit", f"{limit} messages asked for", hint)])
    outbox = SqlOutbox(engine)
    return History(name, outbox.counts(name, party), outbox.history(name, limit, status, party))
