"""A request's headers have a deadline in a real `attain serve`: a client that trickles them gets 408 and is closed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import attain
from api_support import attain_serve

DEADLINE = 1.0
"""`--header-timeout` of the server under test, in seconds."""


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`attain serve --header-timeout 1` on a free port over a fresh SQLite file: its host and port."""
    home = tmp_path_factory.mktemp("header-timeout")
    env = os.environ | {"ATTAIN_DATA_DIR": str(home)}
    env.pop("ATTAIN_DATABASE_URL", None)
    with attain_serve(home, env, "--header-timeout", str(DEADLINE)) as (base, _token):
        host, port = base.removeprefix("http://").split(":")
        yield host, int(port)


def _read_until_closed(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (at most 10 s)."""
    conn.settimeout(10)
    received = b""
    while chunk := conn.recv(4096):
        received += chunk
    return received


def _request(conn: socket.socket) -> bytes:
    """Send one complete GET /healthz and read its whole response (kept alive)."""
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    conn.settimeout(5)
    received = b""
    while b"\r\n\r\n" not in received or not received.endswith(b"}"):
        received += conn.recv(4096)
    return received


def test_headers_trickled_past_the_deadline_get_408_and_the_connection_closed(address: tuple[str, int]) -> None:
    """A header line every 0.2 s keeps a connection busy but not complete: 408 after the deadline, then closed."""
    with socket.create_connection(address, timeout=5) as conn:
        started = time.perf_counter()
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer = b""
        conn.settimeout(0.2)
        while not answer and time.perf_counter() - started < 10:
            try:
                conn.sendall(b"X-a: b\r\n")
                answer = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
        elapsed = time.perf_counter() - started
        answer += _read_until_closed(conn)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer
    assert answer.endswith(b"the request's headers came too slowly\n")
    print(f"\n408 after {elapsed:.2f} s")  # noqa: T201 - pytest -s shows the figure docs/security.md quotes
    assert DEADLINE - 0.05 <= elapsed < DEADLINE + 3, elapsed


def test_a_connection_that_sends_nothing_is_closed_after_the_deadline(address: tuple[str, int]) -> None:
    """Connecting and staying silent holds nothing past the deadline."""
    with socket.create_connection(address, timeout=5) as conn:
        started = time.perf_counter()
        answer = _read_until_closed(conn)
        elapsed = time.perf_counter() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    print(f"\n408 after {elapsed:.2f} s")  # noqa: T201 - pytest -s shows the figure docs/security.md quotes
    assert DEADLINE - 0.05 <= elapsed < DEADLINE + 3, elapsed


def test_headers_in_time_are_served_even_when_slow(address: tuple[str, int]) -> None:
    """Headers sent in three pieces over 0.5 s (within the deadline) get the answer."""
    with socket.create_connection(address, timeout=5) as conn:
        for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
            conn.sendall(piece)
            time.sleep(0.25)
        conn.settimeout(5)
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200 "), answer


def test_each_request_on_a_kept_alive_connection_has_its_own_deadline(address: tuple[str, int]) -> None:
    """After an answered request, an idle pause longer than the deadline is fine; the next request's clock starts at its first byte."""
    with socket.create_connection(address, timeout=5) as conn:
        assert _request(conn).startswith(b"HTTP/1.1 200 ")
        time.sleep(DEADLINE + 0.5)  # idle, within uvicorn's keep-alive (5 s): no request has begun
        assert _request(conn).startswith(b"HTTP/1.1 200 ")
        started = time.perf_counter()
        conn.sendall(b"GET /healthz HTTP/1.1\r\n")  # a third request that never finishes its headers
        answer = _read_until_closed(conn)
        elapsed = time.perf_counter() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    print(f"\n408 after {elapsed:.2f} s")  # noqa: T201 - pytest -s shows the figure docs/security.md quotes
    assert DEADLINE - 0.05 <= elapsed < DEADLINE + 3, elapsed


def test_the_deadline_option_is_refused_below_a_tenth_of_a_second(tmp_path: Path) -> None:
    """`--header-timeout 0` is a usage error naming the option (exit 2), not a server that closes everything."""
    source = str(Path(attain.__file__).resolve().parent.parent)  # this tree's code, as `attain_serve` runs it
    done = subprocess.run(
        [sys.executable, "-m", "attain", "serve", "--header-timeout", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=os.environ | {"ATTAIN_DATA_DIR": str(tmp_path), "PYTHONPATH": source},
        check=False,
    )
    assert done.returncode == 2
    assert "--header-timeout" in done.stderr
