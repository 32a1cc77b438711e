"""Delivery: each due message is sent once per claim, retried with capped exponential backoff, or dead-lettered."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.notices import Channel
from attain.notify import AddressRefused, SendFailed
from attain.services.delivery import DeliveryReport, Outcome, backoff, deliver
from attain.settings import NotifySettings
from attain.testing import MemoryOutbox, RecordingNotifier
from notify_support import AT, envelope, run_hook

S = 1_000_000
"""One second in µs."""
T0 = AT
HALF = 0.5
SETTINGS = NotifySettings(max_attempts=3, lease_seconds=60, allow=("127.0.0.1",))


def half() -> float:
    """The jitter draw of these tests: half of the ceiling."""
    return HALF


def outbox_with(
    count: int = 1, channel: Channel = Channel.WEBHOOK, url: str = "http://hooks.example/x"
) -> MemoryOutbox:
    """An outbox holding `count` messages (distinct receivers), enqueued at T0."""
    outbox = MemoryOutbox()
    for i in range(count):
        e = envelope(channel, url)
        notice = replace(e.notice, receiver=f"r{i}")
        assert outbox.enqueue(replace(e, notice=notice), T0)
    return outbox


def test_backoff_doubles_from_30_seconds_up_to_one_hour_with_full_jitter() -> None:
    """Ceilings 30, 60, 120 … s, never past 3600 s; the wait is the drawn share of the ceiling."""
    assert [backoff(n, 0.5) for n in (1, 2, 3, 4, 5, 6, 7, 8, 20)] == [
        15 * S, 30 * S, 60 * S, 120 * S, 240 * S, 480 * S, 960 * S, 1800 * S, 1800 * S,
    ]  # fmt: skip
    assert backoff(1, 0.0) == 0
    assert backoff(3, 0.25) == 30 * S
    assert backoff(1000, 0.999) == 3_596_400_000


@given(st.integers(1, 10_000), st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True))
def test_backoff_stays_under_its_ceiling_and_grows_with_the_draw(attempts: int, a: float, b: float) -> None:
    """0 ≤ wait < min(1 h, 30 s·2^(n−1)), and a larger draw never waits less."""
    ceiling = min(3600 * S, 30 * S * 2 ** min(attempts - 1, 30))
    low, high = sorted((a, b))
    assert 0 <= backoff(attempts, low) <= backoff(attempts, high) < ceiling


def test_a_sent_message_is_marked_sent_with_its_dedup_key_as_delivery_id() -> None:
    """The sender gets the envelope as enqueued and the dedup key; the outbox records the send."""
    outbox = outbox_with(2)
    notifier = RecordingNotifier()
    report = deliver(outbox, SETTINGS, {}, T0, send=notifier, jitter=half)
    keys = [outbox.record(i).message.dedup_key for i in (1, 2)]
    assert report == DeliveryReport((Outcome(1, keys[0], "sent", 1), Outcome(2, keys[1], "sent", 1)))
    assert [(c.delivery, c.now, c.envelope.notice.receiver) for c in notifier.calls] == [
        (keys[0], T0, "r0"), (keys[1], T0, "r1"),
    ]  # fmt: skip
    assert [(outbox.record(i).state, outbox.record(i).sent_at) for i in (1, 2)] == [("sent", T0), ("sent", T0)]
    assert deliver(outbox, SETTINGS, {}, T0 + 3600 * S, send=notifier) == DeliveryReport()


def test_a_transient_failure_is_retried_after_the_backoff_and_then_sent() -> None:
    """Failed at T0: due at T0 + 15 s (half of 30 s), not before; the second attempt sends."""
    outbox = outbox_with()
    notifier = RecordingNotifier([SendFailed("http://hooks.example/x: HTTP 500", permanent=False)])
    key = outbox.record(1).message.dedup_key
    first = deliver(outbox, SETTINGS, {}, T0, send=notifier, jitter=half)
    assert first == DeliveryReport((Outcome(1, key, "retry", 1, "http://hooks.example/x: HTTP 500", T0 + 15 * S),))
    assert deliver(outbox, SETTINGS, {}, T0 + 15 * S - 1, send=notifier, jitter=half) == DeliveryReport()
    second = deliver(outbox, SETTINGS, {}, T0 + 15 * S, send=notifier, jitter=half)
    assert second == DeliveryReport((Outcome(1, key, "sent", 2),))
    assert outbox.record(1).errors == ("http://hooks.example/x: HTTP 500",)


def test_the_last_allowed_attempt_dead_letters_with_its_reason() -> None:
    """Three attempts allowed: retried at +15 s and +30 s, the third failure dead-letters."""
    outbox = outbox_with()
    fail = SendFailed("timeout", permanent=False)
    notifier = RecordingNotifier([fail, fail, fail, fail])
    statuses = []
    for now in (T0, T0 + 15 * S, T0 + 45 * S, T0 + 10_000 * S):
        statuses += [
            (o.status, o.attempts, o.retry_at, o.error)
            for o in deliver(outbox, SETTINGS, {}, now, send=notifier, jitter=half).outcomes
        ]
    assert statuses == [
        ("retry", 1, T0 + 15 * S, "timeout"),
        ("retry", 2, T0 + 45 * S, "timeout"),
        ("dead", 3, None, "timeout (attempt 3 of 3)"),
    ]
    assert outbox.record(1).state == "dead"
    assert outbox.record(1).last_error == "timeout (attempt 3 of 3)"
    assert len(notifier.calls) == 3


def test_a_permanent_failure_dead_letters_at_once() -> None:
    """An address refused by the SSRF guard is not retried."""
    outbox = outbox_with()
    refused = AddressRefused("http://169.254.169.254/: never sent to")
    report = deliver(outbox, SETTINGS, {}, T0, send=RecordingNotifier([refused]), jitter=half)
    assert [(o.status, o.error) for o in report.outcomes] == [("dead", "http://169.254.169.254/: never sent to")]
    assert outbox.record(1).state == "dead"


def test_a_sender_bug_is_a_transient_failure_and_the_next_message_is_still_sent() -> None:
    """An unexpected exception fails its message (retried) and does not stop the run."""
    outbox = outbox_with(2)
    report = deliver(outbox, SETTINGS, {}, T0, send=RecordingNotifier([RuntimeError("boom")]), jitter=half)
    assert [(o.id, o.status, o.error) for o in report.outcomes] == [
        (1, "retry", "RuntimeError: boom"),
        (2, "sent", None),
    ]
    assert (report.count("sent"), report.count("retry"), report.count("dead")) == (1, 1, 0)


def test_an_envelope_that_cannot_be_read_is_dead_lettered() -> None:
    """A stored envelope without its channel is dead-lettered naming the missing key."""
    outbox = outbox_with()
    record = outbox.record(1)
    broken = {k: v for k, v in record.message.envelope.items() if k != "channel"}
    outbox.records[1] = replace(record, message=replace(record.message, envelope=broken))
    report = deliver(outbox, SETTINGS, {}, T0, send=RecordingNotifier(), jitter=half)
    assert [(o.status, o.error) for o in report.outcomes] == [
        ("dead", "the stored envelope cannot be read: KeyError: 'channel'")
    ]


def test_a_message_claimed_by_a_process_that_died_is_due_again_when_its_lease_ends() -> None:
    """Claimed and never marked: not due during the 60 s lease, claimed again (attempt 2) after it."""
    outbox = outbox_with()
    outbox.claim(T0, 100, 60 * S)
    notifier = RecordingNotifier()
    assert deliver(outbox, SETTINGS, {}, T0 + 60 * S - 1, send=notifier) == DeliveryReport()
    report = deliver(outbox, SETTINGS, {}, T0 + 60 * S, send=notifier)
    assert [(o.status, o.attempts) for o in report.outcomes] == [("sent", 2)]


def test_a_limit_takes_the_oldest_messages_first() -> None:
    """limit=2 of three: ids 1 and 2 now, 3 on the next run."""
    outbox = outbox_with(3)
    notifier = RecordingNotifier()
    assert [o.id for o in deliver(outbox, SETTINGS, {}, T0, limit=2, send=notifier).outcomes] == [1, 2]
    assert [o.id for o in deliver(outbox, SETTINGS, {}, T0, limit=2, send=notifier).outcomes] == [3]


def test_a_real_webhook_answering_500_then_200_is_delivered_on_the_second_attempt_with_the_same_id() -> None:
    """The loopback receiver sees two requests with one X-Attain-Delivery; the second is answered 200."""
    with run_hook([500]) as hook:
        outbox = outbox_with(url=f"{hook.url}/hook")
        key = outbox.record(1).message.dedup_key
        first = deliver(outbox, SETTINGS, {}, T0, jitter=half)
        second = deliver(outbox, SETTINGS, {}, T0 + 15 * S, jitter=half)
    error = f"{hook.url}/hook: HTTP 500"
    assert first.outcomes == (Outcome(1, key, "retry", 1, error, T0 + 15 * S),)
    assert second.outcomes == (Outcome(1, key, "sent", 2),)
    assert [r.headers["x-attain-delivery"] for r in hook.requests] == [key, key]
    assert json.loads(hook.requests[0].body) == json.loads(hook.requests[1].body)


def test_a_real_webhook_answering_404_is_dead_lettered_at_once() -> None:
    """A 4xx other than 408 and 429 will not get better: dead after one attempt."""
    with run_hook([404]) as hook:
        outbox = outbox_with(url=hook.url)
        report = deliver(outbox, SETTINGS, {}, T0, jitter=half)
    assert [(o.status, o.error) for o in report.outcomes] == [
        ("dead", f"{hook.url}: HTTP 404 (the receiver refused the message; not retried)")
    ]


def test_a_webhook_to_the_metadata_address_is_dead_lettered_without_a_request() -> None:
    """The SSRF refusal reaches the outbox as the dead letter's reason."""
    outbox = outbox_with(url="http://169.254.169.254/latest/meta-data/")
    report = deliver(outbox, SETTINGS, {}, T0, jitter=half)
    assert [(o.status, o.error) for o in report.outcomes] == [
        (
            "dead",
            "http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a link-local, metadata, multicast"
            " or unspecified address; never sent to",
        )
    ]
