"""MemoryOutbox keeps the outbox contract: one message per dedup key, oldest first, leases, dead letters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from attain.engine.notices import Channel
from attain.testing import MemoryOutbox, RecordingNotifier
from notify_support import AT, envelope


def test_enqueuing_the_same_dedup_key_twice_stores_it_once() -> None:
    """The second enqueue of an equal envelope is refused; another channel is another message."""
    outbox = MemoryOutbox()
    assert outbox.enqueue(envelope(Channel.WEBHOOK, "http://x"), AT)
    assert not outbox.enqueue(envelope(Channel.WEBHOOK, "http://x"), AT + 1)
    assert outbox.enqueue(envelope(Channel.EMAIL, to=("a@example.com",)), AT)
    assert [r.message.id for r in outbox.records.values()] == [1, 2]


def test_claims_count_attempts_hold_for_the_lease_and_a_dead_letter_is_never_claimed() -> None:
    """Claimed: attempts 1, held until the lease ends; failed without retry: dead, never claimed again."""
    outbox = MemoryOutbox()
    outbox.enqueue(envelope(Channel.WEBHOOK, "http://x"), AT)
    (first,) = outbox.claim(AT, 10, 5)
    assert first.attempts == 1
    assert outbox.claim(AT + 4, 10, 5) == []
    (again,) = outbox.claim(AT + 5, 10, 5)
    assert again == replace(first, attempts=2)
    outbox.failed(1, AT + 6, "HTTP 404", None)
    assert (outbox.record(1).state, outbox.record(1).last_error) == ("dead", "HTTP 404")
    assert outbox.claim(AT + 10_000_000, 10, 5) == []


def test_a_recording_notifier_answers_with_its_outcomes_in_order_then_sends() -> None:
    """Each call takes the next outcome; once they run out every call succeeds; all calls are kept."""
    notifier = RecordingNotifier([RuntimeError("first"), None])
    e = envelope(Channel.WEBHOOK, "http://x")
    with pytest.raises(RuntimeError, match="first"):
        notifier(e, "d", 1)
    notifier(e, "d", 2)
    notifier(e, "d", 3)
    assert [c.now for c in notifier.calls] == [1, 2, 3]
