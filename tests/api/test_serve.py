"""`attain serve` on a fresh directory after `attain demo`: the demo store, an admin token, the dashboard."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from api_support import attain_serve, free_port
from attain.cli.serve import serve_settings


def test_serve_falls_back_to_the_demo_store_only_when_nothing_is_configured(tmp_path: Path) -> None:
    """No settings and no ./.attain store, but ./attain-demo/attain.db: that one is served, with a note."""
    assert serve_settings({}, tmp_path) == (serve_settings({}, tmp_path)[0], None)
    demo = tmp_path / "attain-demo" / "attain.db"
    demo.parent.mkdir()
    demo.touch()
    settings, note = serve_settings({}, tmp_path)
    assert settings.database_url == f"sqlite:///{demo}"
    assert note is not None
    assert str(demo) in note
    configured, quiet = serve_settings({"ATTAIN_DATA_DIR": "mine"}, tmp_path)
    assert (configured.data_dir, quiet) == (tmp_path / "mine", None)


def test_demo_then_serve_shows_the_demo_with_a_printed_admin_token(tmp_path: Path) -> None:
    """After `attain demo`, `attain serve` prints an admin token that lists the five demo agreements and opens the dashboard."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    at = "2026-11-15T12:00:00Z"
    subprocess.run(
        [sys.executable, "-m", "attain", "demo", "--at", at], env=env, cwd=tmp_path, check=True, capture_output=True
    )
    with attain_serve(tmp_path, env) as (base, token):
        listed = httpx.get(f"{base}/api/v1/agreements", headers={"Authorization": f"Bearer {token}"}).json()
        assert [a["name"] for a in listed] == [
            "ambulance-response",
            "api-latency",
            "cloud-backup",
            "cloud-uptime",
            "support-desk",
        ]
        page = httpx.get(f"{base}/", cookies={"attain_token": token})
        assert page.status_code == 200
        assert "cloud-uptime" in page.text
        assert httpx.get(f"{base}/", follow_redirects=False).status_code == 303


def test_serve_names_its_store_and_says_when_it_is_empty(tmp_path: Path) -> None:
    """On an empty store, `attain serve` prints the store's URL and that it holds no agreement before its token."""
    data = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ATTAIN_DATA_DIR": str(data), "COLUMNS": "400"}
    server = subprocess.Popen(
        [sys.executable, "-m", "attain", "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline() == f"store: sqlite:///{data}/attain.db\n"
        assert server.stdout.readline().startswith("admin token (shown once, keep it): ")
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    hint = "set ATTAIN_DATA_DIR or ATTAIN_DATABASE_URL to use another; `attain apply FILE` stores one"
    assert stderr.startswith(f"no agreements in the store at sqlite:///{data}/attain.db ({hint})\n")
