"""A store holding one agreement and two months of requests: October 2026 985 of 1,000 good, November 960."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from attain.ingestion.run import IngestOptions
from attain.services.store import apply_files, ingest_files
from attain.storage import connect, upgrade
from attain.storage.store import SqlStore

MONTHS = ((10, 985), (11, 960))
"""(month of 2026, good requests of 1,000); the others have status `error`."""


def two_months(tmp_path: Path, document: dict[str, Any], now: int) -> tuple[SqlStore, Engine]:
    """`document` applied (its objective reads `requests` with a `status`) and both months ingested."""
    path = tmp_path / "agreement.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")
    rows = []
    for month, good in MONTHS:
        statuses = ["ok"] * good + ["error"] * (1000 - good)
        rows += [f"2026-{month:02d}-02T{i // 60:02d}:{i % 60:02d}:00Z,{s}" for i, s in enumerate(statuses)]
    (tmp_path / "requests.csv").write_text("timestamp,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    apply_files(store, [path], now)
    ingest_files(store, [tmp_path / "requests.csv"], document["metadata"]["name"], now, IngestOptions(), None)
    return store, engine
