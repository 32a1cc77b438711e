"""`attain ingest --buckets-only` and `attain summary` run through the CLI on a SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from attain.testing import agreement, agreement_yaml, ratio_objective
from cli_support import Cli

AT = "2026-11-02T00:00:00Z"
END_US = 1_793_577_600_000_000
MINUTE = 60_000_000
AGREEMENT = agreement(
    time_zone="UTC",
    effective_from="2026-10-01",
    objectives=[ratio_objective("checkout", window={"rolling": "7d"}, alerting="sre-workbook")],
)


def test_summary_from_the_store_equals_the_summary_of_the_file(attain: Cli, tmp_path: Path) -> None:
    """Ten events in the last minutes, two bad: both paths report 8/10, the budget overspent and a page."""
    (tmp_path / "shop.yaml").write_text(agreement_yaml(AGREEMENT))
    stamps = [END_US - 3 * MINUTE + i for i in range(10)]
    table = pa.table({"timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")), "ok": [i >= 2 for i in range(10)]})
    pq.write_table(table, tmp_path / "requests.parquet")
    attain.out("apply", str(tmp_path / "shop.yaml"))
    first = json.loads(
        attain.out(
            "ingest",
            str(tmp_path / "requests.parquet"),
            "--agreement",
            "shop",
            "--buckets-only",
            "--output",
            "json",
        )
    )
    again = json.loads(
        attain.out(
            "ingest",
            str(tmp_path / "requests.parquet"),
            "--agreement",
            "shop",
            "--buckets-only",
            "--output",
            "json",
        )
    )
    assert (first[0]["batches_stored"], again[0]["batches_stored"]) == (1, 0)
    stored = json.loads(attain.out("summary", "shop", "--at", AT, "--output", "json"))
    direct = json.loads(
        attain.out(
            "summary",
            str(tmp_path / "shop.yaml"),
            "--data",
            str(tmp_path / "requests.parquet"),
            "--at",
            AT,
            "--output",
            "json",
        )
    )
    assert stored == direct
    assert (stored[0]["good"], stored[0]["valid"], stored[0]["ratio"]) == (8, 10, "0.8")
    assert stored[0]["budgetRemaining"] == "-1.90"  # 1% of 10 allowed, 2 bad
    assert stored[0]["burnRates"]["5m"] == "20"  # (2/10) ÷ 1%
    assert stored[0]["state"] == "page"
