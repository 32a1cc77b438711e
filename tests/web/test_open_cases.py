"""The agreement page lists a case objective's open cases: elapsed business time, the warning reached, the due instant."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api_support import Api, make_api
from attain.formats.bundle import load_bundle_text
from attain.services.store import apply_bundle
from helpdesk_support import HELPDESK, TICKET_ROWS
from web.dashboard_support import sign_in, text_of


@pytest.fixture
def helpdesk(tmp_path: Path) -> Iterator[Api]:
    """The API and dashboard over a store holding the help desk and its tickets, signed in as the customer."""
    api = make_api(f"sqlite:///{tmp_path}/attain.db", tmp_path)
    apply_bundle(api.runtime.store, load_bundle_text(HELPDESK, "helpdesk.yaml"), api.runtime.now())
    rows = [{"case": c, "type": t, "timestamp": at} | ({"priority": p} if p else {}) for c, t, at, p in TICKET_ROWS]
    pushed = api.client.post(
        "/api/v1/agreements/helpdesk/cases",
        json={"stream": "tickets", "rows": rows},
        headers=api.as_("editor") | {"Idempotency-Key": "tickets-1"},
    )
    assert pushed.status_code == 201, pushed.text
    sign_in(api.client, api.tokens["customer"])
    yield api
    api.runtime.close()


def _open_cases(html: str) -> list[str]:
    """The open-cases table's rows as visible text, in order."""
    table = re.search(r'<table class="cases open-cases">(.*?)</table>', html, re.DOTALL)
    assert table is not None
    return [text_of(row) for row in re.findall(r"<tr data-case=.*?</tr>", table.group(1), re.DOTALL)]


def test_the_page_lists_open_cases_nearest_due_first_in_english(helpdesk: Api) -> None:
    """Running and paused cases, nearest due first (b1 overdue since Thursday; p1 paused, no due, last); r1 met is not listed."""
    html = helpdesk.client.get("/agreements/helpdesk", headers={"Accept-Language": "en"}).text
    assert "Open cases, nearest due first" in html
    assert _open_cases(html) == [
        "b1 P1 Breached 21 business hours 6 business hours 350% — Nov 12, 2026 10:00",
        "w3 P1 Open, at risk 5 business hours 15 min 6 business hours 87.5% 75% Nov 16, 2026 09:45",
        "w2 P2 Open, at risk 7 business hours 30 min 12 business hours 62.5% 50% Nov 16, 2026 13:30",
        "s1 P1 Open 0 business minutes 6 business hours 0% — Nov 16, 2026 15:00",
        "p1 P2 Paused 3 business hours 12 business hours 25% — —",
    ]


def test_the_page_lists_open_cases_in_chinese(helpdesk: Api) -> None:
    """The same rows in Chinese: business hours as 工作小时, states and headings translated."""
    html = helpdesk.client.get("/agreements/helpdesk", headers={"Accept-Language": "zh-CN"}).text
    assert "未结工单（按到期时间排序）" in html
    assert _open_cases(html) == [
        "b1 P1 已违约 21个工作小时 6个工作小时 350% — 2026年11月12日 10:00",
        "w3 P1 处理中（有风险） 5个工作小时15分钟 6个工作小时 87.5% 75% 2026年11月16日 09:45",
        "w2 P2 处理中（有风险） 7个工作小时30分钟 12个工作小时 62.5% 50% 2026年11月16日 13:30",
        "s1 P1 处理中 0个工作分钟 6个工作小时 0% — 2026年11月16日 15:00",
        "p1 P2 已暂停 3个工作小时 12个工作小时 25% — —",
    ]
