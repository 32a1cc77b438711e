"""Bodies over the limit are refused with 413 before more than the limit plus 64 KiB is read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api_support import Api, attain_serve, make_api
from attain.api.limits import BodyLimit

LIMIT = 100_000
CHUNK = 16 * 1024


@pytest.fixture
def small(tmp_path: Path) -> Api:
    """An API that takes bodies up to 100,000 bytes."""
    return make_api(f"sqlite:///{tmp_path}/attain.db", tmp_path, max_body_bytes=LIMIT)


def test_a_declared_length_over_the_limit_is_refused_unread(small: Api) -> None:
    """Content-Length over the limit: 413 in the error shape, and the push stored nothing."""
    body = json.dumps({"stream": "requests", "rows": [{"timestamp": "2026-11-15T10:00:00Z"}] * 5000})
    assert len(body) > LIMIT
    response = small.client.post(
        "/api/v1/agreements/shop/events", content=body, headers=small.as_("editor") | {"Idempotency-Key": "big"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert small.runtime.store.ledger("shop") == []


async def _drive(app: Any, chunks: Iterator[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Run one request through `app`, returning the status and how many body bytes the app took."""
    taken, status = 0, 0

    async def receive() -> dict[str, Any]:
        nonlocal taken
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "method": "POST", "path": "/api/v1/agreements/shop/events", "headers": headers}
    await BodyLimit(app, LIMIT)(scope, receive, send)
    return status, taken


def test_a_chunked_body_is_cut_off_at_the_limit(small: Api) -> None:
    """A 10 MB chunked body without Content-Length: the app reads at most the limit plus one 16 KiB chunk."""
    import anyio  # noqa: PLC0415

    endless = iter([b"x" * CHUNK] * 640)
    headers = [(b"authorization", small.as_("editor")["Authorization"].encode()), (b"idempotency-key", b"k")]
    status, taken = anyio.run(_drive, small.app, endless, [*headers, (b"content-type", b"application/json")])
    assert status == 413
    assert LIMIT < taken <= LIMIT + CHUNK <= LIMIT + 64 * 1024


def test_a_real_server_refuses_a_chunked_body(tmp_path: Path) -> None:
    """Under uvicorn, a chunked upload of 2 MB to a 100 kB limit gets 413 in the error shape."""
    env = {"ATTAIN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    with attain_serve(tmp_path, env, "--max-body", str(LIMIT)) as (base, token):

        def chunks() -> Iterator[bytes]:
            for _ in range(128):
                yield b"x" * CHUNK

        response = httpx.post(
            f"{base}/api/v1/agreements",
            content=chunks(),
            headers={"Authorization": f"Bearer {token}", "content-type": "application/yaml"},
            timeout=30,
        )
        assert response.status_code == 413
        assert response.json()["error"]["status"] == 413


def test_an_alertmanager_payload_over_the_limit_is_refused(small: Api) -> None:
    """The Alertmanager receiver has the same limit: 413, and no incident stored."""
    alert = {
        "status": "firing",
        "labels": {"agreement": "shop", "alertname": "ShopDown"},
        "startsAt": "2026-11-15T11:00:00Z",
        "fingerprint": "a1b2c3d4e5f60718",
    }
    body = json.dumps({"version": "4", "alerts": [alert] * 1000})
    assert len(body) > LIMIT
    response = small.client.post("/api/v1/alertmanager", content=body, headers=small.as_("editor"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert small.runtime.store.ledger("shop") == []
