"""The agreement page over time: the range picker and the data behind each chart, against the stored counts.

Expected values are summed directly from the store's per-minute buckets (`Store.buckets`), not
from the code that draws the charts. The demo store is viewed at 2026-11-27 10:00 UTC; api-latency
keeps its days in UTC, and its availability objective (99.9%, calendar month) has the SRE
workbook's alert tiers.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from attain.services.runtime import Runtime

from .conftest import FIXED

MINUTE = 60_000_000
HOUR = 60 * MINUTE


def _page(client: TestClient, tokens: dict[str, str], path: str, role: str = "viewer") -> str:
    response = client.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})
    assert response.status_code == 200
    return response.text


def _spec(page: str, chart: str) -> dict:
    """The Vega-Lite spec embedded for a chart id."""
    block = re.search(rf'<script type="application/json" id="{chart}-spec">(.*?)</script>', page, re.DOTALL)
    assert block is not None, f"no chart {chart}"
    return json.loads(block.group(1))


def _us(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()) * 1_000_000


def _counts(runtime: Runtime, objective: str, start: int, end: int) -> tuple[int, int]:
    """(good, valid) summed over the stored minutes of api-latency's objective in [start, end)."""
    buckets = runtime.store.buckets("api-latency", objective, start, end)
    return sum(b.good for b in buckets), sum(b.valid for b in buckets)


def test_custom_range_daily_attainment_is_each_days_good_over_valid(client, tokens, runtime):
    """Three days of one month picked: one point per UTC day (its day of the month), each its good ÷ valid."""
    page = _page(client, tokens, "/agreements/api-latency?range=custom&from=2026-11-10&to=2026-11-12")
    values = _spec(page, "chart-availability-daily")["layer"][0]["data"]["values"]
    expected = []
    for day in ("2026-11-10", "2026-11-11", "2026-11-12"):
        good, valid = _counts(runtime, "availability", _us(f"{day}T00:00"), _us(f"{day}T00:00") + 24 * HOUR)
        expected.append({"day": int(day[8:]), "value": float(Decimal(good) / Decimal(valid) * 100)})
    assert values == expected


def test_burn_rate_over_time_is_each_windows_error_ratio_over_the_budget(client, tokens, runtime):
    """Each hourly sample of the 1 h window is (bad ÷ valid) ÷ 0.1% over the hour before it; rules at the tiers' factors."""
    page = _page(client, tokens, "/agreements/api-latency?range=custom&from=2026-11-10&to=2026-11-12")
    spec = _spec(page, "chart-availability-rate")
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    hourly = [v for v in lines["data"]["values"] if v["window"] == "1 hour"]
    start = _us("2026-11-10T00:00")
    expected = []
    for hour in range(72 + 1):
        end = start + hour * HOUR
        good, valid = _counts(runtime, "availability", end - HOUR, end)
        if valid:
            rate = Decimal(valid - good) / Decimal(valid) / Decimal("0.001")
            stamp = datetime.fromtimestamp(end / 1e6, UTC).strftime("%Y-%m-%dT%H:%M:00Z")
            expected.append({"t": stamp, "window": "1 hour", "rate": float(rate)})
    assert [v["t"] for v in hourly] == [v["t"] for v in expected]
    assert [v["rate"] for v in hourly] == pytest.approx([v["rate"] for v in expected])
    assert {v["window"] for v in lines["data"]["values"]} == {"1 hour", "6 hours", "1 day", "3 days"}
    rules = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    # SRE workbook over a 30-day month: 2% in 1 h = 14.4, 5% in 6 h = 6, 10% in 1 d = 3, 10% in 3 d = 1.
    assert sorted(r["factor"] for r in rules["data"]["values"]) == [1, 3, 6, 14.4]


def test_current_burn_down_has_the_ideal_line_and_a_linear_projection(client, tokens):
    """November (30 days) so far: the ideal is 100 − 100·d/30, the projection L − (d − k)·(100 − L) ÷ k from day k."""
    page = _page(client, tokens, "/agreements/cloud-uptime")
    values = _spec(page, "chart-storage-availability-burn")["layer"][0]["data"]["values"]
    by_line: dict[str, list[tuple[int, float]]] = {}
    for v in values:
        by_line.setdefault(v["line"], []).append((v["day"], v["left"]))
    assert [d for d, _ in by_line["Even spend"]] == list(range(1, 31))
    assert [v for _, v in by_line["Even spend"]] == pytest.approx([100 - 100 * d / 30 for d in range(1, 31)])
    left = by_line["Budget left"]
    assert [d for d, _ in left] == list(range(1, 28))  # November 1 … 27, today included
    k, last = left[-1]
    per_day = (100 - last) / k
    assert [d for d, _ in by_line["Projection"]] == list(range(k, 31))
    expected = [max(0.0, last - (d - k) * per_day) for d in range(k, 31)]
    assert [v for _, v in by_line["Projection"]] == pytest.approx(expected)


def test_previous_period_shows_that_months_days(client, tokens, runtime):
    """October picked: 31 daily points, the last one October 31's stored good ÷ valid."""
    page = _page(client, tokens, "/agreements/api-latency?range=period&period=2026-10")
    values = _spec(page, "chart-availability-daily")["layer"][0]["data"]["values"]
    assert [v["day"] for v in values] == list(range(1, 32))
    good, valid = _counts(runtime, "availability", _us("2026-10-31T00:00"), _us("2026-11-01T00:00"))
    assert values[-1]["value"] == float(Decimal(good) / Decimal(valid) * 100)
    assert 'value="period" checked' in page
    assert '<option value="2026-10" selected>' in page


