"""The contract document: golden Markdown, locale formatting, PDFs that render, and inert untrusted text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from attain.formats.bundle import load_agreement
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import LANGUAGES, TEMPLATES, template_text
from attain.model import Agreement
from attain.reports.contract import contract, render_contract
from attain.reports.document import Format, escape_markdown
from attain.reports.locale import Locale
from attain.reports.pdf import RefusingFetcher, html_to_pdf
from attain.reports.phrases import PHRASES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ATTAIN_UPDATE_GOLDEN") == "1"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils: run scripts/system-packages"
)

HOSTILE = (
    '<script>alert(1)</script>[click](javascript:alert(2)) ![x](file:///etc/passwd) <img src="file:///etc/passwd">'
)


def fixture(language: str) -> Agreement:
    """The golden agreement (a copy of the cloud-uptime template) in one language."""
    return load_agreement(GOLDEN / f"agreement.{language}.yaml")


def hostile_agreement(tmp_path: Path) -> Agreement:
    """The golden agreement with hostile text in every free-text field a document shows."""
    text = (GOLDEN / "agreement.en.yaml").read_text(encoding="utf-8")
    quoted = HOSTILE.replace('"', '\\"')
    text = text.replace("title: Cloud Platform Availability Service Level Agreement", f'title: "{quoted}"')
    text = text.replace("name: Nimbus Cloud GmbH", f'name: "{quoted}"')
    text = re.sub(r"title: Compute availability", f'title: "{quoted}"', text)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return load_agreement(path)


def check_golden(name: str, content: bytes) -> None:
    """Compare with a golden file exactly (ATTAIN_UPDATE_GOLDEN=1 rewrites it, for review by eye)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(content)
    assert content.decode() == path.read_text(encoding="utf-8")


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[bytes]:
    """Rasterise a PDF with pdftoppm at 30 dpi and return each page's PPM bytes."""
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "30", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob("page*.ppm"))]


