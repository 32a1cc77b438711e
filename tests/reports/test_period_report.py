"""The periodic report: facts computed by hand, golden Markdown and JSON, charts, PDF pages and inert text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from attain.errors import InvalidInput
from attain.formats.bundle import load_agreement
from attain.model import CalendarUnit
from attain.reports.document import Format
from attain.reports.period import PeriodReport, ReportSource, period_report
from attain.reports.period_label import parse_period
from attain.reports.period_view import render_report
from attain.sources.files import read_measurements

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ATTAIN_UPDATE_GOLDEN") == "1"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils: run scripts/system-packages"
)


def february(language: str = "en") -> PeriodReport:
    """The report of February 2027 for the golden agreement and its measurement files."""
    agreement = load_agreement(GOLDEN / f"agreement.{language}.yaml")
    return period_report(ReportSource(agreement, read_measurements(agreement, GOLDEN / "data")), "2027-02")


def check_golden(name: str, content: bytes) -> None:
    """Compare with a golden file exactly (ATTAIN_UPDATE_GOLDEN=1 rewrites it, for review by eye)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(content)
    assert content.decode() == path.read_text(encoding="utf-8")


def test_period_labels_parse_to_their_first_day() -> None:
    """Month, quarter, ISO week, year and day labels give their unit and first day."""
    assert parse_period("2026-10") == (CalendarUnit.MONTH, date(2026, 10, 1))
    assert parse_period("2026-Q4") == (CalendarUnit.QUARTER, date(2026, 10, 1))
    assert parse_period("2026-W01") == (CalendarUnit.WEEK, date(2025, 12, 29))
    assert parse_period("2026") == (CalendarUnit.YEAR, date(2026, 1, 1))
    assert parse_period("2026-10-05") == (CalendarUnit.DAY, date(2026, 10, 5))
    with pytest.raises(InvalidInput):
        parse_period("2026-13")


def test_attainment_and_budget_match_hand_computation() -> None:
    """Compute lost 252 + 63 minutes of 40,320 in February: 99.21875%, 781.25% of a 40.32-minute budget."""
    compute = february().objectives[0]
    assert compute.result is not None
    assert compute.result.ratio == Decimal(40320 - 315) / Decimal(40320)
    assert compute.result.budget is not None
    assert compute.result.budget.allowed == Decimal("40.32")
    assert compute.result.budget.consumed == Decimal(315)
    assert compute.result.status.value == "breached"


def test_daily_attainment_and_burn_down_follow_the_incidents() -> None:
    """February 10 loses 252 of 1,440 minutes; after it 1 − 252/40.32 = −525% of the budget is left."""
    compute = february().objectives[0]
    assert len(compute.days) == 28
    tenth = compute.days[9]
    assert tenth.day == date(2027, 2, 10)
    assert tenth.result.ratio == Decimal(1440 - 252) / Decimal(1440)
    assert compute.remaining[8] == Decimal(1)
    assert compute.remaining[9] == Decimal(1) - Decimal(252) / Decimal("40.32")
    assert compute.remaining[-1] == Decimal(1) - Decimal(315) / Decimal("40.32")


def test_consumption_lists_downtime_and_excluded_time() -> None:
    """The two compute outages are the consumed intervals; storage's announced maintenance is excluded."""
    compute, storage = february().objectives
    lengths = [(e - s) // 60_000_000 for s, e in compute.consumption.downtime]
    assert lengths == [252, 63]
    assert [(e - s) // 60_000_000 for s, e in storage.consumption.excluded] == [120]
    assert storage.result is not None
    assert storage.result.ratio == 1


def test_credit_trend_and_rights() -> None:
    """The 10% tier of an 8,500 EUR fee is owed; January is the trend; no termination right arises."""
    report = february()
    assert report.credit is not None
    assert report.credit.share == Decimal("0.10")
    assert report.credit.amount == Decimal(850)
    assert [p.period for p in report.objectives[0].trend] == ["2027-01"]
    assert report.grants == ()


def test_report_json_matches_golden() -> None:
    """The JSON report of the golden data is exactly the reviewed golden file."""
    check_golden("report.2027-02.json", render_report(february(), "en", Format.JSON))


def test_report_json_shape_is_documented() -> None:
    """Every top-level and per-objective key of the JSON report is named in docs/reports.md."""
    data = json.loads(render_report(february(), "en", Format.JSON))
    docs = (Path(__file__).parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
    for key in [*data, *data["objectives"][0]]:
        assert f"`{key}`" in docs, key


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_report_markdown_matches_golden(language: str) -> None:
    """The Markdown report of the golden data is exactly the reviewed golden file."""
    check_golden(f"report.2027-02.{language}.md", render_report(february(language), language, Format.MD))


def test_html_report_is_self_contained_with_charts() -> None:
    """The HTML report inlines its CSS and two SVG charts per objective with budget, and names no URL."""
    html = render_report(february(), "en", Format.HTML).decode()
    assert html.count("<svg") == 4
    assert "<script" not in html.lower()
    urls = re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", html)
    assert urls == []
    assert "<link" not in html


def test_hostile_names_are_inert_in_the_report(tmp_path: Path) -> None:
    """A script tag in an objective's title is text in HTML and Markdown reports."""
    text = (GOLDEN / "agreement.en.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Compute availability", 'title: "<script>alert(1)</script>[x](javascript:alert(1))"')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    agreement = load_agreement(path)
    report = period_report(ReportSource(agreement, read_measurements(agreement, GOLDEN / "data")), "2027-02")
    html = render_report(report, "en", Format.HTML).decode()
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    markdown = render_report(report, "en", Format.MD).decode()
    assert "<script" not in markdown
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)


@needs_poppler
def test_chinese_report_pdf_pages_and_text(tmp_path: Path) -> None:
    """The zh-CN report PDF has 3 non-blank pages whose text holds Chinese headings and the attainment."""
    pdf = render_report(february("zh-CN"), "zh-CN", Format.PDF)
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "30", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.ppm"))
    assert len(pages) == 3
    for page in pages:
        raw = page.read_bytes()
        header = re.match(rb"P6\s+\d+\s+\d+\s+\d+\s", raw)
        assert header is not None
        pixels = raw[header.end() :: 5]
        mean = sum(pixels) / len(pixels)
        assert sum((b - mean) ** 2 for b in pixels) / len(pixels) > 50
    text = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True
    ).stdout.decode()
    for expected in ("服务水平报告", "概要", "每日达成率", "应付赔偿", "99.21%", "2027年2月"):  # 99.21875% cut
        assert expected in text
