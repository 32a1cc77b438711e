"""Alertmanager's webhook recorded as incidents: once per fingerprint + startsAt, ended by the resolved alert."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from api_support import OWN, Api
from attain.engine.measurement import Incident

ROUTE = "/api/v1/alertmanager"
FINGERPRINT = "a1b2c3d4e5f60718"
ZERO = "0001-01-01T00:00:00Z"
"""Go's zero time: what Alertmanager sends as a firing alert's `endsAt`."""


def _us(hour: int, minute: int, day: int = 15) -> int:
    """An instant of November 2026 (UTC) in µs, computed without attain."""
    return int(datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp()) * 1_000_000


def _alert(status: str, starts: str, ends: str = ZERO, fingerprint: str = FINGERPRINT, **labels: str) -> dict[str, Any]:
    """One alert as Alertmanager sends it, for agreement `shop` unless the labels say otherwise."""
    return {
        "status": status,
        "labels": {"alertname": "ShopDown", "agreement": OWN, "severity": "critical", **labels},
        "annotations": {"summary": "the shop does not answer"},
        "startsAt": starts,
        "endsAt": ends,
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up%3D%3D0",
        "fingerprint": fingerprint,
    }


def _payload(*alerts: dict[str, Any]) -> dict[str, Any]:
    """Alertmanager's webhook payload, version 4, around `alerts`."""
    firing = any(a["status"] == "firing" for a in alerts)
    return {
        "version": "4",
        "groupKey": '{}:{alertname="ShopDown"}',
        "truncatedAlerts": 0,
        "status": "firing" if firing else "resolved",
        "receiver": "attain",
        "groupLabels": {"alertname": "ShopDown"},
        "commonLabels": {"alertname": "ShopDown"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }


def _send(api: Api, *alerts: dict[str, Any], role: str = "editor") -> Any:
    return api.client.post(ROUTE, json=_payload(*alerts), headers=api.as_(role))


def _actions(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["action"] for a in response.json()["alerts"]]


def _uptime(api: Api) -> dict[str, Any]:
    status = api.client.get(f"/api/v1/agreements/{OWN}/status", headers=api.as_("viewer")).json()
    [found] = [o for o in status["objectives"] if o["objective"] == "uptime"]
    period: dict[str, Any] = found["periods"][-1]
    return period


def _labels(**extra: str) -> dict[str, str]:
    return {"alertname": "ShopDown", "agreement": OWN, "severity": "critical", "fingerprint": FINGERPRINT, **extra}


def test_fire_then_resolve_counts_exactly_the_minutes_down(api: Api) -> None:
    """Fired at 11:00 it counts until now (evaluated at 12:00, the minute of 12:00:30); resolved at 11:17, 17 of 43.2."""
    fired = _send(api, _alert("firing", "2026-11-15T11:00:00Z", objective="uptime"))
    assert _actions(fired) == ["opened"]
    key = f"alertmanager:shop:outages:{FINGERPRINT}:{_us(11, 0)}"
    assert fired.json()["alerts"] == [
        {
            "index": 0,
            "agreement": "shop",
            "stream": "outages",
            "incident": key,
            "start": "2026-11-15T11:00:00Z",
            "end": None,
            "action": "opened",
        }
    ]
    assert api.runtime.store.incidents("outages", _us(0, 0, 1), _us(12, 1), "shop") == [
        Incident(_us(11, 0), None, _labels(objective="uptime"))
    ]
    assert _uptime(api)["budget"] == {"unit": "minutes", "allowed": "43.2", "consumed": "60", "remaining": "-16.8"}

    resolved = _send(
        api, _alert("resolved", "2026-11-15T11:00:00Z", "2026-11-15T11:17:00.000000000Z", objective="uptime")
    )
    assert _actions(resolved) == ["closed"]
    assert resolved.json()["alerts"][0]["end"] == "2026-11-15T11:17:00Z"
    assert api.runtime.store.incidents("outages", _us(0, 0, 1), _us(12, 1), "shop") == [
        Incident(_us(11, 0), _us(11, 17), _labels(objective="uptime"))
    ]
    november = _uptime(api)
    assert november["budget"] == {"unit": "minutes", "allowed": "43.2", "consumed": "17", "remaining": "26.2"}
    # measured: 1 Nov 00:00 to 15 Nov 12:00 = 14 × 1440 + 720 = 20880 minutes, 17 of them down
    ratio = Fraction(Decimal(november["ratio"]))
    assert ratio <= Fraction(20880 - 17, 20880) < ratio + Fraction(1, 10**24)
    assert [e.key for e in api.runtime.store.ledger("shop")] == [key, f"{key}:resolved"]


def test_a_re_sent_alert_is_stored_once(api: Api) -> None:
    """Firing sent three times stores one incident; the resolved alert sent twice ends it once."""
    firing = _alert("firing", "2026-11-15T10:00:00.5Z")
    assert [_actions(_send(api, firing)) for _ in range(3)] == [["opened"], ["known"], ["known"]]
    resolved = _alert("resolved", "2026-11-15T10:00:00.5Z", "2026-11-15T10:10:00.5Z")
    assert [_actions(_send(api, resolved, firing)) for _ in range(2)] == [["closed", "known"], ["known", "known"]]
    start = _us(10, 0) + 500_000
    assert api.runtime.store.incidents("outages", _us(0, 0, 1), _us(12, 1), "shop") == [
        Incident(start, start + 10 * 60_000_000, _labels())
    ]
    key = f"alertmanager:shop:outages:{FINGERPRINT}:{start}"
    assert [e.key for e in api.runtime.store.ledger("shop")] == [key, f"{key}:resolved"]
    assert _uptime(api)["budget"]["consumed"] == "10"


def test_a_resolved_alert_for_an_unknown_incident_is_recorded_whole(api: Api) -> None:
    """Resolved with no firing seen: stored already ended (5 min); a late firing copy changes nothing."""
    resolved = _alert("resolved", "2026-11-14T23:58:00Z", "2026-11-15T00:03:00Z", stream="outages")
    assert _actions(_send(api, resolved)) == ["recorded"]
    assert _actions(_send(api, resolved)) == ["known"]
    assert _actions(_send(api, _alert("firing", "2026-11-14T23:58:00Z", stream="outages"))) == ["known"]
    assert api.runtime.store.incidents("outages", _us(0, 0, 1), _us(12, 1), "shop") == [
        Incident(_us(23, 58, 14), _us(0, 3), _labels(stream="outages"))
    ]
    assert _uptime(api)["budget"]["consumed"] == "5"


def test_customer_and_viewer_tokens_are_refused(api: Api) -> None:
    """Only roles that may push measurements may send alerts: a customer or viewer gets 403, nothing stored."""
    for role in ("customer", "viewer"):
        refused = _send(api, _alert("firing", "2026-11-15T11:00:00Z"), role=role)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    assert api.client.post(ROUTE, json=_payload(_alert("firing", "2026-11-15T11:00:00Z"))).status_code == 401
    assert api.runtime.store.ledger("shop") == []


def test_a_payload_that_does_not_fit_is_refused_with_its_location(api: Api) -> None:
    """A missing fingerprint and a wrong version are named by their place in the body."""
    alert = _alert("firing", "2026-11-15T11:00:00Z")
    del alert["fingerprint"]
    refused = api.client.post(ROUTE, json=_payload(alert) | {"version": "3"}, headers=api.as_("editor"))
    assert refused.status_code == 422
    assert [p["path"] for p in refused.json()["error"]["problems"]] == ["body.version", "body.alerts.0.fingerprint"]


def test_alerts_that_cannot_be_matched_refuse_the_whole_payload(api: Api) -> None:
    """Each unroutable alert is named by index and label; the good one beside them is not stored either."""
    good = _alert("firing", "2026-11-15T11:00:00Z")
    no_agreement = _alert("firing", "2026-11-15T11:00:00Z", fingerprint="b1")
    del no_agreement["labels"]["agreement"]
    refused = _send(
        api,
        good,
        no_agreement,
        _alert("firing", "2026-11-15T11:00:00Z", agreement="nowhere"),
        _alert("firing", "2026-11-15T11:00:00Z", objective="success"),
        _alert("firing", "2026-11-15T11:00:00Z", stream="requests"),
        _alert("firing", "2026-11-15T11:00:00Z", objective="uptime", stream="requests"),
        _alert("firing", "yesterday"),
        _alert("resolved", "2026-11-15T11:00:00Z"),
        _alert("firing", "2026-11-15T11:00:00Z", fingerprint="a b"),
    )
    assert refused.status_code == 422
    problems = [(p["path"], p["message"]) for p in refused.json()["error"]["problems"]]
    assert problems == [
        ("alerts[1].labels.agreement", "has no agreement label"),
        ("alerts[2].labels.agreement", "no agreement named 'nowhere'"),
        ("alerts[3].labels.objective", "shop has no objective 'success' fed by incidents"),
        ("alerts[4].labels.stream", "no objective of shop reads incidents from 'requests'"),
        ("alerts[5].labels.stream", "objective 'uptime' reads stream 'outages', not 'requests'"),
        ("alerts[6].startsAt", "not an ISO 8601 instant: 'yesterday'"),
        ("alerts[7].endsAt", "'0001-01-01T00:00:00Z' is not after startsAt '2026-11-15T11:00:00Z'"),
        ("alerts[8].fingerprint", "not a fingerprint: 'a b'"),
    ]
    assert api.runtime.store.ledger("shop") == []
