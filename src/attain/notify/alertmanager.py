"""Notices to a Prometheus Alertmanager, through its API: `POST {url}/api/v2/alerts`.

Each message is a list of one alert:

    [{"labels": {"alertname": "AttainBurnRate", "agreement": "shop", "objective": "api",
                 "severity": "page", "party": "provider", "key": "burn-rate/api/page/60m-5m"},
      "annotations": {"summary": "…", "description": "…", <the condition's facts>},
      "startsAt": "2026-12-05T12:00:00Z",
      "generatorURL": "https://sla.example.com/agreements/shop"}]

`startsAt` is when the condition began. A firing alert carries no `endsAt`: Alertmanager keeps
it active for its `resolve_timeout` and attain sends it again (the receiver's repeat interval),
as Prometheus does. A resolved notice sends the same labels with `endsAt` set to the instant it
was decided, which resolves the alert. `key` makes the labels unique per condition, so two
conditions of the same objective are two alerts.
"""

from __future__ import annotations

import json
from typing import Any

from attain.engine.instant import iso_utc
from attain.engine.notices import Envelope, NoticeStatus
from attain.notify.message import alert_annotations, alert_labels, link
from attain.notify.post import post
from attain.settings import NotifySettings


def alert(envelope: Envelope, public_url: str) -> dict[str, Any]:
    """The alert for one notice in Alertmanager's API v2 shape."""
    found: dict[str, Any] = {
        "labels": alert_labels(envelope),
        "annotations": alert_annotations(envelope),
        "startsAt": iso_utc(envelope.notice.condition.since),
    }
    if envelope.notice.status is NoticeStatus.RESOLVED:
        found["endsAt"] = iso_utc(envelope.notice.at)
    url = link(envelope, public_url)
    if url:
        found["generatorURL"] = url
    return found


def send_alertmanager(envelope: Envelope, settings: NotifySettings) -> None:
    """POST the notice's alert to `{envelope.url}/api/v2/alerts`.

    Raises:
        SendFailed: refused by the SSRF guard, not answered, or answered other than 2xx.
    """
    body = json.dumps([alert(envelope, settings.public_url)], ensure_ascii=False).encode()
    post(f"{envelope.url.rstrip('/')}/api/v2/alerts", body, {}, settings.allow, settings.timeout_seconds)
