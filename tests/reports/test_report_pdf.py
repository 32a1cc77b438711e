"""The report PDF of the demo: the first page carries the summary and the start of the first objective.

The demo's agreements and measurements are made as `attain demo` makes them (the same templates,
effective date, generator and seed) and read from files; the report is of the last closed month.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from attain.demo import generate
from attain.formats.bundle import load_agreement
from attain.reports.document import Format
from attain.reports.locale import Locale
from attain.reports.period import ReportSource, period_report
from attain.reports.period_view import render_report
from attain.services.demo import DAYS, SEED, demo_agreement
from attain.sources.files import read_measurements

PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils: run scripts/system-packages")

END = datetime(2026, 11, 27, 10, tzinfo=UTC)
"""The instant the demo is built at (as the dashboard tests build it); October 2026 is its last closed month."""
PERIOD = "2026-10"


def _pdf(tmp_path: Path, template: str, language: str) -> tuple[Path, str, str]:
    """The demo report PDF of `template`, and its first objective's title and attainment as the summary writes it."""
    first_day = (END - timedelta(days=DAYS)).date().replace(day=1)
    path = tmp_path / f"{template}.yaml"
    path.write_text(demo_agreement(template, first_day), encoding="utf-8")
    agreement = load_agreement(path)
    generate(template, tmp_path / "data", END, DAYS, SEED)
    report = period_report(ReportSource(agreement, read_measurements(agreement, tmp_path / "data")), PERIOD)
    first = report.objectives[0]
    assert first.result is not None
    assert first.result.ratio is not None
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(report, language, Format.PDF))
    return (
        pdf,
        first.objective.title or first.objective.name,
        Locale.of(language).attainment(first.result.ratio, first.result.target),
    )


def _page_text(pdf: Path, page: int) -> str:
    """The text of one page, lines joined by spaces (a title may wrap in a table cell)."""
    raw = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", raw)


def _inked_share(pdf: Path, tmp_path: Path) -> float:
    """How far down page 1 its last non-white row of pixels lies, as a share of the page's height (footer left out)."""
    subprocess.run([PDFTOPPM, "-r", "30", "-f", "1", "-l", "1", "-gray", str(pdf), str(tmp_path / "p")], check=True)
    [image] = list(tmp_path.glob("p*.pgm"))
    raw = image.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", raw)
    assert header is not None
    width, height = int(header.group(1)), int(header.group(2))
    pixels = raw[header.end() :]
    body = int(height * 0.9)  # the page number sits in the bottom margin
    inked = [y for y in range(body) if min(pixels[y * width : (y + 1) * width]) < 200]
    return max(inked) / height


@pytest.mark.parametrize(
    ("template", "language", "summary", "daily"),
    [("cloud-uptime", "en", "Summary", "Daily attainment"), ("api-latency", "zh-CN", "概要", "每日达成率")],
)
def test_the_first_page_holds_the_summary_and_the_first_objective(
    tmp_path: Path, template: str, language: str, summary: str, daily: str
) -> None:
    """Page 1 has the summary with the first objective's attainment, then that objective's heading and daily chart."""
    pdf, title, attainment = _pdf(tmp_path, template, language)
    text = _page_text(pdf, 1)
    # The summary's table cells wrap and interleave in the text; the section heading does not.
    after_summary = text[text.index(summary) :]
    in_table = after_summary.index(attainment)
    heading = after_summary.index(title, in_table)
    assert daily in after_summary[heading:]
    assert _inked_share(pdf, tmp_path) > 0.7  # not a page left empty below the summary
