"""A rolling objective's report: results, days and what consumed the budget all cover the same rolling window.

The agreement is in UTC and in force from 2027-01-01; the report is of February 2027, so its
calendar period is [2027-02-01, 2027-03-01) and the rolling 30-day window ending at its end is
[2027-01-30, 2027-03-01): 30 days of 1,440 minutes, 43,200 minutes.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.reports.document import Format
from attain.reports.period import PeriodReport, ReportSource, period_report
from attain.reports.period_view import render_report
from attain.sources.files import read_measurements
from attain.testing import agreement, agreement_model

INCIDENTS = """start,end
2027-01-20T10:00:00Z,2027-01-20T11:00:00Z
2027-01-29T23:50:00Z,2027-01-30T00:10:00Z
2027-01-30T10:00:00Z,2027-01-30T10:45:00Z
2027-02-10T00:00:00Z,2027-02-10T00:20:00Z
"""
"""60 minutes before the window; 10 minutes inside it (it straddles its start); 45 minutes in the
window before February; 20 minutes in February."""

TICKETS = """case,type,timestamp,priority
T1,created,2027-01-25T10:00:00Z,P1
T1,responded,2027-01-25T12:00:00Z,
T2,created,2027-01-31T08:00:00Z,P1
T2,responded,2027-01-31T10:00:00Z,
T3,created,2027-02-05T08:00:00Z,P1
T3,responded,2027-02-05T08:30:00Z,
T4,created,2027-02-12T08:00:00Z,P1
T4,responded,2027-02-12T11:00:00Z,
"""
"""Goal 1 hour: T1 breached at 01-25 11:00 (before the window), T2 breached at 01-31 09:00 (in the
window, before February), T3 met, T4 breached at 02-12 09:00."""


def _availability(name: str, window: object) -> dict[str, object]:
    return {
        "name": name,
        "indicator": {"kind": "availability", "from": "incidents", "events": "incidents"},
        "target": "99.9%",
        "window": window,
    }


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> PeriodReport:
    """The February 2027 report of a rolling and a calendar availability objective and a rolling case objective."""
    data = tmp_path_factory.mktemp("rolling")
    (data / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    (data / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    response = {
        "name": "response",
        "indicator": {
            "kind": "case",
            "events": "tickets",
            "clock": {"start": "created", "stop": "responded"},
            "priority": "priority",
            "goals": {"P1": "1h"},
        },
        "target": "90%",
        "window": {"rolling": "30d"},
    }
    document = agreement(
        objectives=[_availability("uptime", {"rolling": "30d"}), _availability("monthly", "month"), response],
        effective_from="2027-01-01",
    )
    model = agreement_model(document)
    return period_report(ReportSource(model, read_measurements(model, data)), "2027-02")


def _json(report: PeriodReport) -> dict[str, dict[str, object]]:
    data = json.loads(render_report(report, "en", Format.JSON))
    return {o["objective"]: o for o in data["objectives"]}


def test_the_listed_downtime_adds_up_to_the_rolling_budget_consumed(report: PeriodReport) -> None:
    """Rolling 30 days: 10 + 45 + 20 = 75 minutes listed and consumed of 0.1% × 43,200 = 43.2 allowed."""
    uptime = _json(report)["uptime"]
    [result] = uptime["results"]
    assert (result["start"], result["end"]) == ("2027-01-30T00:00:00Z", "2027-03-01T00:00:00Z")
    assert result["budget"] == {"unit": "minutes", "allowed": "43.2", "consumed": "75", "remaining": "-31.8"}
    consumed = uptime["consumed"]
    assert (consumed["start"], consumed["end"]) == ("2027-01-30T00:00:00Z", "2027-03-01T00:00:00Z")
    assert consumed["downtime"] == [
        {"start": "2027-01-30T00:00:00Z", "end": "2027-01-30T00:10:00Z", "minutes": "10"},
        {"start": "2027-01-30T10:00:00Z", "end": "2027-01-30T10:45:00Z", "minutes": "45"},
        {"start": "2027-02-10T00:00:00Z", "end": "2027-02-10T00:20:00Z", "minutes": "20"},
    ]
    assert sum(Decimal(d["minutes"]) for d in consumed["downtime"]) == Decimal(result["budget"]["consumed"])


def test_a_calendar_objective_keeps_its_calendar_period(report: PeriodReport) -> None:
    """The monthly objective lists February's 20 minutes, its budget consumed, of 0.1% × 40,320 = 40.32."""
    monthly = _json(report)["monthly"]
    [result] = monthly["results"]
    assert result["budget"]["consumed"] == "20"
    assert result["budget"]["allowed"] == "40.32"
    consumed = monthly["consumed"]
    assert (consumed["start"], consumed["end"]) == ("2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z")
    assert [d["minutes"] for d in consumed["downtime"]] == ["20"]
    assert [d["day"] for d in monthly["days"]] == [f"2027-02-{d:02d}" for d in range(1, 29)]


