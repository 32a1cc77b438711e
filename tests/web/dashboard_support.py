"""Helpers of the dashboard tests, and the app factory the browser tests run under uvicorn.

    python -m uvicorn --factory web.dashboard_support:server_app --app-dir tests

The factory builds the app from ATTAIN_DATABASE_URL / ATTAIN_DATA_DIR, with the clock standing
still at ATTAIN_TEST_NOW (µs) when that is set, so that a browser sees the demo as the in-process
tests do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI

from attain.server import create_server
from attain.services.runtime import create_runtime, system_clock
from attain.settings import Settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def server_app() -> FastAPI:
    """The app over the database named in the environment (a uvicorn factory)."""
    settings = Settings.from_environ(os.environ, Path.cwd())
    fixed = os.environ.get("ATTAIN_TEST_NOW")
    clock = system_clock if not fixed else (lambda: int(fixed))
    return create_server(runtime=create_runtime(settings, clock=clock))


def sign_in(client: TestClient, secret: str) -> None:
    """Sign in through the login form (GET for the nonce, then POST)."""
    form = client.get("/login")
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None
    response = client.post("/login", data={"token": secret, "nonce": nonce.group(1)}, follow_redirects=False)
    assert response.status_code == 303


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed (scripts' JSON dropped)."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')
    return re.sub(r"\s+", " ", text).strip()
