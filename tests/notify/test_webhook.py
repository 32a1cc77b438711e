"""Webhooks carry Alertmanager's v4 body, signed over timestamp and body, to a real loopback server."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import time
from pathlib import Path

import pytest

from attain.engine.notices import Channel, NoticeStatus
from attain.notify import AddressRefused, SendFailed
from attain.notify.webhook import send_webhook
from attain.settings import NotifySettings
from notify_support import envelope, run_hook

SECRET_ENV = "HOOK_SECRET"  # noqa: S105 (a variable's name, not a secret)
"""The variable the receivers' `secretEnv` names."""
LOOPBACK = NotifySettings(allow=("127.0.0.1",), public_url="https://sla.example.com")
NOW = 1_764_936_300_123_456
"""The attempt's instant: its whole seconds are the timestamp header."""
LABELS = {
    "alertname": "AttainBurnRate",
    "agreement": "shop",
    "objective": "api",
    "severity": "page",
    "party": "provider",
    "key": "burn-rate/api/page/60m-5m",
}
ANNOTATIONS = {
    "summary": "Shop API: objective api — error budget burning too fast",
    "description": "Agreement “Shop API” (shop), objective api: error budget burning too fast since 2026-12-05T12:00:00Z.",
    "burnRate": "14.4",
    "window": "60m/5m",
}


