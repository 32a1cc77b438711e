"""Through the store (apply, ingest, evaluate_stored): timeouts ranked worst and service hours give the file's answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from attain.engine.instant import to_us
from attain.engine.result import Status
from attain.ingestion.run import IngestOptions
from attain.services.store import apply_files, evaluate_stored, ingest_files
from attain.storage import SqlStore, connect, upgrade
from attain.testing import agreement

NOW = to_us(datetime(2027, 2, 1, tzinfo=UTC))
OBJECTIVES = [
    {
        "name": "latency",
        "indicator": {
            "kind": "statistic",
            "statistic": "percentile",
            "percentile": 90,
            "method": "nearest-rank",
            "events": "requests",
            "value": "latency_ms",
            "op": "le",
            "bound": 300,
            "unit": "ms",
            "missing": "worst",
        },
        "window": "month",
    },
    {
        "name": "answered",
        "indicator": {"kind": "ratio", "events": "calls", "good": {"where": {"ok": True}}},
        "target": "90%",
        "window": "month",
        "serviceHours": "office",
    },
    {
        "name": "portal",
        "indicator": {"kind": "availability", "from": "incidents"},
        "target": "99.5%",
        "window": "month",
        "serviceHours": "office",
    },
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A migrated SQLite store holding the agreement and the three measurement files."""
    document = agreement(objectives=OBJECTIVES, name="desk", effective_from="2027-01-01", time_zone="Asia/Shanghai")
    document["spec"]["calendars"] = {"office": {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["08:00-18:00"]}}}
    path = tmp_path / "desk.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    latencies = ["120", "80", "300", "150", "90", "200", "110", "250", "", ""]
    rows = [f"2027-01-05T10:{i:02d}:00+08:00,{v}" for i, v in enumerate(latencies)]
    (data / "requests.csv").write_text("timestamp,latency_ms\n" + "\n".join(rows) + "\n", encoding="utf-8")
    # Tue 2027-01-05: 07:59 (out), 08:00 (in, bad), 12:00 (in, good), 18:00 (out); Sat 9th (out)
    calls = ["07:59:00,true", "08:00:00,false", "12:00:00,true", "18:00:00,false"]
    lines = [f"2027-01-05T{c.split(',')[0]}+08:00,{c.split(',')[1]}" for c in calls] + [
        "2027-01-09T10:00:00+08:00,false"
    ]
    (data / "calls.csv").write_text("timestamp,ok\n" + "\n".join(lines) + "\n", encoding="utf-8")
    # Mon 2027-01-04 17:00 → Tue 09:00: 60 + 60 service minutes down; Sunday 10th: none
    incidents = [
        "2027-01-04T17:00:00+08:00,2027-01-05T09:00:00+08:00",
        "2027-01-10T09:00:00+08:00,2027-01-10T12:00:00+08:00",
    ]
    (data / "incidents.csv").write_text("start,end\n" + "\n".join(incidents) + "\n", encoding="utf-8")
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    found = SqlStore(engine)
    apply_files(found, [path], NOW)
    ingest_files(found, sorted(data.iterdir()), "desk", NOW, IngestOptions(), None)
    yield found
    engine.dispose()


def test_stored_evaluation_ranks_timeouts_worst_and_counts_only_service_hours(store: SqlStore) -> None:
    """January 2027 in Shanghai, through the store.

    - latency: 8 values and 2 timeouts, p90 rank 9 of 10 is a timeout → breached, beyond measured;
    - answered: only 08:00 (bad) and 12:00 (good) on the 5th are inside → 1 / 2;
    - portal: 21 working days × 600 min = 12,600 service minutes (no holidays in this calendar), 120
      down → (12,600 − 120) / 12,600 = 12,480 / 12,600 = 0.990476190476190476190476190476… rounded down.
    """
    evaluation = evaluate_stored(store, "desk", NOW).evaluation
    by_name = {o.objective: o.periods[0] for o in evaluation.objectives}
    latency, answered, portal = by_name["latency"], by_name["answered"], by_name["portal"]
    assert (latency.status, latency.statistic, latency.valid) == (Status.BREACHED, None, Decimal(10))
    assert latency.detail == {"missing": 2, "beyond_measured": True}
    assert (answered.good, answered.valid) == (Decimal(1), Decimal(2))
    assert portal.detail["downtime_minutes"] == Decimal(120)
    assert portal.ratio == Decimal("0.9904761904761904761904761904")
