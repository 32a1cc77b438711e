"""`attain recommend` on a real SQLite store: the table in English and Chinese, JSON, --write and --propose."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.cli_support import Cli

from attain.engine.instant import to_us
from attain.formats.bundle import load_agreement
from attain.ports import Batch, Bucket
from attain.services.store import open_store
from attain.settings import Settings

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Shop SLA
  purpose: Keeps the shop online.
  parties: {provider: {name: ACME}, customer: {name: Shop}}
  services: [{name: web}]
  effective: {from: 2026-09-01}
  fee: {amount: 1000, currency: EUR, per: month}
  objectives:
    - name: success
      service: web
      indicator: {kind: ratio, events: requests, bad: {where: {outcome: error}}}
      target: 99%
      window: month
      credits: [{below: 99%, atLeast: 90%, credit: 10%}]
"""
AT = "2026-12-05T12:00:00Z"


def _minute(month: int, day: int) -> int:
    return to_us(datetime(2026, month, day, 12, tzinfo=UTC))


def _store(attain: Cli, tmp_path: Path) -> None:
    """The agreement applied by the CLI; September 99.5%, October 96%, November 99.9% stored as counts."""
    path = tmp_path / "shop.yaml"
    path.write_text(AGREEMENT, encoding="utf-8")
    attain.out("apply", path)
    store = open_store(Settings.from_environ({"ATTAIN_DATA_DIR": str(attain.data_dir)}, tmp_path))
    buckets = [
        Bucket("success", _minute(9, 10), 995, 1000),
        Bucket("success", _minute(10, 10), 960, 1000),
        Bucket("success", _minute(11, 10), 999, 1000),
    ]
    store.store_batch(Batch("counts", "shop", "requests", "test", 3000, buckets=buckets), to_us(datetime.now(UTC)))


def test_the_table_in_english_and_chinese(attain: Cli, tmp_path: Path) -> None:
    """The table marks the current and the recommended target; the credit is priced in euros; zh-CN too."""
    _store(attain, tmp_path)
    text = attain.with_env(COLUMNS="140").out("recommend", "shop", "--at", AT)
    assert "success (ratio, month): target 99%, 3 period(s) measured" in text
    assert "99% (current)" in text
    assert "95% (recommended)" in text
    assert "3.3333% = 33.33 euros" in text  # 10% of 1,000 EUR in one month of three
    assert "attainment: least 96%, p10 96%, median 99.5%, p90 99.9%, most 99.9%" in text
    chinese = attain.with_env(COLUMNS="140").out("recommend", "shop", "--at", AT, "--lang", "zh-CN")
    assert "95% (建议)" in chinese
    assert "已测量 3 个周期" in chinese


def test_json_output(attain: Cli, tmp_path: Path) -> None:
    """--output json gives the periods, candidates and the recommended target as exact text."""
    _store(attain, tmp_path)
    data = json.loads(attain.out("recommend", "shop", "--at", AT, "--output", "json", "--periods", "2"))
    [success] = data["objectives"]
    assert [p["period"] for p in success["periods"]] == ["2026-10", "2026-11"]
    assert [(c["target"], c["met"]) for c in success["candidates"]] == [
        ("0.95", 2),
        ("0.98", 1),
        ("0.99", 1),
        ("0.995", 1),
        ("0.999", 1),
    ]
    assert success["recommended"] == "0.95"


def test_write_and_propose(attain: Cli, tmp_path: Path) -> None:
    """--write stores the amended YAML (95%, the tier cut at 95%); --propose makes it proposal 1."""
    _store(attain, tmp_path)
    out = tmp_path / "amended.yaml"
    done = attain("recommend", "shop", "--at", AT, "--write", out, "--propose", "--effective", "2030-01-01")
    assert done.returncode == 0, done.stderr
    assert "shop proposal 1: recommended targets, to take effect 2030-01-01" in done.stdout
    amended = load_agreement(out).spec.objective("success")
    assert str(amended.target) == "0.95"
    assert [(str(t.at_least), str(t.below), str(t.credit)) for t in amended.credits] == [("0.90", "0.95", "0.10")]
    [row] = json.loads(attain.out("proposals", "shop", "--output", "json"))
    assert (row["number"], row["state"], row["effectiveFrom"]) == (1, "proposed", "2030-01-01")


def test_an_unknown_agreement_is_refused(attain: Cli, tmp_path: Path) -> None:
    """A name the store does not hold exits 2 with the problem on stderr."""
    _store(attain, tmp_path)
    done = attain("recommend", "nope", "--at", AT)
    assert done.returncode != 0
    assert "nope" in done.stderr


def test_propose_is_refused_while_a_later_agreed_version_awaits(attain: Cli, tmp_path: Path) -> None:
    """With version 2 stored to take effect 2027-02-01, --propose on 5 December names it, exits 2 and proposes nothing."""
    _store(attain, tmp_path)
    later = tmp_path / "later.yaml"
    later.write_text(AGREEMENT.replace("from: 2026-09-01", "from: 2027-02-01").replace("target: 99%", "target: 99.5%"))
    attain.out("apply", later)
    out = tmp_path / "amended.yaml"
    done = attain("recommend", "shop", "--at", AT, "--propose", "--write", out)
    assert done.returncode == 2
    assert (
        "the recommendation judged version 1, in force at 2026-12-05T12:00:00Z, but version 2 is stored"
        " and takes effect on 2027-02-01: an amendment of version 1 would undo it"
    ) in " ".join(done.stderr.split())
    assert not out.exists()
    assert json.loads(attain.out("proposals", "shop", "--output", "json")) == []
