"""Notices reach a real Prometheus Alertmanager as alerts with exact labels, and `endsAt` resolves them."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from attain.engine.notices import Channel, NoticeStatus
from attain.model.notify import EventKind
from attain.notify import AddressRefused
from attain.notify.alertmanager import alert, send_alertmanager
from attain.settings import NotifySettings
from notify_support import ALERTMANAGER, condition, envelope, run_alertmanager

LOOPBACK = NotifySettings(allow=("127.0.0.1",), public_url="https://sla.example.com")
LABELS = {
    "alertname": "AttainBurnRate",
    "agreement": "shop",
    "objective": "api",
    "severity": "page",
    "party": "provider",
    "key": "burn-rate/api/page/60m-5m",
}

needs_alertmanager = pytest.mark.skipif(
    ALERTMANAGER is None,
    reason="prometheus-alertmanager is not installed: run scripts/system-packages-alertmanager (as root)",
)


def test_a_firing_alert_has_the_labels_annotations_and_start_of_its_condition() -> None:
    """Firing: labels name the kind, agreement, objective, severity, party and key; no endsAt."""
    assert alert(envelope(Channel.ALERTMANAGER, "http://am:9093"), "https://sla.example.com") == {
        "labels": LABELS,
        "annotations": {
            "summary": "Shop API: objective api — error budget burning too fast",
            "description": "Agreement “Shop API” (shop), objective api: error budget burning too fast"
            " since 2026-12-05T12:00:00Z.",
            "burnRate": "14.4",
            "window": "60m/5m",
        },
        "startsAt": "2026-12-05T12:00:00Z",
        "generatorURL": "https://sla.example.com/agreements/shop",
    }


def test_a_resolved_alert_ends_when_the_notice_was_decided_and_has_no_link_without_a_public_url() -> None:
    """Resolved: endsAt is the notice's instant; the summary says so; no public URL, no generatorURL."""
    found = alert(envelope(Channel.ALERTMANAGER, "http://am:9093", status=NoticeStatus.RESOLVED), "")
    assert found["endsAt"] == "2026-12-05T12:05:00Z"
    assert "generatorURL" not in found
    assert found["annotations"]["summary"] == "Resolved: Shop API: objective api — error budget burning too fast"
    assert found["annotations"]["description"] == (
        "Agreement “Shop API” (shop), objective api: no longer error budget burning too fast, since 2026-12-05T12:05:00Z."
    )


def test_a_review_due_has_no_objective_label_and_fact_names_become_label_names() -> None:
    """Without an objective the label is left out; `budget used %` becomes `budget_used__`, `1st` `_1st`."""
    review = condition(
        EventKind.REVIEW_DUE,
        "review/2026-12",
        objective=None,
        severity="info",
        facts=(("budget used %", "75"), ("1st", "x"), ("summary", "not this")),
    )
    found = alert(envelope(Channel.ALERTMANAGER, "http://am:9093", of=review, language="zh-CN"), "")
    assert found["labels"] == {
        "alertname": "AttainReviewDue",
        "agreement": "shop",
        "severity": "info",
        "party": "provider",
        "key": "review/2026-12",
    }
    assert found["annotations"] == {
        "summary": "Shop API: 协议本身 — 协议评审到期",
        "description": "协议“Shop API”（shop），协议本身：自 2026-12-05T12:00:00Z 起协议评审到期。",
        "budget_used__": "75",
        "_1st": "x",
    }


def test_an_alertmanager_on_loopback_is_refused_unless_allowed() -> None:
    """Loopback is private: without ATTAIN_NOTIFY_ALLOW the alert is refused before connecting."""
    with pytest.raises(
        AddressRefused, match=r"127\.0\.0\.1 is a private or loopback address; add 127\.0\.0\.1 to ATTAIN_NOTIFY_ALLOW"
    ):
        send_alertmanager(envelope(Channel.ALERTMANAGER, "http://127.0.0.1:1"), NotifySettings())


@needs_alertmanager
def test_a_real_alertmanager_shows_the_alert_active_then_resolved(tmp_path: Path) -> None:
    """The alert is active with exactly our labels and Chinese annotations intact; endsAt resolves it."""
    now = int(time.time()) * 1_000_000
    since = now - 600_000_000
    of = condition(since=since)
    expected_start = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(since // 1_000_000))
    with run_alertmanager(tmp_path) as url:
        send_alertmanager(envelope(Channel.ALERTMANAGER, url, of=of, at=now, language="zh-CN"), LOOPBACK)
        alerts = httpx.get(f"{url}/api/v2/alerts").json()
        assert [a["labels"] for a in alerts] == [LABELS]
        (active,) = alerts
        assert active["status"]["state"] == "active"
        assert active["startsAt"] == expected_start
        assert active["generatorURL"] == "https://sla.example.com/agreements/shop"
        assert active["annotations"]["summary"] == "Shop API: 目标 api — 错误预算消耗过快"
        assert active["annotations"]["burnRate"] == "14.4"

        send_alertmanager(envelope(Channel.ALERTMANAGER, url, of=of, at=now, status=NoticeStatus.RESOLVED), LOOPBACK)
        assert httpx.get(f"{url}/api/v2/alerts").json() == []
        assert httpx.get(f"{url}/api/v2/alerts", params={"active": "false"}).json() == []
