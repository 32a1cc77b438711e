"""The agreement the scheduler tests tick: `shop`, active, monthly, reported in English and Chinese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.services.months_support import MONTHS

from attain.ingestion.run import IngestOptions
from attain.services.store import apply_files, ingest_files
from attain.storage import SqlStore, connect, upgrade
from attain.testing import agreement


def scheduled_shop() -> dict[str, Any]:
    """`shop` (UTC, active from 2026-10-01): 99% of requests good per month, 10% credit below, EUR 1,000 a month.

    Claims within one month; reports monthly in en and zh-CN. Its objective reads `requests`
    with a `status` (`tests.services.months_support.two_months` ingests two months of them).
    """
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": "month",
        "credits": [{"below": "99%", "credit": "10%"}],
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    spec = document["spec"]
    spec["status"] = "active"
    spec["fee"] = {"amount": "1000", "currency": "EUR"}
    spec["creditPolicy"] = {"claimWithin": "P1M"}
    spec["reporting"] = {"period": "month", "languages": ["en", "zh-CN"]}
    return document


def shop_on(url: str, tmp_path: Path, now: int, document: dict[str, Any] | None = None) -> SqlStore:
    """`scheduled_shop` (or `document`) applied on the store at `url` (migrated), October 985 and November 960 good."""
    engine = connect(url)
    upgrade(engine)
    store = SqlStore(engine)
    path = tmp_path / "agreement.json"
    path.write_text(json.dumps(scheduled_shop() if document is None else document), encoding="utf-8")
    rows = []
    for month, good in MONTHS:
        statuses = ["ok"] * good + ["error"] * (1000 - good)
        rows += [f"2026-{month:02d}-02T{i // 60:02d}:{i % 60:02d}:00Z,{s}" for i, s in enumerate(statuses)]
    (tmp_path / "requests.csv").write_text("timestamp,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    apply_files(store, [path], now)
    ingest_files(store, [tmp_path / "requests.csv"], "shop", now, IngestOptions(), None)
    return store
