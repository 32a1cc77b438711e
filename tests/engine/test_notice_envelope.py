"""The outbox's envelope survives JSON unchanged, and its dedup key tells channels apart."""

import json

from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind


def _envelope(channel: Channel) -> Envelope:
    condition = Condition(
        kind=EventKind.BREACH,
        key="breach/api-availability/2026-11",
        agreement="cloud-uptime",
        objective="api-availability",
        severity="critical",
        since=1_764_547_200_000_000,
        resolvable=False,
        facts=(("attainment", "99.871%"), ("target", "99.9%")),
    )
    notice = Notice("customer-mail", condition, NoticeStatus.FIRING, 1_764_547_260_000_000, 0)
    return Envelope(notice, channel, "customer", "zh-CN", "云服务可用性", to=("ops@example.com",))


def test_envelope_round_trips_through_json() -> None:
    """`from_dict` reads back what `to_dict` wrote, through JSON text."""
    envelope = _envelope(Channel.EMAIL)
    text = json.dumps(envelope.to_dict(), ensure_ascii=False)
    assert Envelope.from_dict(json.loads(text)) == envelope


def test_dedup_key_names_receiver_condition_status_sequence_and_channel() -> None:
    """The dedup key is the notice's key and the channel, so two channels differ."""
    assert _envelope(Channel.EMAIL).dedup_key == "customer-mail|breach/api-availability/2026-11|firing|0|email"
    assert _envelope(Channel.EMAIL).dedup_key != _envelope(Channel.WEBHOOK).dedup_key