def test_last_90_days_spans_ninety_days(client, tokens):
    """Last 90 days: 90 daily points, August 30 … November 27, dated month-day."""
    page = _page(client, tokens, "/agreements/api-latency?range=90d")
    days = [v["day"] for v in _spec(page, "chart-availability-daily")["layer"][0]["data"]["values"]]
    assert len(days) == 90
    assert (days[0], days[-1]) == ("08-30", "11-27")


def test_rolling_window_budget_shows_the_window_days(client, tokens):
    """The rolling 28-day objective's charts show 28 days ending today, not the calendar month."""
    page = _page(client, tokens, "/agreements/api-latency")
    days = [v["day"] for v in _spec(page, "chart-latency-burn")["layer"][0]["data"]["values"]]
    assert (len(days), days[0], days[-1]) == (28, "10-31", "11-27")


@pytest.mark.parametrize(
    ("query", "english", "chinese"),
    [
        ("?range=custom&from=x&to=y", "Write both days as YYYY-MM-DD", "请以YYYY-MM-DD格式填写两个日期"),
        (
            "?range=custom&from=2026-11-12&to=2026-11-10",
            "A custom range runs from an earlier day",
            "自定义范围须从较早日期",
        ),
        ("?range=period&period=1999-01", "No report period 1999-01", "没有报告周期1999-01"),
    ],
)
def test_a_refused_range_says_why_and_shows_the_current_period(client, tokens, query, english, chinese):
    """A bad range is refused with the reason, in the page's language, and the current period is shown."""
    page = _page(client, tokens, f"/agreements/api-latency{query}")
    assert english in page
    assert len(_spec(page, "chart-availability-daily")["layer"][0]["data"]["values"]) == 27
    client.cookies.set("attain_lang", "zh-CN")
    assert chinese in _page(client, tokens, f"/agreements/api-latency{query}")


def test_bad_minutes_are_the_latest_stored_minutes_with_bad_events(client, tokens, runtime):
    """The page links the ten latest minutes of November with a bad request, newest first, with bad / valid."""
    page = _page(client, tokens, "/agreements/api-latency")
    section = page[page.index('id="objective-availability"') :]
    links = re.findall(
        r'<a href="(/agreements/api-latency/objectives/availability\?minute=[^"]+)">[^<]+</a>: (\d+) / (\d+)', section
    )
    buckets = runtime.store.buckets("api-latency", "availability", _us("2026-11-01T00:00"), FIXED)
    bad = [b for b in buckets if b.valid > b.good][::-1][:10]
    expected = [
        (
            "/agreements/api-latency/objectives/availability?minute="
            + datetime.fromtimestamp(b.minute / 1e6, UTC).strftime("%Y-%m-%dT%H:%M"),
            str(b.valid - b.good),
            str(b.valid),
        )
        for b in bad
    ]
    assert links == expected


def test_drill_down_counts_each_event_of_a_bad_minute(client, tokens, runtime):
    """The drill-down of a bad minute lists its events: as many counted bad as the stored minute has bad."""
    buckets = runtime.store.buckets("api-latency", "availability", _us("2026-11-01T00:00"), FIXED)
    worst = max(buckets, key=lambda b: (b.valid - b.good, b.minute))
    minute = datetime.fromtimestamp(worst.minute / 1e6, UTC).strftime("%Y-%m-%dT%H:%M")
    page = _page(client, tokens, f"/agreements/api-latency/objectives/availability?minute={minute}")
    events = page[page.index('id="drill-events"') :]
    verdicts = re.findall(r"<tr><td>[\d:.]+</td><td>[^<]*</td><td>(good|bad|not counted)</td>", events)
    assert verdicts.count("bad") == worst.valid - worst.good
    assert verdicts.count("good") == worst.good
    assert 'class="bad-minute" aria-current="true"' in page
    for row in re.findall(r"<td>bad</td><td><code>([^<]*)</code>", events):
        assert "status_class=5xx" in row or "status_class=timeout" in row


def test_drill_down_of_a_breached_case_lists_its_clock_events(client, tokens):
    """Each breached case links to its clock events."""
    page = _page(client, tokens, "/agreements/support-desk")
    link = re.search(r'<a href="(/agreements/support-desk/objectives/[^"?]+\?case=[^"]+)">', page)
    assert link is not None
    drilled = _page(client, tokens, link.group(1).replace("&amp;", "&"))
    assert 'id="drill-events"' in drilled
    assert drilled.count("<tr><td>") >= 2  # at least its start and its stop


def test_drill_down_is_scoped_like_the_agreement(client, tokens):
    """A customer cannot drill into another customer's agreement; an unknown objective is not found."""
    headers = {"Authorization": f"Bearer {tokens['customer']}"}
    assert client.get("/agreements/support-desk/objectives/first-response?case=1", headers=headers).status_code == 404
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    assert client.get("/agreements/api-latency/objectives/nothing", headers=headers).status_code == 404


def test_overview_summary_counts_the_rows_by_status(client, tokens):
    """The summary's counts are those of the overview's rows per status; the customer's only its own."""
    for role in ("viewer", "customer"):
        page = _page(client, tokens, "/", role)
        statuses = re.findall(r'<tr [^>]*data-status="([a-z_]+)"', page)
        summary = dict(re.findall(r'data-status="([a-z_]+)" data-count="(\d+)"', page))
        assert summary == {s: str(statuses.count(s)) for s in ("met", "at_risk", "breached", "no_data")}
    assert sum(int(c) for c in summary.values()) == 2  # the customer's two objectives of cloud-uptime
