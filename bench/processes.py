"""Servers the benchmark starts (attain serve, prometheus): a free port, readiness, a clean stop."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(process: subprocess.Popen[bytes], url: str, failure: str, seconds: float = 60) -> None:
    """Return once `url` answers 200; otherwise kill `process` and raise `RuntimeError(failure)`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(failure)


def stop(process: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Terminate the process, and kill it if it has not ended within `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
