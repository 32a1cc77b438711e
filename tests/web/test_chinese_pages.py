"""The dashboard's Chinese pages: every unit, label and alert severity in Chinese, business time in business terms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from attain.reports.locale import Locale
from attain.services.runtime import Runtime
from attain.web.agreement import budget_amount
from attain.web.language import Words
from attain.web.overview import severity_text
from web.dashboard_support import sign_in, text_of

from .conftest import DEMO_AGREEMENTS

ZH = {"Accept-Language": "zh-CN"}
ENGLISH = re.compile(
    r"\b(?:minutes?|hours?|days?|weeks?|months?|seconds?|events?|cases?|slices?|page|ticket|business)\b",
    re.IGNORECASE,
)
"""English units and alert severities that must not appear on a Chinese page."""


def test_the_built_in_severities_and_budget_units_are_translated() -> None:
    """`page` and `ticket` are Chinese labels, other severities stay as written; 1.5 minutes is 1.5分钟."""
    chinese, english = Words.of(Locale.of("zh-CN").language), Words.of(Locale.of("en").language)
    assert severity_text(chinese, "page") == "紧急告警（呼叫值班）"
    assert severity_text(chinese, "ticket") == "一般告警（创建工单）"
    assert severity_text(chinese, "sms-oncall") == "sms-oncall"
    assert severity_text(english, "page") == "page"
    assert budget_amount(chinese, Decimal("1.5"), "minutes") == "1.5分钟"
    assert budget_amount(chinese, Decimal(0), "events") == "0个事件"
    assert budget_amount(english, Decimal(0), "minutes") == "0 minutes"
    assert budget_amount(chinese, Decimal(2), "widgets") == "2 widgets"


def without_prose(text: str, runtime: Runtime) -> str:
    """A page's text without the demo agreements' own titles, which are English prose written by their authors."""
    for name in DEMO_AGREEMENTS:
        spec = runtime.status(name).agreement.spec
        for title in [spec.title, *(o.title or "" for o in spec.objectives)]:
            text = text.replace(title, " ") if title else text
    return text


def test_the_chinese_overview_has_no_english_unit_or_severity(
    client: TestClient, tokens: dict[str, str], runtime: Runtime
) -> None:
    """The overview in Chinese names alerts and units in Chinese."""
    sign_in(client, tokens["admin"])
    assert ENGLISH.findall(without_prose(text_of(client.get("/", headers=ZH).text), runtime)) == []


@pytest.mark.parametrize("name", DEMO_AGREEMENTS)
def test_a_chinese_agreement_page_has_no_english_unit_or_severity(
    client: TestClient, tokens: dict[str, str], runtime: Runtime, name: str
) -> None:
    """Burn rates, budget per hour, alerts and cases of every demo agreement read in Chinese."""
    sign_in(client, tokens["admin"])
    text = without_prose(text_of(client.get(f"/agreements/{name}", headers=ZH).text), runtime)
    assert ENGLISH.findall(text) == []


def test_breached_support_cases_show_business_time(client: TestClient, tokens: dict[str, str]) -> None:
    """The support desk's goals run on an 8-hour business day: its breached cases name business hours or days."""
    sign_in(client, tokens["admin"])
    chinese = text_of(client.get("/agreements/support-desk", headers=ZH).text)
    english = text_of(client.get("/agreements/support-desk", headers={"Accept-Language": "en"}).text)
    assert "工作小时" in chinese
    assert "business hour" in english
    assert not re.search(r"\d+天\d+小时", chinese)


@pytest.mark.parametrize("name", DEMO_AGREEMENTS)
def test_a_chinese_period_report_has_no_english_unit_or_raw_objective_name(
    client: TestClient, tokens: dict[str, str], runtime: Runtime, name: str
) -> None:
    """The October report in Chinese writes units in Chinese and names objectives by their titles."""
    sign_in(client, tokens["admin"])
    page = client.get(f"/agreements/{name}/reports/2026-10", params={"format": "html", "lang": "zh-CN"})
    text = without_prose(text_of(re.sub(r"<style\b.*?</style>", " ", page.text, flags=re.DOTALL)), runtime)
    assert ENGLISH.findall(text) == []
    objectives = runtime.status(name).agreement.spec.objectives
    assert [o.name for o in objectives if re.search(rf"(?<![\w-]){re.escape(o.name)}(?![\w-])", text)] == []


def test_a_statistic_is_reported_as_a_measured_value_with_its_unit(client: TestClient, tokens: dict[str, str]) -> None:
    """The mean response time is a measured value in seconds (实测值：…秒), not an attainment without a unit."""
    sign_in(client, tokens["admin"])
    page = client.get("/agreements/ambulance-response/reports/2026-10", params={"format": "html", "lang": "zh-CN"})
    assert re.search(r"实测值：<strong>[\d,.]+秒</strong>", page.text)


def test_breached_cases_in_the_report_are_in_business_time(client: TestClient, tokens: dict[str, str]) -> None:
    """The support desk's October report gives elapsed times and goals in business hours and days."""
    sign_in(client, tokens["admin"])
    page = client.get("/agreements/support-desk/reports/2026-10", params={"format": "html", "lang": "zh-CN"})
    text = text_of(page.text)
    assert re.search(r"用时\d+个工作小时(\d+分钟)?，时限为1个工作日（8个工作小时）", text)
    assert not re.search(r"\d+天\d+小时", text)
