"""The quarterly review report of a stored agreement: its content in each format, in English and Chinese.

The store holds one objective, `ok` (99% of events good per month, a 10% credit below 99%, on a
fee of 1,000 USD a month), and 100 events a month with a region:

- 2026-09 (Q3): 1 bad (us);
- 2026-10: none bad: 100.0%, met;
- 2026-11: 2 bad (eu): 98.0%, breached, 10% of the fee = 100.00 USD owed;
- 2026-12: 1 bad (us): 99.0%, met.

So the trend is 100.0% → 99.0%, worsening, and the quarter's drivers (against Q3) are eu 2 of 3
bad (+2, 2/3 of the 3 events allowed), us 1 (1 before, +0); the budget used is 3 ÷ 3 = 100%.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

import pytest

from attain.engine.instant import to_us
from attain.errors import InvalidInput
from attain.ingestion.run import IngestOptions
from attain.reports.document import Format
from attain.reports.review import render_review
from attain.services.credits import ledger_of
from attain.services.quarter_review import quarter_review
from attain.services.store import apply_text, ingest_files
from attain.storage import SqlStore, connect, upgrade

DOCUMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: web}
spec:
  title: Web hosting
  parties: {provider: {name: Hoster}, customer: {name: Shop}}
  purpose: x
  effective: {from: 2026-09-01}
  fee: {amount: "1000.00", currency: USD, per: month}
  objectives:
    - name: ok
      title: Requests served
      indicator: {kind: ratio, events: requests, good: {where: {ok: true}}}
      target: 99%
      window: month
      credits: [{below: 99%, credit: 10%}]
"""
AT = to_us(datetime(2027, 1, 5, tzinfo=UTC))
BAD = {9: ["us"], 10: [], 11: ["eu", "eu"], 12: ["us"]}
PDFTOTEXT = shutil.which("pdftotext")
RECOMMEND = find_spec("attain.services.recommend") is not None
FORECAST = find_spec("attain.services.forecast") is not None
"""Whether this build has the services whose sections the report includes, else marks omitted."""


def _csv(path: Path) -> Path:
    """The 400 events as `requests.csv`: timestamp, ok, region."""
    rows = []
    for month, bad in BAD.items():
        for i in range(100):
            region = bad[i] if i < len(bad) else ("eu" if i % 2 else "us")
            ok = "false" if i < len(bad) else "true"
            rows.append(f"2026-{month:02d}-02T{i // 60:02d}:{i % 60:02d}:00Z,{ok},{region}")
    path.write_text("timestamp,ok,region\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """The agreement, 400 events from September to December 2026, and the credit ledger synced at AT."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    created = SqlStore(engine)
    apply_text(created, DOCUMENT, "web.yaml", now=0)
    ingest_files(created, [_csv(tmp_path / "requests.csv")], "web", 0, IngestOptions(), None)
    ledger_of(created, engine, "web", AT)
    yield created
    engine.dispose()


def test_the_json_holds_the_periods_trend_credit_and_drivers(store: SqlStore) -> None:
    """Three months met, breached, met; 10% of the fee owed for November; eu drove 2 of 3 bad events."""
    data = json.loads(render_review(quarter_review(store, "web", "2026-Q4", AT), "en", Format.JSON))
    (ok,) = data["objectives"]
    assert [(p["period"], p["status"]) for p in ok["periods"]] == [
        ("2026-10", "met"),
        ("2026-11", "breached"),
        ("2026-12", "met"),
    ]
    assert ok["trend"] == "down"
    assert [
        (c["period"], Decimal(c["share"]), Decimal(c["amount"]), c["currency"], c["state"]) for c in data["credits"]
    ] == [("2026-11", Decimal("0.1"), Decimal(100), "USD", "owed")]
    drivers = data["drivers"]
    assert (drivers["period"], drivers["previous"]) == ("2026-Q4", "2026-Q3")
    (found,) = drivers["objectives"]
    assert (found["bad"], found["valid"], found["previous"], found["allowed"], found["consumed"]) == (
        3,
        300,
        1,
        "3",
        "1",
    )
    (region,) = [d for d in found["dimensions"] if d["dimension"] == "region"]
    assert [(d["value"], d["bad"], d["previous"], d["change"]) for d in region["drivers"]] == [
        ("eu", 2, 0, 2),
        ("us", 1, 1, 0),
    ]
    assert region["drivers"][0]["budgetShare"] == "0.6666666666666666666666666666"
    if RECOMMEND:  # the section names the objective and any amendment changes its target
        assert '"ok"' in json.dumps(data["recommendations"])
        assert all(a["objective"] == "ok" and a["target"] == "0.99" for a in data["amendments"])
    else:
        assert data["recommendations"]["omitted"] is data["amendments"]["omitted"] is True
    # the quarter has ended: no open period to forecast
    assert data["forecast"] == [] if FORECAST else data["forecast"]["omitted"] is True


EXPECTED = {
    "en": [
        "Quarterly review: review of 2026-Q4",
        "The quarter's periods side by side",
        "100.0% · Met",
        "98.0% · Breached",
        "99.0% · Met",
        "ok: 100.0% → 99.0%, worsening.",
        "2026-11: 10% of the fee (100.00 US dollars), triggered by ok. (owed)",
        "What drives failures in 2026-Q4 (against 2026-Q3)",
        "3 bad events of 300 valid (1 before); budget used 100%.",
        "66.6667%",
        "The quarter has ended: no period of it is open to forecast."
        if FORECAST
        else "Omitted: the breach forecast service (attain.services.forecast) is not available",
    ],
    "zh-CN": [
        "季度评审：2026-Q4 评审",
        "本季度各期对照",
        "100.0% · 达成",
        "98.0% · 未达成",
        "ok：100.0% → 99.0%，恶化。",
        "2026-11：费用的 10%",
        "（应付）",
        "2026-Q4 的失败来源（对比 2026-Q3）",
        "300 个有效事件中 3 个不达标（上期 1 个）；已用预算 100%。",
        "66.6667%",
        "本季度已结束：没有可预测的未结束周期。" if FORECAST else "已省略：此版本的 attain 不提供违约预测服务",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("fmt", [Format.HTML, Format.MD])
def test_html_and_markdown_say_it_in_the_language(store: SqlStore, language: str, fmt: Format) -> None:
    """Every expected phrase is in the document, and the HTML carries the dashboard's attainment chart as SVG."""
    text = render_review(quarter_review(store, "web", "2026-Q4", AT), language, fmt).decode()
    plain = text.replace("&#39;", "'").replace("\\", "")
    for phrase in EXPECTED[language]:
        assert phrase in plain, phrase
    assert ("<svg" in text) is (fmt is Format.HTML)
    assert "eu" in text


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils: run scripts/system-packages")
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_pdf_reads_the_same(store: SqlStore, tmp_path: Path, language: str) -> None:
    """The text pdftotext reads finds the headings, the credit line and the drivers' totals in the PDF."""
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(render_review(quarter_review(store, "web", "2026-Q4", AT), language, Format.PDF))
    assert PDFTOTEXT is not None
    raw = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    text = re.sub(r"\s+", "", raw)
    for phrase in EXPECTED[language][:2] + EXPECTED[language][7:9]:
        assert re.sub(r"\s+", "", phrase) in text, phrase


def test_a_month_is_not_a_quarter(store: SqlStore) -> None:
    """--quarter 2026-11 is refused, naming the quarter form."""
    with pytest.raises(InvalidInput, match="not a quarter"):
        quarter_review(store, "web", "2026-11", AT)
