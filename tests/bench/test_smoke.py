"""The benchmark never rots: its whole pipeline runs on 10k events, and the engines agree on a hand-made data set."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.answers import check  # noqa: E402
from bench.engines import ENGINES  # noqa: E402
from bench.generate import Spec, agreement_yaml, service_name  # noqa: E402

from bench import run  # noqa: E402

MINUTE = 60_000_000
END = Spec().end_us


def test_pipeline_on_ten_thousand_events(tmp_path: Path) -> None:
    """Generating, ingesting and running every engine on 10k events ends with all engines agreeing."""
    engines = [name for name in ENGINES if not name.startswith("prometheus") or shutil.which("promtool")]
    out = tmp_path / "results.json"
    status = run.main(
        [
            "--events",
            "10k",
            "--services",
            "5",
            "--days",
            "4",
            "--runs",
            "1",
            "--engines",
            ",".join(engines),
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ]
    )
    results = json.loads(out.read_text())
    assert status == 0
    assert all(not found for found in results["problems"].values())
    assert set(results["engines"]) >= set(engines)
    assert results["ingest"]["rerun_batches_stored"] == 0


def _hand_made(data: Path) -> None:
    """svc-000: 100 events in the last 5 minutes, 10 bad; svc-001: 100 good; svc-002: none."""
    spec = Spec(events=200, services=3)
    data.mkdir()
    stamps = [END - 4 * MINUTE + i * 1_000 for i in range(200)]
    services = [service_name(0)] * 100 + [service_name(1)] * 100
    good = [i >= 10 for i in range(100)] + [True] * 100
    pq.write_table(
        pa.table(
            {
                "timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")),
                "service": pa.array(services).dictionary_encode(),
                "good": pa.array(good),
            }
        ),
        data / "events.parquet",
    )
    minute = END - 4 * MINUTE
    pq.write_table(
        pa.table(
            {
                "minute": pa.array([minute, minute], pa.timestamp("us", tz="UTC")),
                "service": pa.array([service_name(0), service_name(1)]).dictionary_encode(),
                "good": pa.array([90, 100]),
                "total": pa.array([100, 100]),
            }
        ),
        data / "counts.parquet",
    )
    (data / "agreement.yaml").write_text(agreement_yaml(spec))
    targets = {service_name(s): t for s, t in enumerate(("0.999", "0.995", "0.99"))}
    (data / "meta.json").write_text(json.dumps({"end_us": END, "targets": targets}))


@pytest.mark.parametrize(
    "engine",
    [
        *("attain-raw", "duckdb-raw", "duckdb-raw-naive", "polars-raw", "polars-raw-naive", "pandas-raw"),
        *("duckdb-counts", "duckdb-counts-naive", "polars-counts", "polars-counts-naive"),
    ],
)
def test_hand_computed_answers(tmp_path: Path, engine: str) -> None:
    """Each engine finds the counts, the page and the empty windows worked out by hand."""
    data = tmp_path / "data"
    _hand_made(data)
    meta = json.loads((data / "meta.json").read_text())
    answer = ENGINES[engine][1](data, meta)
    first = answer[service_name(0)]
    assert (first["good"], first["valid"]) == (90, 100)
    assert first["windows"]["5m"] == [10, 100]
    assert first["windows"]["3d"] == [10, 100]
    assert first["days"] == [[END - 1440 * MINUTE, 90, 100]]
    assert first["state"] == "page"  # 10% bad over 1h and 5m is above 14.4 × 0.1%
    assert answer[service_name(1)]["state"] == "ok"
    empty = answer[service_name(2)]
    assert (empty["valid"], empty["windows"]["5m"], empty["state"]) == (0, [0, 0], "ok")
    if engine == "attain-raw":
        assert first["budget_remaining"] == "-9.900"  # 0.1% of 100 allowed, 10 bad
        assert first["burn_rates"]["5m"] == "100"  # (10/100) ÷ 0.001
        assert empty["burn_rates"]["5m"] is None
        assert check(answer, ENGINES["duckdb-raw"][1](data, meta), meta["targets"]) == []
