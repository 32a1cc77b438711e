"""Issue 16 end to end: the scheduler tells a webhook of breaches and credits, at least once, never lost.

The agreement `shop` (UTC, 99% of requests good per month, 10% credit below) has October 2026 at
985 of 1,000 good and November at 960: both months are breached and both owe a credit. Its
`notify:` block routes `breach` and `credit` events to two webhook receivers, `desk` (the
provider's) and `customer` (the customer's). On 2026-12-04 both months ended within the 35-day
horizon, so by hand the scheduler owes 2 breaches + 2 credits = 4 conditions to each of the two
receivers: 8 messages, each sent once as a first firing notice (sequence 0).

The scheduler runs as real `attain scheduler --once` processes, SIGKILLed at random moments (before,
during or after evaluation, queuing or delivery), each run a few minutes later than the last so
that the delivery lease of a killed run has ended; then it runs to completion. Every one of the 8
messages must have reached the webhook (the receiver may see a delivery id twice if a process died
between sending and recording; that is at least once), and no other message may exist.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.services.scheduled_support import scheduled_shop, shop_on

from attain.engine.instant import to_us
from attain.storage import connect
from attain.storage import schema as s
from cli_support import Cli
from notify_support import run_hook

START = datetime(2026, 12, 4, tzinfo=UTC)
SECRET = "s3cret-for-the-test"  # noqa: S105 - a test secret
KEYS = ("breach/checkout/2026-10", "breach/checkout/2026-11", "credit/2026-10", "credit/2026-11")
EXPECTED = {f"{receiver}|{key}|firing|0|webhook" for receiver in ("desk", "customer") for key in KEYS}
"""The 8 messages worked out by hand above, as `Envelope.dedup_key` spells them."""
KILLS = 6


def shop_with_webhooks(url: str) -> dict[str, object]:
    """`shop` with a `notify:` block sending breaches and credits to two webhooks at `url`."""
    document = scheduled_shop()
    spec = document["spec"]
    spec["notify"] = {
        "receivers": [
            {"name": "desk", "webhook": {"url": f"{url}/desk", "secretEnv": "SHOP_HOOK_SECRET"}},
            {"name": "customer", "party": "customer", "webhook": {"url": f"{url}/customer"}},
        ],
        "routes": [{"events": ["breach", "credit"], "receivers": ["desk", "customer"]}],
    }
    return document


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or the test's PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/attain.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_sigkilled_schedulers_lose_no_notification_and_invent_none(database_url: str, tmp_path: Path) -> None:
    """Six runs killed at random moments, then two that finish: each of the 8 messages delivered, no other."""
    with run_hook() as hook:
        store = shop_on(database_url, tmp_path, to_us(START), shop_with_webhooks(hook.url))
        store.engine.dispose()
        cli = Cli(tmp_path / "data", cwd=tmp_path).with_env(
            ATTAIN_DATABASE_URL=database_url, ATTAIN_NOTIFY_ALLOW="127.0.0.1", SHOP_HOOK_SECRET=SECRET
        )
        chance = random.Random()  # noqa: S311 - kill moments, not secrets
        runs = [START + timedelta(minutes=10 * k) for k in range(KILLS + 2)]
        for k, at in enumerate(runs):
            process = _scheduler(cli, at)
            if k < KILLS:
                time.sleep(chance.uniform(0.5, 6.0))
                process.send_signal(signal.SIGKILL)
                process.communicate()
            else:
                _, err = process.communicate(timeout=300)
                assert process.returncode == 0, err

        delivered = Counter(r.headers["x-attain-delivery"] for r in hook.requests)
        assert set(delivered) == EXPECTED
        by_path = Counter((r.path, r.headers["x-attain-delivery"].split("|")[1].split("/")[0]) for r in hook.requests)
        assert {path for path, _ in by_path} == {"/desk", "/customer"}
        for request in hook.requests:
            signature = request.headers.get("x-attain-signature")
            if request.path == "/desk":
                signed = request.headers["x-attain-timestamp"].encode() + b"." + request.body
                assert signature == "sha256=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
            else:
                assert signature is None

    engine = connect(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(s.outbox.c.dedup_key, s.outbox.c.status)).all()
    finally:
        engine.dispose()
    assert sorted(rows) == sorted((key, "sent") for key in EXPECTED)


def _scheduler(cli: Cli, at: datetime) -> subprocess.Popen[str]:
    """Start `attain scheduler --once --at AT` as its own process."""
    environ = cli.process_environ()
    return subprocess.Popen(
        [sys.executable, "-m", "attain", "scheduler", "--once", "--at", at.isoformat().replace("+00:00", "Z")],
        env=environ,
        cwd=cli.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
