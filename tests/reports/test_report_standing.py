"""The report states cases at the report instant (counts, open cases at risk) and freshness gaps, in JSON and words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from attain.engine.case import CaseOutcome
from attain.engine.instant import US_PER_HOUR, to_us
from attain.formats.bundle import load_agreement
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.reports.document import Format
from attain.reports.locale import Locale
from attain.reports.period import PeriodReport, ReportSource, period_report
from attain.reports.period_view import render_report
from attain.reports.standing import case_lines
from attain.sources.files import read_measurements
from desk_support import BACKUPS, DESK, TICKETS

HOUR = US_PER_HOUR
NOON = to_us(datetime(2026, 11, 15, 12, tzinfo=UTC))
"""The report instant: 15 November 2026 12:00 UTC, with November still running."""


@pytest.fixture
def desk(tmp_path: Path) -> ReportSource:
    """The desk agreement (P1 goal 4 h; backups every 24 h) with its tickets and backups."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    (tmp_path / "data" / "backups.csv").write_text(BACKUPS, encoding="utf-8")
    (tmp_path / "desk.yaml").write_text(DESK, encoding="utf-8")
    agreement = load_agreement(tmp_path / "desk.yaml")
    return ReportSource(agreement, read_measurements(agreement, tmp_path / "data"))


def _json(report: PeriodReport) -> dict[str, Any]:
    return json.loads(render_report(report, "en", Format.JSON))


def test_a_running_period_is_reported_at_the_report_instant(desk: ReportSource) -> None:
    """At 12:00 t1 (due 13:00) is open and at risk, not breached as it would be at the month's end; t4 is breached."""
    data = _json(period_report(desk, "2026-11", at=NOON))
    assert data["at"] == "2026-11-15T12:00:00Z"
    response, backup = data["objectives"]
    assert backup["cases"] is None
    assert response["cases"]["counts"] == {"open": 1, "paused": 1, "met": 1, "breached": 1}
    [t1] = response["cases"]["atRisk"]
    # 09:00 → 12:00 = 180 of 240 min, 75%, due 13:00.
    assert (t1["case"], t1["state"], t1["elapsedMinutes"], t1["used"], t1["due"]) == (
        "t1",
        "open",
        "180",
        "0.75",
        "2026-11-15T13:00:00Z",
    )
    assert [c["case"] for c in response["consumed"]["breachedCases"]] == ["t4"]
    # The days stop at the report instant: 1 … 15 November.
    assert [d["day"] for d in response["days"]][-1] == "2026-11-15"


def test_at_the_period_end_every_open_case_has_breached(desk: ReportSource) -> None:
    """Reported at its end: t1 and t4 breached (running, never stopped), t2 still paused short of its goal, t3 met."""
    data = _json(period_report(desk, "2026-11"))
    assert data["at"] == "2026-12-01T00:00:00Z"
    response = data["objectives"][0]
    assert response["cases"]["counts"] == {"open": 0, "paused": 1, "met": 1, "breached": 2}
    assert response["cases"]["atRisk"] == []


def test_the_report_says_where_cases_and_gaps_stand(desk: ReportSource) -> None:
    """The Markdown report gives the counts, the case at risk, the longest gap and each gap over 24 h."""
    text = render_report(period_report(desk, "2026-11", at=NOON), "en", Format.MD).decode()
    assert "At Nov 15, 2026 12:00: 1 open, 1 paused, 1 met, 1 breached." in text
    assert "Case t1 (P1) is at risk: 3 hours of 4 hours used (75%); due Nov 15, 2026 13:00." in text
    # 4 Nov 00:00 → 14 Nov 12:00 = 10 days 12 hours, 9 days 12 hours over; 2 → 4 Nov = 2 days, 1 day over.
    assert (
        "Longest gap between qualifying events: 10 days, 12 hours, from Nov 4, 2026 00:00 to Nov 14, 2026 12:00."
    ) in text
    assert "Gap from Nov 2, 2026 00:00 to Nov 4, 2026 00:00 lasted 2 days; 1 day of it beyond the limit of 1 day." in (
        text
    )
    assert (
        "Gap from Nov 4, 2026 00:00 to Nov 14, 2026 12:00 lasted 10 days, 12 hours; "
        "9 days, 12 hours of it beyond the limit of 1 day."
    ) in text
    chinese = render_report(period_report(desk, "2026-11", at=NOON), "zh-CN", Format.MD).decode()
    assert "截至 2026年11月15日 12:00：进行中 1 个，暂停 1 个，达成 1 个，未达成 1 个。" in chinese


def test_the_last_gap_of_a_running_period_is_open_until_the_report_instant(desk: ReportSource) -> None:
    """Reported on 16 Nov 18:00, the last backup (14 Nov 12:00) is 54 h old: a gap still open, 30 h over."""
    data = _json(period_report(desk, "2026-11", at=to_us(datetime(2026, 11, 16, 18, tzinfo=UTC))))
    [result] = data["objectives"][1]["results"]
    last = result["gaps"]["over"][-1]
    assert (last["start"], last["end"], last["open"]) == ("2026-11-14T12:00:00Z", "2026-11-16T18:00:00Z", True)
    assert (last["minutes"], last["excessMinutes"]) == ("3240", "1800")  # 54 h, 30 h


def test_a_business_time_case_at_risk_is_written_in_business_terms() -> None:
    """On the support desk's office calendar (8 h days) a P3 with 6 of its 8 h used reads in business hours and days."""
    [document] = read_text(template_text("support-desk", "en"), "support-desk.yaml")
    agreement = parse_agreement(document)
    objective = next(o for o in agreement.objectives if o.name == "first-response")
    opened, due = to_us(datetime(2027, 3, 1, 1, tzinfo=UTC)), to_us(datetime(2027, 3, 2, 3, tzinfo=UTC))
    # 6 business hours used of 8 (75%): the 50% warning was reached, so the case is at risk.
    case = CaseOutcome(
        "SD-1", "P3", 8 * HOUR, opened, None, 6 * HOUR, due, None, None, ((Decimal("0.5"), opened + 4 * HOUR),)
    )
    at = to_us(datetime(2027, 3, 2, 1, tzinfo=UTC))
    lines = case_lines(Locale.of("en"), agreement, objective, (case,), at)
    # Instants in Asia/Shanghai (UTC+8): the report instant 2 Mar 09:00, due 2 Mar 11:00.
    assert lines == [
        "At Mar 2, 2027 09:00: 1 open, 0 paused, 0 met, 0 breached.",
        "Case SD-1 (P3) is at risk: 6 business hours of 1 business day (8 business hours) used (75%); "
        "due Mar 2, 2027 11:00.",
    ]


def test_a_report_shows_attainment_cut_beside_its_target_never_a_miss_as_met() -> None:
    """0.998999 against 99.9%: 99.89% (not 99.90%); 1 against 99.9%: 100.00%; 0.9921875 against 99.9%: 99.21%."""
    from decimal import Decimal  # noqa: PLC0415

    from attain.reports.locale import Locale  # noqa: PLC0415

    target = Decimal("0.999")
    for language in ("en", "zh-CN"):
        loc = Locale.of(language)
        assert loc.attainment(Decimal("0.998999"), target) == "99.89%"
        assert loc.attainment(Decimal(1), target) == "100.00%"
        assert loc.attainment(Decimal("0.9921875"), target) == "99.21%"