def test_the_listed_breached_cases_are_the_rolling_budget_consumed(report: PeriodReport) -> None:
    """Decided in the window: T2 breached, T3 met, T4 breached: 2 bad of 3, the 2 listed; T1 is before it."""
    response = _json(report)["response"]
    [result] = response["results"]
    assert (result["good"], result["valid"]) == ("1", "3")
    assert result["budget"]["consumed"] == "2"
    breached = response["consumed"]["breachedCases"]
    assert [(c["case"], c["breachedAt"]) for c in breached] == [
        ("T2", "2027-01-31T09:00:00Z"),
        ("T4", "2027-02-12T09:00:00Z"),
    ]
    assert len(breached) == Decimal(result["budget"]["consumed"])


def test_the_days_of_a_rolling_objective_are_its_window(report: PeriodReport) -> None:
    """30 days from January 30; after the last, 1 − 75 / 43.2 of the window's budget is left."""
    uptime = next(o for o in report.objectives if o.objective.name == "uptime")
    assert [d.day for d in uptime.days] == [date(2027, 1, 30) + timedelta(days=i) for i in range(30)]
    assert uptime.days[0].result.budget is not None
    assert uptime.days[0].result.budget.consumed == 55  # 10 + 45 minutes on January 30
    assert uptime.remaining[0] == 1 - Decimal(55) / Decimal("43.2")
    assert uptime.remaining[-1] == 1 - Decimal(75) / Decimal("43.2")
    data = _json(report)["uptime"]
    assert data["days"][0]["day"] == "2027-01-30"
    assert data["days"][-1]["day"] == "2027-02-28"


@pytest.mark.parametrize(
    ("language", "window", "down"),
    [
        ("en", "The rolling window from Jan 30, 2027 00:00 to Mar 1, 2027 00:00 (UTC)", "Downtime"),
        ("zh-CN", "滚动窗口自 2027年1月30日 00:00 至 2027年3月1日 00:00（UTC）", "停机"),
    ],
)
def test_the_written_report_names_the_window_and_lists_its_causes(
    report: PeriodReport, language: str, window: str, down: str
) -> None:
    """The Markdown report of the rolling objective says which window it covers and lists all three downtimes."""
    markdown = render_report(report, language, Format.MD).decode()
    section = markdown.split("\n## ")[2]  # the summary, then the rolling objective's section
    assert section.startswith("uptime")
    assert window in section
    assert section.count(f"| {down} |") == 3
    assert "| 01-30 |" in section
    assert "| 02-28 |" in section
    html = render_report(report, language, Format.HTML).decode()
    assert html.count(window) == 2  # the two rolling objectives share the window
    assert html.count(f"<tr><td>{down}</td>") == 4  # the rolling objective's three and the monthly's one


def test_the_rolling_objective_charts_its_window_days(report: PeriodReport) -> None:
    """Both charts of the rolling objective are drawn over the window's 30 days, 01-30 … 02-28, in order."""
    html = render_report(report, "en", Format.HTML).decode()
    section = html.split('<section class="objective">')[1]
    charts = re.findall(r"<svg.*?</svg>", section, flags=re.DOTALL)
    assert len(charts) == 2
    expected = [(date(2027, 1, 30) + timedelta(days=i)).strftime("%m-%d") for i in range(30)]
    for svg in charts:
        assert re.findall(r">(\d\d-\d\d)</text>", svg) == expected


@settings(max_examples=40, deadline=None)
@given(
    incidents=st.lists(st.tuples(st.integers(0, 89 * 1440), st.integers(1, 600)), max_size=6),
    days=st.sampled_from([1, 7, 28, 30, 45]),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "Asia/Shanghai"]),
    period=st.sampled_from(["2027-02", "2027-03"]),
)
def test_listed_downtime_always_adds_up_to_the_budget_consumed(
    incidents: list[tuple[int, int]], days: int, zone: str, period: str
) -> None:
    """Any incidents, window length, zone (Berlin's clocks change on 2027-03-28) and month: the listed minutes are the consumed minutes, all inside the stated window."""
    origin = datetime(2027, 1, 1, tzinfo=UTC)
    rows = ["start,end"]
    for start, length in incidents:
        begin = origin + timedelta(minutes=start)
        rows.append(f"{begin.isoformat()},{(begin + timedelta(minutes=length)).isoformat()}")
    model = agreement_model(
        agreement(
            objectives=[_availability("uptime", {"rolling": f"{days}d"})], effective_from="2027-01-01", time_zone=zone
        )
    )
    with tempfile.TemporaryDirectory() as data:
        (Path(data) / "incidents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        report = period_report(ReportSource(model, read_measurements(model, Path(data))), period)
    uptime = _json(report)["uptime"]
    [result] = uptime["results"]
    consumed = uptime["consumed"]
    assert (consumed["start"], consumed["end"]) == (result["measuredFrom"], result["end"])
    assert sum(Decimal(d["minutes"]) for d in consumed["downtime"]) == Decimal(result["budget"]["consumed"])
    assert all(consumed["start"] <= d["start"] < d["end"] <= consumed["end"] for d in consumed["downtime"])
    assert len(uptime["days"]) == days