def pixel_variance(ppm: bytes) -> float:
    """Variance of the pixel bytes of a binary PPM (P6): zero for a blank page."""
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    assert fields is not None
    pixels = ppm[fields.end() :]
    mean = sum(pixels) / len(pixels)
    return sum((b - mean) ** 2 for b in pixels[::7]) / len(pixels[::7])


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF, extracted with pdftotext."""
    (tmp_path / "text.pdf").write_bytes(pdf)
    done = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(tmp_path / "text.pdf"), "-"], check=True, capture_output=True
    )
    return done.stdout.decode()


def test_phrases_exist_in_both_languages() -> None:
    """Every fixed phrase has an English and a Chinese form with the same slots."""
    assert PHRASES["en"].keys() == PHRASES["zh-CN"].keys()
    for key, english in PHRASES["en"].items():
        slots = set(re.findall(r"{(\w+)}", english))
        assert slots == set(re.findall(r"{(\w+)}", PHRASES["zh-CN"][key])), key


def test_locale_formats_numbers_dates_and_durations() -> None:
    """Babel formats percentages, money, dates and durations for each language."""
    en, zh = Locale.of("en"), Locale.of("zh-CN")
    assert en.percent(Decimal("0.999")) == "99.9%"
    assert zh.percent(Decimal("0.99218750")) == "99.2188%"
    assert en.date(date(2027, 1, 1)) == "January 1, 2027"
    assert zh.date(date(2027, 1, 1)) == "2027年1月1日"
    assert en.duration(timedelta(hours=4, minutes=12)) == "4 hours, 12 minutes"
    assert zh.duration(timedelta(days=30)) == "30天"
    assert en.money(Decimal(850), "EUR") == "850.00 euros"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_contract_markdown_matches_golden(language: str) -> None:
    """The Markdown contract of the golden agreement is exactly the reviewed golden file."""
    check_golden(f"contract.{language}.md", render_contract(fixture(language), language, Format.MD))


def test_contract_states_the_allowance_and_tiers_computed_by_hand() -> None:
    """99.9% of a 31-day month allows 44.64 minutes; the 10% tier of an 8,500 EUR fee is 850.00 euros."""
    document = contract(fixture("en"), "en")
    compute = document.objectives[0]
    assert "Up to 44.64 minutes of downtime in a 31-day month." in compute.allows
    assert "Up to 40.32 minutes of downtime in a 28-day month." in compute.allows
    assert compute.tiers[0].range == "at least 99% and below 99.9%"
    assert compute.tiers[0].amount == "850.00 euros"
    assert document.approval.startswith("Approval state of version 1:")


def test_contract_in_chinese_uses_chinese_phrases_and_formats() -> None:
    """The Chinese contract writes its fixed phrases in Chinese and dates the Chinese way."""
    document = contract(fixture("zh-CN"), "zh-CN")
    assert document.effective == "本协议自2027年1月1日起生效，直至终止。"
    assert "在31 天的月份中，最多允许44.64分钟的停机时间。" in document.objectives[0].allows


@pytest.mark.parametrize(("name", "language"), [(n, lang) for n in TEMPLATES for lang in LANGUAGES])
def test_every_template_renders_as_a_contract(name: str, language: str) -> None:
    """Each template, in each language, renders as Markdown and HTML naming its title and every objective."""
    agreement = parse_agreement(read_text(template_text(name, language), f"{name}.yaml")[0])
    for fmt in (Format.MD, Format.HTML):
        text = render_contract(agreement, language, fmt).decode()
        assert escape_markdown(agreement.spec.title) in text or agreement.spec.title in text
        for objective in agreement.spec.objectives:
            assert objective.title is not None
            assert objective.title in text or escape_markdown(objective.title) in text


@pytest.mark.parametrize(
    ("language", "allows", "amount"),
    [
        ("en", "Up to 5% of valid events may be bad in each period (1 in every 20).", "2,500.00 Chinese yuan"),
        ("zh-CN", "每个周期内最多 5% 的有效事件可以不达标（即每 20 个中 1 个）。", "2,500.00人民币"),
    ],
)
def test_ai_customer_service_contract_states_allowance_and_amounts_by_hand(
    language: str, allows: str, amount: str
) -> None:
    """95% allows 1 late answer in 20; the 5% tier of a CNY 50,000.00 fee is 2,500.00, the 10% tier 5,000.00."""
    agreement = parse_agreement(read_text(template_text("ai-customer-service", language), "a.yaml")[0])
    document = contract(agreement, language)
    bot = document.objectives[0]
    assert allows in bot.allows
    assert [tier.amount for tier in bot.tiers] == [amount, amount.replace("2,500", "5,000")]


def test_markdown_escaping_neutralises_markup() -> None:
    """Markdown escaping turns tags into entities and link or image syntax into literal text."""
    escaped = str(escape_markdown(HOSTILE))
    assert "<script" not in escaped
    assert "&lt;script&gt;" in escaped
    assert "\\[click\\](javascript" in escaped
    assert not re.search(r"(?<!\\)!\\\[", escaped)
    assert "\\!\\[x\\]" in escaped


def test_hostile_text_is_inert_in_html_and_markdown(tmp_path: Path) -> None:
    """Script tags, javascript: links and file:// images in names come out as text, never as markup."""
    agreement = hostile_agreement(tmp_path)
    html = render_contract(agreement, "en", Format.HTML).decode()
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert 'href="javascript' not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = render_contract(agreement, "en", Format.MD).decode()
    assert "<script" not in markdown
    assert "<img" not in markdown
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
    assert not re.search(r"(?<!\\)!\[", markdown)


def test_pdf_fetcher_refuses_files_and_network() -> None:
    """The PDF URL fetcher refuses file://, https:// and javascript: URLs instead of fetching them."""
    fetcher = RefusingFetcher()
    html = '<img src="file:///etc/passwd"><img src="https://example.com/x.png"><a href="javascript:alert(1)">x</a>'
    pdf = html_to_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == ["file:///etc/passwd", "https://example.com/x.png"]


@needs_poppler
def test_hostile_text_is_inert_in_pdf(tmp_path: Path) -> None:
    """In the PDF, hostile text is printed as literal characters."""
    pdf = render_contract(hostile_agreement(tmp_path), "en", Format.PDF)
    text = pdf_text(pdf, tmp_path)
    assert "<script>alert(1)</script>" in text
    assert "file:///etc/passwd" in text


@needs_poppler
def test_chinese_contract_pdf_has_pages_with_chinese_text(tmp_path: Path) -> None:
    """The zh-CN contract PDF has 4 non-blank pages and its text holds the Chinese headings and numbers."""
    pdf = render_contract(fixture("zh-CN"), "zh-CN", Format.PDF)
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) == 4
    assert all(pixel_variance(page) > 50 for page in pages)
    text = pdf_text(pdf, tmp_path)
    for expected in ("一、引言", "二、服务水平", "三、补救措施", "六、签署", "2027年1月1日", "44.64分钟", "99.9%"):
        assert expected in text
