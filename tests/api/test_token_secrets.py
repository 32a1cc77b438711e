"""Token secrets under attack: keyed digests, the move from unkeyed ones, database dumps and logs hold no token."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url

from api_support import NOW, PEPPER, Api, free_port, read_admin_token, wait_until_up
from attain.services.tokens import authenticate, find_token, issue_token
from attain.storage import schema
from attain.storage.access import SqlAccess


def _stored_digest(api: Api, token_id: int) -> str:
    with api.runtime.engine.connect() as conn:
        return str(conn.execute(select(schema.tokens.c.digest).where(schema.tokens.c.id == token_id)).scalar_one())


def test_the_digest_is_an_hmac_under_the_pepper(api: Api) -> None:
    """The stored digest is HMAC-SHA256(pepper, secret), computed here with hmac, never the bare sha256."""
    issued = issue_token(api.runtime.access, "viewer", None, "x", NOW, None)
    stored = _stored_digest(api, issued.stored.id)
    assert stored == hmac.new(PEPPER, issued.secret.encode(), hashlib.sha256).hexdigest()
    assert stored != hashlib.sha256(issued.secret.encode()).hexdigest()


def test_a_token_stored_before_the_pepper_is_moved_to_the_keyed_digest(api: Api) -> None:
    """An unkeyed (sha256) row still works once the pepper is set, and its row is rewritten under the HMAC."""
    unkeyed_access = SqlAccess(api.runtime.engine)
    old = issue_token(unkeyed_access, "viewer", None, "before the pepper", NOW, None)
    assert _stored_digest(api, old.stored.id) == hashlib.sha256(old.secret.encode()).hexdigest()
    headers = {"Authorization": f"Bearer {old.secret}"}
    assert api.client.get("/api/v1/agreements", headers=headers).status_code == 200
    assert _stored_digest(api, old.stored.id) == hmac.new(PEPPER, old.secret.encode(), hashlib.sha256).hexdigest()
    assert find_token(unkeyed_access, old.secret) is None
    assert authenticate(api.runtime.access, old.secret, NOW) is not None


def test_another_pepper_knows_no_token(api: Api) -> None:
    """A server with a different pepper (or none) cannot use the stored digests: the pepper is part of the key."""
    issued = issue_token(api.runtime.access, "admin", None, "x", NOW, None)
    assert authenticate(SqlAccess(api.runtime.engine, b"another pepper"), issued.secret, NOW) is None
    assert authenticate(SqlAccess(api.runtime.engine), issued.secret, NOW) is None


def _dump(url: str) -> str:
    """The database as its own dump tool writes it: sqlite3's .dump or pg_dump of the schema."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return "\n".join(conn.iterdump())
    parsed = make_url(url)
    schema = str(parsed.query["options"]).removeprefix("-csearch_path=")
    command = ["pg_dump", "-h", str(parsed.host), "-p", str(parsed.port or 5432), "-U", str(parsed.username)]
    return subprocess.run(
        [*command, "-n", schema, str(parsed.database)], capture_output=True, text=True, check=True
    ).stdout


def test_a_database_dump_holds_no_token(api: Api) -> None:
    """Neither a secret, nor its random part, nor its unkeyed sha256 appears anywhere in a full dump."""
    secrets = [*api.tokens.values(), issue_token(api.runtime.access, "admin", None, "dump", NOW, None).secret]
    dump = _dump(str(api.runtime.settings.database_url))
    assert "CREATE TABLE" in dump
    assert "tokens" in dump
    for secret in secrets:
        assert secret not in dump
        assert secret.removeprefix("attain_") not in dump
        assert hashlib.sha256(secret.encode()).hexdigest() not in dump
    assert re.search(r"attain_[A-Za-z0-9_-]{20,}", dump) is None


def test_tokens_never_reach_the_server_log(tmp_path: Path) -> None:
    """`attain serve` at debug level: a token in the header, the cookie, the query and a body never shows in its log."""
    port = free_port()
    env = os.environ | {"ATTAIN_DATA_DIR": str(tmp_path), "ATTAIN_LOG_LEVEL": "debug", "ATTAIN_TOKEN_PEPPER": "p"}
    env.pop("ATTAIN_DATABASE_URL", None)
    command = [sys.executable, "-m", "attain", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        admin = read_admin_token(server)
        wait_until_up(port)
        base = f"http://127.0.0.1:{port}"
        wrong = "attain_" + "x" * 43
        with httpx.Client(base_url=base, timeout=10) as client:
            for secret in (admin, wrong):
                client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"})
                client.get(f"/api/v1/agreements?token={secret}")
                client.get("/", headers={"Cookie": f"attain_token={secret}"})
                client.post("/login", data={"token": secret}, follow_redirects=False)
                client.post("/api/v1/tokens", json={"role": secret}, headers={"Authorization": f"Bearer {admin}"})
                client.get(f"/api/v1/agreements/{secret}/status", headers={"Authorization": f"Bearer {admin}"})
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=20)
    lines = log.splitlines()
    assert len(lines) >= 12, log
    digest = hmac.new(b"p", admin.encode(), hashlib.sha256).hexdigest()
    for line in lines:
        for secret in (admin.removeprefix("attain_"), wrong.removeprefix("attain_"), digest):
            assert secret not in line, line
