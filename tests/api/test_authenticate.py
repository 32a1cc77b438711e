"""The API token is checked from the headers, before any byte of the body is read (`attain.api.authenticate`)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api_support import Api, attain_serve, make_api

PROMPT_SECONDS = 5.0
"""Far above the milliseconds a 401 takes, far below forever: without the check the server waits for the body."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`attain serve` on a free port over a fresh SQLite file: its URL and admin token."""
    env = os.environ | {"ATTAIN_DATA_DIR": str(tmp_path)}
    env.pop("ATTAIN_DATABASE_URL", None)
    with attain_serve(tmp_path, env) as running:
        yield running


@pytest.fixture
def in_process(tmp_path: Path) -> Api:
    """The API in process, with the shop and clinic agreements."""
    return make_api(f"sqlite:///{tmp_path}/attain.db", tmp_path)


def _answer_to_headers_only(base: str, head: str) -> tuple[str, float]:
    """Send request headers and no body; the server's whole answer (by its Content-Length), and after how long."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=PROMPT_SECONDS * 2) as conn:
        started = time.monotonic()
        conn.sendall(head.encode())
        answer = b""
        try:
            while not _whole(answer) and (part := conn.recv(65536)):
                answer += part
        except TimeoutError:
            pass
        return answer.decode(), time.monotonic() - started


def _whole(answer: bytes) -> bool:
    """Whether `answer` holds a response's head and as many body bytes as its Content-Length says."""
    head, found, body = answer.partition(b"\r\n\r\n")
    lengths = [line.split(b":", 1)[1] for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
    return bool(found and lengths) and len(body) >= int(lengths[0])


@pytest.mark.parametrize(
    ("length", "authorization"),
    [
        ("Content-Length: 10000000", ""),
        ("Content-Length: 1000000", ""),
        ("Transfer-Encoding: chunked", ""),
        ("Content-Length: 1000000", "Authorization: Bearer attain_not-a-token\r\n"),
        ("Transfer-Encoding: chunked", "Authorization: Basic YWRtaW46YWRtaW4=\r\n"),
    ],
)
def test_a_body_announced_without_a_usable_token_gets_401_before_it_is_sent(
    served: tuple[str, str], length: str, authorization: str
) -> None:
    """Headers announcing a body (10 MB, 1 MB or chunked), no token or a bad one, no body: 401 at once, then the server hangs up."""
    base, _ = served
    head = f"POST /api/v1/agreements HTTP/1.1\r\nHost: x\r\n{authorization}Content-Type: application/yaml\r\n{length}\r\n\r\n"
    answer, elapsed = _answer_to_headers_only(base, head)
    print(f"\n401 to {length!r} without a usable token after {elapsed * 1000:.1f} ms")  # noqa: T201 - pytest -s
    assert answer.startswith("HTTP/1.1 401"), answer[:200]
    assert "www-authenticate: bearer\r\n" in answer.lower()
    assert "connection: close\r\n" in answer.lower()
    assert json.loads(answer.split("\r\n\r\n", 1)[1])["error"]["code"] == "unauthorized"
    assert elapsed < PROMPT_SECONDS, f"{elapsed:.1f} s"


def test_with_a_valid_token_the_server_waits_for_the_body(served: tuple[str, str]) -> None:
    """The same headers with the admin token get no answer while the body is missing: the check is what answered."""
    base, token = served
    head = (
        f"POST /api/v1/agreements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/yaml\r\nContent-Length: 1000\r\n\r\n"
    )
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=1.5) as conn:
        conn.sendall(head.encode())
        with pytest.raises(TimeoutError):
            conn.recv(65536)


def _call(api: Api, method: str, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Call the ASGI app directly with a body of 100 bytes: the status, and how often the body was asked for."""
    reads = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x: 1\n" * 20, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"content-type", b"application/yaml"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(api.app(scope, receive, send))  # type: ignore[arg-type]
    return status, reads


def test_refused_callers_are_never_asked_for_their_body(in_process: Api) -> None:
    """No token, an unknown token: 401 with the body never read; a viewer's token passes on (403 from its role)."""
    assert _call(in_process, "POST", "/api/v1/agreements", {}) == (401, 0)
    unknown = {"Authorization": "Bearer attain_x"}
    assert _call(in_process, "POST", "/api/v1/agreements/shop/events", unknown) == (401, 0)
    assert _call(in_process, "POST", "/api/v1/agreements", in_process.as_("viewer"))[0] == 403


def test_public_routes_and_unknown_paths_answer_as_before(in_process: Api) -> None:
    """/healthz answers 200 and the OpenAPI document is served without a token; an unknown API path is 404, not 401."""
    client = in_process.client
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/no-such-thing").status_code == 404
    assert client.get("/api/v1/agreements").status_code == 401
