r"""Notices to any HTTP endpoint, as Alertmanager's webhook (version 4) JSON, signed.

The body is what Alertmanager's own webhook receiver sends, with one alert, so receivers built
for Alertmanager read it as they are:

    {"version": "4", "groupKey": "{}:{agreement=\"shop\", alertname=\"AttainBreach\", key=\"…\"}",
     "truncatedAlerts": 0, "status": "firing", "receiver": "<the receiver's name>",
     "groupLabels": {"agreement": …, "alertname": …, "key": …}, "commonLabels": <the alert's labels>,
     "commonAnnotations": <the alert's annotations>, "externalURL": "<ATTAIN_PUBLIC_URL>",
     "alerts": [{"status": …, "labels": …, "annotations": …, "startsAt": …, "endsAt": …,
                 "generatorURL": …, "fingerprint": …}]}

`endsAt` is `0001-01-01T00:00:00Z` while firing (as Alertmanager writes it). `fingerprint` is the
first 16 hex digits of the SHA-256 of the labels as sorted JSON: stable per condition, but not
Alertmanager's own hash.

Headers (the scheme `docs/notifications.md` shows a receiver verifying):

    X-Attain-Delivery: <the message's dedup key>    the same on every retry: receivers drop repeats
    X-Attain-Timestamp: <unix seconds of this attempt>
    X-Attain-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>

The secret is read from the environment variable the receiver's `secretEnv` names, at each send;
a receiver without `secretEnv` gets no signature header. The timestamp is inside the signed
material, so a captured request cannot be replayed later under a fresh timestamp: receivers
reject a timestamp more than 5 minutes from their clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from attain.engine.instant import US_PER_SECOND, iso_utc
from attain.engine.notices import Envelope, NoticeStatus
from attain.notify.failure import SendFailed
from attain.notify.message import alert_annotations, link
from attain.notify.message import alert_labels as labels_of
from attain.notify.post import post
from attain.settings import NotifySettings

ZERO_TIME = "0001-01-01T00:00:00Z"
"""Alertmanager's `endsAt` of an alert that has not ended."""


def payload(envelope: Envelope, public_url: str) -> dict[str, Any]:
    """The webhook v4 body for one notice."""
    alert_labels = labels_of(envelope)
    group = {name: alert_labels[name] for name in ("agreement", "alertname", "key")}
    group_key = "{}:{" + ", ".join(f"{name}={json.dumps(value)}" for name, value in group.items()) + "}"
    status = envelope.notice.status.value
    texts = alert_annotations(envelope)
    resolved = envelope.notice.status is NoticeStatus.RESOLVED
    fingerprint = hashlib.sha256(json.dumps(alert_labels, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": envelope.notice.receiver,
        "groupLabels": group,
        "commonLabels": alert_labels,
        "commonAnnotations": texts,
        "externalURL": public_url,
        "alerts": [
            {
                "status": status,
                "labels": alert_labels,
                "annotations": texts,
                "startsAt": iso_utc(envelope.notice.condition.since),
                "endsAt": iso_utc(envelope.notice.at) if resolved else ZERO_TIME,
                "generatorURL": link(envelope, public_url),
                "fingerprint": fingerprint,
            }
        ],
    }


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """The `X-Attain-Signature` value: `sha256=` and the hex HMAC-SHA256 of `timestamp.body`."""
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def send_webhook(
    envelope: Envelope, delivery: str, settings: NotifySettings, environ: Mapping[str, str], now: int
) -> None:
    """POST the notice's webhook body to `envelope.url`, signed when the receiver has a secret.

    Args:
        envelope: The notice and its receiver.
        delivery: The delivery id (the outbox message's dedup key), the same on every retry.
        settings: The allow-list, timeout and public URL.
        environ: The environment the secret is read from.
        now: µs instant of this attempt, for `X-Attain-Timestamp`.

    Raises:
        SendFailed: the secret's variable is unset or empty (permanent), or the POST failed.
    """
    body = json.dumps(payload(envelope, settings.public_url), ensure_ascii=False).encode()
    timestamp = str(now // US_PER_SECOND)
    headers = {"X-Attain-Delivery": delivery, "X-Attain-Timestamp": timestamp}
    if envelope.secret_env is not None:
        secret = environ.get(envelope.secret_env, "")
        if not secret:
            raise SendFailed(
                f"webhook of receiver {envelope.notice.receiver!r}: the environment variable"
                f" {envelope.secret_env} that holds its secret is not set; set it for the scheduler, then"
                f" `attain notifications {envelope.notice.condition.agreement} --requeue` sends it again",
                permanent=True,
            )
        headers["X-Attain-Signature"] = signature(secret.encode(), timestamp, body)
    post(envelope.url, body, headers, settings.allow, settings.timeout_seconds)
