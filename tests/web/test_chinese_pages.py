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
