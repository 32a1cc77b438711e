"""Notification history through the API: newest first, filtered, dead letters visible, a customer sees its own."""

from __future__ import annotations

from api_support import NOW, OWN, Api
from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind
from attain.storage.outbox import SqlOutbox

SECOND = 1_000_000


def _envelope(receiver: str, kind: EventKind, key: str, channel: Channel, party: str) -> Envelope:
    """A firing notice of `key` on agreement `shop` to `receiver`."""
    condition = Condition(kind, key, OWN, "uptime", "critical", NOW, kind is EventKind.BURN_RATE)
    return Envelope(Notice(receiver, condition, NoticeStatus.FIRING, NOW), channel, party, "en", "Hosting SLA")


def _seed(api: Api) -> list[int]:
    """Three messages of `shop`: a page sent to the provider, a breach e-mail dead-lettered, a credit webhook to retry."""
    outbox = SqlOutbox(api.runtime.engine)
    page = _envelope("oncall", EventKind.BURN_RATE, "burn-rate/uptime/page/1h-5m", Channel.ALERTMANAGER, "provider")
    mail = _envelope("shop-mail", EventKind.BREACH, "breach/uptime/2026-10", Channel.EMAIL, "customer")
    hook = _envelope("shop-hook", EventKind.CREDIT, "credit/2026-10", Channel.WEBHOOK, "customer")
    for i, envelope in enumerate([page, mail, hook]):
        outbox.record(OWN, [], [envelope], NOW + i * SECOND)
    first, second, third = outbox.claim(NOW + 10 * SECOND, 3, 30 * SECOND)
    outbox.sent(first.id, NOW + 11 * SECOND)
    outbox.failed(second.id, NOW + 11 * SECOND, "550 mailbox unavailable", None)
    outbox.failed(third.id, NOW + 11 * SECOND, "HTTP 503", NOW + 20 * SECOND)
    return [first.id, second.id, third.id]


def test_an_operator_sees_every_message_newest_first(api: Api) -> None:
    """A viewer sees the three messages, newest first, with their status, errors and the counts."""
    page, mail, hook = _seed(api)
    response = api.client.get(f"/api/v1/agreements/{OWN}/notifications", headers=api.as_("viewer"))
    assert response.status_code == 200
    body = response.json()
    assert body["agreement"] == OWN
    assert body["counts"] == {"pending": 1, "sent": 1, "dead": 1}
    rows = [(n["id"], n["receiver"], n["status"], n["failed"], n["lastError"]) for n in body["notifications"]]
    assert rows == [
        (hook, "shop-hook", "pending", True, "HTTP 503"),
        (mail, "shop-mail", "dead", True, "550 mailbox unavailable"),
        (page, "oncall", "sent", False, None),
    ]
    assert body["notifications"][0] == {
        "id": hook,
        "receiver": "shop-hook",
        "party": "customer",
        "channel": "webhook",
        "kind": "credit",
        "key": "credit/2026-10",
        "notice": "firing",
        "status": "pending",
        "failed": True,
        "attempts": 1,
        "createdAt": "2026-11-15T12:00:32Z",
        "sentAt": None,
        "nextAttemptAt": "2026-11-15T12:00:50Z",
        "lastError": "HTTP 503",
    }
    assert (body["notifications"][2]["sentAt"], body["notifications"][2]["nextAttemptAt"]) == (
        "2026-11-15T12:00:41Z",
        None,
    )


def test_filters_by_status_and_limit(api: Api) -> None:
    """`status=dead` lists the dead letter only; `limit=1` the newest message only."""
    _seed(api)
    url = f"/api/v1/agreements/{OWN}/notifications"
    dead = api.client.get(url, params={"status": "dead"}, headers=api.as_("admin")).json()
    assert [n["receiver"] for n in dead["notifications"]] == ["shop-mail"]
    newest = api.client.get(url, params={"limit": 1}, headers=api.as_("admin")).json()
    assert [n["receiver"] for n in newest["notifications"]] == ["shop-hook"]
    assert api.client.get(url, params={"status": "lost"}, headers=api.as_("admin")).status_code == 422
    assert api.client.get(url, params={"limit": 0}, headers=api.as_("admin")).status_code == 422


def test_a_customer_sees_only_its_own_receivers_messages(api: Api) -> None:
    """The customer's token sees the two messages to customer receivers, never the provider's page."""
    _seed(api)
    body = api.client.get(f"/api/v1/agreements/{OWN}/notifications", headers=api.as_("customer")).json()
    assert [n["receiver"] for n in body["notifications"]] == ["shop-hook", "shop-mail"]
    assert body["counts"] == {"pending": 1, "sent": 0, "dead": 1}
    foreign = api.client.get("/api/v1/agreements/clinic/notifications", headers=api.as_("customer"))
    assert foreign.status_code == 404


def test_no_message_yet_is_an_empty_history(api: Api) -> None:
    """An agreement nothing was sent about answers with no messages and zero counts."""
    body = api.client.get(f"/api/v1/agreements/{OWN}/notifications", headers=api.as_("viewer")).json()
    assert body == {"agreement": OWN, "counts": {"pending": 0, "sent": 0, "dead": 0}, "notifications": []}
