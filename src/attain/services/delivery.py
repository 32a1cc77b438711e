"""The delivery loop: take due messages from the outbox, send each, record what happened.

    report = deliver(outbox, NotifySettings.from_environ(os.environ), os.environ, now)

Each call claims up to `limit` due messages (each held for the settings' lease, so a process
killed mid-send leaves them due again when the lease ends: delivery is at least once), sends
each by its channel, and marks it sent, or failed:

- a transient failure (timeout, refused connection, HTTP 5xx, 408, 429, SMTP 4xx) is retried
  at `now + backoff(attempts)`: exponential from 30 s, doubling per attempt, capped at 1 hour,
  with full jitter (a uniformly drawn share of that ceiling, so that many messages failing at once
  do not all come back at once);
- a permanent failure (an address the SSRF guard refuses, HTTP 4xx other than 408 and 429, a
  missing secret, an SMTP 5xx, an envelope that cannot be read), and any failure of the
  `max_attempts`-th attempt, dead-letters the message (`retry_at` None) with its reason.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from attain.engine.instant import US_PER_SECOND
from attain.engine.notices import Envelope
from attain.notify import Notifier, Send, SendFailed
from attain.ports import Outbox, OutboxMessage
from attain.settings import NotifySettings

BACKOFF_BASE_US = 30 * US_PER_SECOND
"""The ceiling of the wait after the first failed attempt."""
BACKOFF_CAP_US = 3600 * US_PER_SECOND
"""The ceiling never grows past one hour."""


def backoff(attempts: int, fraction: float) -> int:
    """µs to wait after the `attempts`-th failed attempt: `⌊min(cap, base·2^(attempts−1)) · fraction⌋`.

    Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the wait is drawn
    uniformly between 0 and the exponential ceiling; `fraction` is the draw, in [0, 1).
    """
    ceiling = min(BACKOFF_CAP_US, BACKOFF_BASE_US << min(max(attempts - 1, 0), 20))
    return math.floor(ceiling * fraction)


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed message.

    Attributes:
        id: The outbox message's id.
        dedup_key: Its dedup key (the delivery id receivers see).
        status: `sent`, `retry` (due again at `retry_at`) or `dead` (dead-lettered).
        attempts: Attempts so far, this one included.
        error: Why it failed, or None when sent.
        retry_at: µs instant it is due again, for `retry`.
    """

    id: int
    dedup_key: str
    status: str
    attempts: int
    error: str | None = None
    retry_at: int | None = None


@dataclass(frozen=True)
class DeliveryReport:
    """The outcomes of one `deliver` call, in the order the messages were claimed."""

    outcomes: tuple[Outcome, ...] = ()

    def count(self, status: str) -> int:
        """How many outcomes have `status` (`sent`, `retry` or `dead`)."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)


def deliver(
    outbox: Outbox,
    settings: NotifySettings,
    environ: Mapping[str, str],
    now: int,
    *,
    limit: int = 100,
    send: Send | None = None,
    jitter: Callable[[], float] = random.random,
) -> DeliveryReport:
    """Claim up to `limit` due messages and try each once.

    Args:
        outbox: Where the messages wait.
        settings: Attempts, lease, and what the senders need (SMTP, allow-list, timeout).
        environ: Where the senders read secrets.
        now: µs instant of this run.
        limit: The most messages taken in this run.
        send: The sender (default: `Notifier(settings, environ)`); tests pass a recording one.
        jitter: Draws the backoff's share in [0, 1); tests pass a fixed one.

    Returns:
        What became of each claimed message.
    """
    sender: Send = send if send is not None else Notifier(settings, environ)
    lease = settings.lease_seconds * US_PER_SECOND
    outcomes = [
        attempt(outbox, message, sender, settings.max_attempts, now, jitter)
        for message in outbox.claim(now, limit, lease)
    ]
    return DeliveryReport(tuple(outcomes))


def attempt(
    outbox: Outbox, message: OutboxMessage, send: Send, max_attempts: int, now: int, jitter: Callable[[], float]
) -> Outcome:
    """Send one claimed message and record in the outbox what became of it."""
    try:
        envelope = Envelope.from_dict(message.envelope)
    except (KeyError, ValueError, TypeError) as error:
        failure = SendFailed(f"the stored envelope cannot be read: {type(error).__name__}: {error}", permanent=True)
    else:
        try:
            send(envelope, message.dedup_key, now)
        except SendFailed as error:
            failure = error
        except Exception as error:  # noqa: BLE001 (one sender's bug must not stop the others' messages)
            failure = SendFailed(f"{type(error).__name__}: {error}", permanent=False)
        else:
            outbox.sent(message.id, now)
            return Outcome(message.id, message.dedup_key, "sent", message.attempts)
    if failure.permanent or message.attempts >= max_attempts:
        reason = (
            failure.reason if failure.permanent else f"{failure.reason} (attempt {message.attempts} of {max_attempts})"
        )
        outbox.failed(message.id, now, reason, None)
        return Outcome(message.id, message.dedup_key, "dead", message.attempts, reason)
    retry_at = now + backoff(message.attempts, jitter())
    outbox.failed(message.id, now, failure.reason, retry_at)
    return Outcome(message.id, message.dedup_key, "retry", message.attempts, failure.reason, retry_at)


def delivery_step(outbox: Outbox, settings: NotifySettings, environ: Mapping[str, str]) -> Callable[[int], None]:
    """The scheduler's `DeliverStep`: `deliver` at each tick's instant, with the default sender."""

    def step(now: int) -> None:
        deliver(outbox, settings, environ, now)

    return step