def test_a_signed_webhook_arrives_with_the_v4_body_and_a_signature_the_receiver_can_check() -> None:
    """The receiver recomputes HMAC-SHA256(secret, timestamp.body) and gets the header's value; body exact."""
    with run_hook() as hook:
        message = envelope(Channel.WEBHOOK, f"{hook.url}/hooks/attain?team=sre", secret_env=SECRET_ENV)
        send_webhook(message, "delivery-1", LOOPBACK, {"HOOK_SECRET": "s3cret"}, NOW)
    (request,) = hook.requests
    assert request.path == "/hooks/attain?team=sre"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["host"] == f"127.0.0.1:{hook.port}"
    assert request.headers["x-attain-delivery"] == "delivery-1"
    assert request.headers["x-attain-timestamp"] == "1764936300"
    expected = hmac.new(b"s3cret", b"1764936300." + request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-attain-signature"], f"sha256={expected}")
    fingerprint = hashlib.sha256(json.dumps(LABELS, sort_keys=True).encode()).hexdigest()[:16]
    assert json.loads(request.body) == {
        "version": "4",
        "groupKey": '{}:{agreement="shop", alertname="AttainBurnRate", key="burn-rate/api/page/60m-5m"}',
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "oncall",
        "groupLabels": {"agreement": "shop", "alertname": "AttainBurnRate", "key": "burn-rate/api/page/60m-5m"},
        "commonLabels": LABELS,
        "commonAnnotations": ANNOTATIONS,
        "externalURL": "https://sla.example.com",
        "alerts": [
            {
                "status": "firing",
                "labels": LABELS,
                "annotations": ANNOTATIONS,
                "startsAt": "2026-12-05T12:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "https://sla.example.com/agreements/shop",
                "fingerprint": fingerprint,
            }
        ],
    }


def test_a_tampered_body_or_another_timestamp_does_not_verify() -> None:
    """The signature covers the timestamp: the same body under another timestamp fails the check."""
    with run_hook() as hook:
        send_webhook(envelope(Channel.WEBHOOK, hook.url, secret_env=SECRET_ENV), "d", LOOPBACK, {SECRET_ENV: "k"}, NOW)
    (request,) = hook.requests
    given = request.headers["x-attain-signature"]
    later = "sha256=" + hmac.new(b"k", b"1764936301." + request.body, hashlib.sha256).hexdigest()
    tampered = "sha256=" + hmac.new(b"k", b"1764936300." + request.body + b" ", hashlib.sha256).hexdigest()
    assert given not in {later, tampered}


def test_a_resolved_notice_is_sent_resolved_with_its_end_and_chinese_text_as_utf8() -> None:
    """Status resolved, endsAt the notice's instant; zh-CN text arrives as UTF-8, unescaped."""
    with run_hook() as hook:
        message = envelope(Channel.WEBHOOK, hook.url, status=NoticeStatus.RESOLVED, language="zh-CN")
        send_webhook(message, "d", NotifySettings(allow=("127.0.0.0/8",)), {}, NOW)
    (request,) = hook.requests
    body = json.loads(request.body)
    assert body["status"] == "resolved"
    assert body["externalURL"] == ""
    assert body["alerts"][0]["endsAt"] == "2026-12-05T12:05:00Z"
    assert body["alerts"][0]["generatorURL"] == ""
    assert body["commonAnnotations"]["summary"] == "已恢复：Shop API: 目标 api — 错误预算消耗过快"
    assert "已恢复".encode() in request.body
    assert "x-attain-signature" not in request.headers


def test_a_missing_secret_is_a_permanent_failure_and_nothing_is_sent() -> None:
    """The variable `secretEnv` names that is not set: permanent, and the receiver sees no request."""
    with run_hook() as hook:
        message = envelope(Channel.WEBHOOK, hook.url, secret_env=SECRET_ENV)
        with pytest.raises(SendFailed) as raised:
            send_webhook(message, "d", LOOPBACK, {"HOOK_SECRET": ""}, NOW)
    assert raised.value.permanent
    assert "HOOK_SECRET" in str(raised.value)
    assert hook.requests == []


@pytest.mark.parametrize(
    ("status", "permanent"), [(500, False), (503, False), (408, False), (429, False), (400, True), (404, True)]
)
def test_an_answer_other_than_2xx_fails_transiently_only_for_5xx_408_and_429(status: int, permanent: bool) -> None:
    """5xx, 408 and 429 are worth retrying; any other 4xx is not."""
    with run_hook([status]) as hook, pytest.raises(SendFailed) as raised:
        send_webhook(envelope(Channel.WEBHOOK, hook.url), "d", LOOPBACK, {}, NOW)
    assert raised.value.permanent is permanent
    assert str(raised.value).startswith(f"{hook.url}: HTTP {status}")


def test_a_redirect_is_not_followed() -> None:
    """A 302 (here to the metadata address) is a permanent failure; only one request was made."""
    with run_hook([302]) as hook, pytest.raises(SendFailed, match="redirects are not followed") as raised:
        send_webhook(envelope(Channel.WEBHOOK, hook.url), "d", LOOPBACK, {}, NOW)
    assert raised.value.permanent
    assert len(hook.requests) == 1


def test_a_closed_port_is_a_transient_failure() -> None:
    """Nothing listening: a connection error, retried later."""
    with run_hook() as hook:
        url = hook.url
    with pytest.raises(SendFailed) as raised:
        send_webhook(envelope(Channel.WEBHOOK, url), "d", LOOPBACK, {}, NOW)
    assert not raised.value.permanent
    assert str(raised.value).startswith(f"{url}: ConnectError")


def test_a_metadata_url_is_refused_even_when_allowed() -> None:
    """169.254.169.254 is never sent to, whatever the allow-list says."""
    settings = NotifySettings(allow=("169.254.169.254", "169.254.0.0/16"))
    with pytest.raises(AddressRefused, match="link-local, metadata, multicast or unspecified address; never sent to"):
        send_webhook(envelope(Channel.WEBHOOK, "http://169.254.169.254/latest/meta-data"), "d", settings, {}, NOW)


def test_the_documented_receiver_side_check_accepts_a_real_request_and_rejects_a_replay() -> None:
    """docs/notifications.md's `verify` accepts what was sent now, and rejects it under another secret or later."""
    document = (Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", document, re.DOTALL)
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 (the documentation's own example)
    verify = namespace["verify"]
    assert callable(verify)
    with run_hook() as hook:
        send_webhook(
            envelope(Channel.WEBHOOK, hook.url, secret_env=SECRET_ENV),
            "d",
            LOOPBACK,
            {SECRET_ENV: "k"},
            int(time.time() * 1_000_000),
        )
    (request,) = hook.requests
    headers = {
        "X-Attain-Timestamp": request.headers["x-attain-timestamp"],
        "X-Attain-Signature": request.headers["x-attain-signature"],
    }
    assert verify(headers, request.body, b"k") is True
    assert verify(headers, request.body, b"other") is False
    assert verify(headers, request.body + b" ", b"k") is False
    stale = {**headers, "X-Attain-Timestamp": str(int(headers["X-Attain-Timestamp"]) - 301)}
    assert verify(stale, request.body, b"k") is False


@pytest.mark.skipif(
    {a[4][0] for a in socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)} != {"127.0.0.1"},
    reason="localhost does not resolve to 127.0.0.1 alone on this machine",
)
def test_a_host_name_allowed_by_name_is_reached_at_its_checked_address_with_its_own_host_header() -> None:
    """`localhost` on the allow-list: the request reaches 127.0.0.1 and says `Host: localhost:PORT`."""
    with run_hook() as hook:
        url = f"http://localhost:{hook.port}/hook"
        send_webhook(envelope(Channel.WEBHOOK, url), "d", NotifySettings(allow=("localhost",)), {}, NOW)
    assert [(r.path, r.headers["host"]) for r in hook.requests] == [("/hook", f"localhost:{hook.port}")]
