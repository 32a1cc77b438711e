"""The overview, the agreement page and the downloads, in process over the demo store."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from attain.web.render import CONTENT_SECURITY_POLICY, json_block
from web.dashboard_support import sign_in, text_of

from .conftest import DEMO_AGREEMENTS

ROW = re.compile(r'<tr data-agreement="([^"]+)" data-objective="([^"]+)"[^>]*>(.*?)</tr>', re.DOTALL)


def rows(html: str) -> list[tuple[str, str, str]]:
    """The overview's rows as (agreement, objective, visible text)."""
    return [(a, o, text_of(body)) for a, o, body in ROW.findall(html)]


def test_a_signed_out_viewer_is_sent_to_the_login_page(client: TestClient) -> None:
    """A page asked for without a token redirects to /login with the path to come back to."""
    response = client.get("/agreements/cloud-uptime", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fagreements%2Fcloud-uptime"


def test_the_overview_lists_every_objective_of_every_demo_agreement(client: TestClient, tokens: dict[str, str]) -> None:
    """An admin sees the five demo agreements with their ten objectives, and who is signed in."""
    sign_in(client, tokens["admin"])
    page = client.get("/")
    assert page.status_code == 200
    found = rows(page.text)
    assert sorted({a for a, _, _ in found}) == DEMO_AGREEMENTS
    assert len(found) == 10
    assert "Agreements: 5 · objectives: 10" in text_of(page.text)
    assert re.search(r"Signed in with token #\d+ as administrator", text_of(page.text))


def test_the_overview_shows_attainment_budget_and_credits_as_computed_by_hand(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """cloud-uptime's compute objective: 18 min down of 38,100 measured, 43.2 allowed; no credit in an objective's row."""
    sign_in(client, tokens["viewer"])
    found = {(a, o): text for a, o, text in rows(client.get("/").text)}
    compute = found["cloud-uptime", "compute-availability"]
    # Nov 1 00:00 Berlin (Oct 31 23:00 UTC) to Nov 27 10:00 UTC is 38,100 minutes: 1 - 18/38,100 = 99.95276%,
    # shown against 99.9% with its one place plus one, cut: 99.95%.
    assert "Met 99.95% 99.9%" in compute
    # 0.1% of the 43,200-minute month allows 43.2 minutes; 1 - 18/43.2 = 58.3333% left.
    assert "58.3333%" in compute
    assert "2026-11 (open)" in compute
    assert "€" not in compute  # the credit is the agreement's, per period: a line of its own
    # support-desk first response: 105 of 110 cases met = 95.4545% against 95%: one place, cut: 95.4%;
    # 5% of 110 allows 5.5, 5 used, 0.5/5.5 left.
    first = found["support-desk", "first-response"]
    assert "95.4% 95%" in first
    assert "9.0909%" in first


CREDIT = re.compile(r'<tr data-agreement="([^"]+)" data-period="([^"]+)">(.*?)</tr>', re.DOTALL)

CREDITS_EN = [
    # 2% of the 420,000 GBP fee; 10% of 5,000 USD; 50% of 6,200 SGD (twice); 10% of 8,500 EUR;
    # support-desk: the tiers of first response and resolution summed to 30% of 36,000 CNY.
    "ambulance-response Northshire Integrated Care Board 2026-10 2% £8,400.00 Response within 15 minutes",
    "api-latency Harbor Marketplace Inc. 2026-10 10% US$500.00 Successful requests",
    "cloud-backup Orchid Logistics Pte. Ltd. 2026-08 50% SGD3,100.00 A successful backup at least every 24 hours",
    "cloud-backup Orchid Logistics Pte. Ltd. 2026-10 50% SGD3,100.00 "
    "A successful backup at least every 24 hours, Restore started within 4 hours",
    "cloud-uptime Example Retail AG 2026-10 10% €850.00 Compute availability",
    "support-desk Golden Lotus Trading Co., Ltd. 2026-10 30% CN¥10,800.00 "
    "First response by priority, Resolution by priority",
]
"""The overview's credit lines of the demo: one per agreement and period, with the objectives behind it."""


def test_the_overview_shows_one_credit_line_per_agreement_and_period(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Each credit appears once, with its amount in the fee's currency (US$ for dollars) and its triggering objectives."""
    sign_in(client, tokens["admin"])
    page = client.get("/", headers={"Accept-Language": "en"}).text
    assert [text_of(body) for _, _, body in CREDIT.findall(page)] == CREDITS_EN
    assert "Credits owed" in text_of(page)


def test_the_overview_s_credit_lines_in_chinese_use_chinese_symbols_and_lists(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """In zh-CN the yuan is ¥ (not CN¥), the dollar US$, and the objectives are joined with 、."""
    sign_in(client, tokens["admin"])
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    chinese = [text_of(body) for _, _, body in CREDIT.findall(page)]
    assert chinese[1] == "api-latency Harbor Marketplace Inc. 2026-10 10% US$500.00 Successful requests"
    assert chinese[5] == (
        "support-desk Golden Lotus Trading Co., Ltd. 2026-10 30% ¥10,800.00 "
        "First response by priority、Resolution by priority"
    )
    assert "应付服务抵扣" in text_of(page)
    found = {(a, o): text for a, o, text in rows(page)}
    assert "99.95% 99.9%" in found["cloud-uptime", "compute-availability"]


def test_the_credit_lines_follow_the_filters(client: TestClient, tokens: dict[str, str]) -> None:
    """Filtered to one customer, only that customer's credits are listed; a customer sees only its own."""
    sign_in(client, tokens["admin"])
    page = client.get("/", params={"customer": "Orchid Logistics Pte. Ltd."}).text
    assert [(a, p) for a, p, _ in CREDIT.findall(page)] == [("cloud-backup", "2026-08"), ("cloud-backup", "2026-10")]
    sign_in(client, tokens["customer"])
    assert [text_of(b) for _, _, b in CREDIT.findall(client.get("/").text)] == [CREDITS_EN[4]]


def test_a_budget_bar_is_drawn_with_its_value_in_text(client: TestClient, tokens: dict[str, str]) -> None:
    """The budget left is a CSS bar (clamped to 0–100%) with the value beside it, also for screen readers."""
    sign_in(client, tokens["admin"])
    page = client.get("/", params={"customer": "Example Retail AG", "sort": "objective"}).text
    assert 'aria-label="Budget left: 58.3333%"><span class="fill" style="width: 58%">' in page
    assert (
        'class="bar bar-out" role="img" aria-label="Budget left: -39.3904%"><span class="fill" style="width: 0%">'
        in page
    )


def test_filters_by_status_customer_and_service(client: TestClient, tokens: dict[str, str]) -> None:
    """Each filter keeps only the rows that match it; together they intersect."""
    sign_in(client, tokens["admin"])

    def shown(**params: str) -> list[tuple[str, str]]:
        return [(a, o) for a, o, _ in rows(client.get("/", params=params).text)]

    assert shown(status="breached") == [
        ("cloud-backup", "backup-freshness"),
        ("cloud-uptime", "storage-availability"),
    ]
    assert shown(customer="Harbor Marketplace Inc.") == [("api-latency", "availability"), ("api-latency", "latency")]
    assert shown(service="restore") == [("cloud-backup", "restore-start")]
    assert shown(service="compute", status="breached") == []
    assert "No agreement matches." in client.get("/", params={"status": "no_data"}).text


def test_sorting_by_budget_puts_rows_without_a_budget_last(client: TestClient, tokens: dict[str, str]) -> None:
    """?sort=budget orders by the share of budget left, ascending, and -budget descending; no budget goes last."""
    sign_in(client, tokens["admin"])
    ascending = [(a, o) for a, o, _ in rows(client.get("/", params={"sort": "budget"}).text)]
    with_budget = [
        ("cloud-uptime", "storage-availability"),  # -39.3904%
        ("support-desk", "resolution"),  # -5.2632%
        ("support-desk", "first-response"),  # 9.0909%
        ("api-latency", "availability"),  # 53.6669%
        ("api-latency", "latency"),  # 54.7977%
        ("ambulance-response", "response-within-15-minutes"),  # 57.3071%
        ("cloud-uptime", "compute-availability"),  # 58.3333%
        ("cloud-backup", "restore-start"),  # 100%
    ]
    without = [("ambulance-response", "mean-response"), ("cloud-backup", "backup-freshness")]
    assert ascending == with_budget + without
    descending = [(a, o) for a, o, _ in rows(client.get("/", params={"sort": "-budget"}).text)]
    assert descending == with_budget[::-1] + without


def test_a_customer_sees_only_its_own_agreement(client: TestClient, tokens: dict[str, str]) -> None:
    """A customer's overview holds only its agreement's rows; other customers appear nowhere, not even in filters."""
    sign_in(client, tokens["customer"])
    page = client.get("/")
    assert {a for a, _, _ in rows(page.text)} == {"cloud-uptime"}
    assert "Golden Lotus" not in page.text
    assert "support-desk" not in page.text
    assert "as customer of Example Retail AG" in text_of(page.text)
    assert rows(client.get("/", params={"customer": "Golden Lotus Trading Co., Ltd."}).text) == []


def test_a_foreign_agreement_answers_404_like_an_unknown_one(client: TestClient, tokens: dict[str, str]) -> None:
    """A customer asking for another customer's agreement, contract or report gets the same 404 as for no agreement."""
    sign_in(client, tokens["customer"])
    assert client.get("/agreements/cloud-uptime").status_code == 200
    foreign = client.get("/agreements/support-desk")
    unknown = client.get("/agreements/no-such-agreement")
    assert foreign.status_code == unknown.status_code == 404
    assert "There is no agreement named support-desk." in text_of(foreign.text)
    assert client.get("/agreements/support-desk/contract").status_code == 404
    assert client.get("/agreements/support-desk/reports/2026-10", params={"format": "json"}).status_code == 404


def test_the_agreement_page_embeds_the_report_chart_specs(client: TestClient, tokens: dict[str, str]) -> None:
    """The daily attainment chart is the report's Vega-Lite spec: one point per day so far and the target rule."""
    sign_in(client, tokens["admin"])
    page = client.get("/agreements/cloud-uptime").text
    block = re.search(
        r'<script type="application/json" id="chart-compute-availability-daily-spec">(.*?)</script>', page
    )
    assert block is not None
    spec = json.loads(block.group(1))
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    line, rule = spec["layer"]
    assert [v["day"] for v in line["data"]["values"]] == list(range(1, 28))  # Nov 1 to Nov 27 (10:00)
    assert rule["data"]["values"] == [{"target": 99.9}]
    assert 'id="chart-storage-availability-burn-spec"' in page
    assert (
        '<div class="chart" id="chart-compute-availability-daily" data-spec="chart-compute-availability-daily-spec"'
        in page
    )
    assert '<script src="/static/dashboard.js" defer></script>' in page


def test_the_agreement_page_lists_burn_rates_incidents_credits_and_documents(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Burn rates, downtime this period, the credit owed for October and links to the documents are on the page."""
    sign_in(client, tokens["admin"])
    page = client.get("/agreements/cloud-uptime").text
    text = text_of(page)
    assert "Burn rate (last hour)" in text
    assert "Incidents and downtime this period" in text
    assert "2026-10 10% €850.00 Compute availability" in text  # 10% of the 8,500 EUR monthly fee
    assert 'href="/agreements/cloud-uptime/contract?format=pdf&amp;lang=zh-CN"' in page
    assert 'href="/agreements/cloud-uptime/reports/2026-10?format=html&amp;lang=en"' in page
    assert "Breached cases this period" in text_of(client.get("/agreements/support-desk").text)


def test_documents_download_with_the_login_cookie(client: TestClient, tokens: dict[str, str]) -> None:
    """The contract and a report download through the page routes, inline, under a policy that runs nothing."""
    sign_in(client, tokens["customer"])
    report = client.get("/agreements/cloud-uptime/reports/2026-10", params={"format": "json"})
    assert report.status_code == 200
    assert report.json()["agreement"] == "cloud-uptime"
    assert report.headers["content-disposition"] == 'inline; filename="cloud-uptime-2026-10.json"'
    contract = client.get("/agreements/cloud-uptime/contract", params={"lang": "zh-CN"})
    assert contract.headers["content-type"] == "text/html; charset=utf-8"
    assert "服务水平协议" in contract.text
    assert contract.headers["content-security-policy"] == "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def test_every_page_carries_the_content_security_policy(client: TestClient, tokens: dict[str, str]) -> None:
    """The login form, the overview, an agreement and the 404 page all send the policy: scripts from self only."""
    assert client.get("/login").headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    sign_in(client, tokens["customer"])
    for path in ("/", "/agreements/cloud-uptime", "/agreements/support-desk"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "<script>" not in response.text
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
    )


def test_the_assets_are_served_from_the_package(client: TestClient) -> None:
    """vega, vega-lite, vega-embed and the dashboard's script and stylesheet are served under /static."""
    for name in ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "dashboard.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]
    assert client.get("/static/dashboard.css").headers["content-type"].startswith("text/css")


def test_a_spec_cannot_close_its_script_block() -> None:
    """Text that would end the JSON block or start markup is escaped, and the JSON still reads back the same."""
    value = {"title": "</script><script>alert(1)</script> & \u2028"}
    block = str(json_block(value))
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    assert json.loads(block) == value
