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

from attain.engine.instant import from_us, iso_utc
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import parse_version, stored_versions
from attain.ports import Store
from attain.reports.locale import Locale
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
    time_zone: str = "UTC"
    """The agreement's time zone, in which instants are shown in words."""

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


@dataclass(frozen=True)
class NotificationLine:
    """One message in words, for the CLI's table and the dashboard.

    `state` is `sent`, `pending`, `failed` (pending, to be retried after a failed attempt) or
    `dead`; the other fields are text in the reader's language.
    """

    id: int
    state: str
    decided: str
    receiver: str
    channel: str
    event: str
    condition: str
    status: str
    attempts: int
    detail: str


def notification_lines(found: History, loc: Locale) -> list[NotificationLine]:
    """The history's messages in `loc`'s words, instants in the agreement's time zone."""
    return [_line(n, loc, found.time_zone) for n in found.notifications]


def counts_text(found: History, loc: Locale) -> str:
    """How many messages were sent, are waiting and were dead-lettered, in words."""
    counts = {status.value: loc.number(n, 0) for status, n in found.counts.items()}
    return loc.text("notifications.counts", **counts)


def _line(n: Notification, loc: Locale, time_zone: str) -> NotificationLine:
    state = "failed" if n.status is MessageStatus.PENDING and n.last_error else n.status.value
    at = loc.instant(from_us(n.created_at), time_zone)
    kind = _known(loc, f"notifications.kind.{n.kind}", n.kind)
    return NotificationLine(
        id=n.id,
        state=state,
        decided=at,
        receiver=n.receiver,
        channel=_known(loc, f"notifications.channel.{n.channel}", n.channel),
        event=loc.text(f"notifications.notice.{n.notice}", kind=kind),
        condition=n.key,
        status=loc.text(f"notifications.status.{state}"),
        attempts=n.attempts,
        detail=_detail(n, state, loc, time_zone),
    )


def _detail(n: Notification, state: str, loc: Locale, time_zone: str) -> str:
    if state == "sent" and n.sent_at is not None:
        return loc.text("notifications.detail.sent", at=loc.instant(from_us(n.sent_at), time_zone))
    if state == "dead":
        return loc.text("notifications.detail.dead", error=n.last_error or "")
    at = loc.instant(from_us(n.next_attempt_at), time_zone)
    if state == "failed":
        return loc.text("notifications.detail.retry", error=n.last_error, at=at)
    return loc.text("notifications.detail.due", at=at)


def _known(loc: Locale, key: str, fallback: str) -> str:
    """The phrase `key`, or `fallback` for a value no phrase names (a kind or channel added later)."""
    try:
        return loc.text(key)
    except KeyError:
        return fallback


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
    versions = stored_versions(store, name)
    if not 1 <= limit <= MAX_LIMIT:
        hint = f"ask for 1 to {MAX_LIMIT} messages"
        raise InvalidInput([Problem("<request>", None, None, "limit", f"{limit} messages asked for", hint)])
    outbox = SqlOutbox(engine)
    time_zone = parse_version(versions[-1]).spec.time_zone
    return History(name, outbox.counts(name, party), outbox.history(name, limit, status, party), time_zone)


def requeue(store: Store, engine: Engine, name: str, now: int) -> int:
    """Make the agreement's dead-lettered messages due again (`attain notifications NAME --requeue`); how many.

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    stored_versions(store, name)
    return SqlOutbox(engine).requeue(name, now)
