"""Objectives counted only in service hours (`serviceHours`): availability time and events, exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.availability import downtime
from attain.engine.business_time import BusinessClock
from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, US_PER_SECOND, to_us
from attain.engine.measurement import Event, EventTable, Incident, Measurements
from attain.engine.result import Status
from attain.engine.service_hours import inside, minute_mask
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import Agreement, AvailabilityIndicator
from attain.model.calendar import BusinessCalendar

M = US_PER_MINUTE
SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["08:00-18:00"]}, "holidays": {"country": "CN"}}


def shanghai(*parts: int) -> int:
    """An instant from Asia/Shanghai wall-clock parts."""
    return to_us(datetime(*parts, tzinfo=SHANGHAI))  # type: ignore[misc]


def agreement(objective: dict[str, Any], calendar: dict[str, Any] = OFFICE, zone: str = "Asia/Shanghai") -> Agreement:
    """An agreement with one objective and the business calendar `office`."""
    document = {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": "desk"},
        "spec": {
            "title": "Desk",
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
            "purpose": "x",
            "timeZone": zone,
            "effective": {"from": "2024-01-01"},
            "calendars": {"office": calendar},
            "objectives": [objective],
        },
    }
    return Agreement.model_validate(document, by_alias=True, by_name=False)


AVAILABILITY = {
    "name": "uptime",
    "indicator": {"kind": "availability", "from": "incidents"},
    "target": "99.5%",
    "window": {"calendar": "week"},
    "serviceHours": "office",
}


def test_availability_over_a_week_with_overnight_outages_across_a_holiday() -> None:
    """The week of Mon 2024-09-16 in Shanghai: Mon 16 (day off) and Tue 17 (Mid-Autumn) are CN holidays.

    Service time: Wed, Thu, Fri × 10 h = 30 h = 1,800 min. Outages:
    - Tue 17:00 → Wed 09:00: Tuesday is a holiday (0), Wed 08:00–09:00 = 60 min;
    - Thu 17:00 → Fri 09:00: Thu 17:00–18:00 = 60 min, Fri 08:00–09:00 = 60 min;
    - Mon 10:00–11:00 (holiday) and Sat 10:00–12:00 (weekend): 0.
    Downtime 180 min; uptime (1,800 − 180) / 1,800 = 0.9; the budget 0.5% × 1,800 = 9 min, 180
    consumed, −171 remaining; breached. Counted in all hours it would be 32 h + 3 h of 168 h.
    """
    incidents = [
        Incident(shanghai(2024, 9, 17, 17), shanghai(2024, 9, 18, 9)),
        Incident(shanghai(2024, 9, 19, 17), shanghai(2024, 9, 20, 9)),
        Incident(shanghai(2024, 9, 16, 10), shanghai(2024, 9, 16, 11)),
        Incident(shanghai(2024, 9, 21, 10), shanghai(2024, 9, 21, 12)),
    ]
    at = shanghai(2024, 9, 23)
    found = evaluate(
        agreement(AVAILABILITY), Measurements(incidents={"incidents": incidents}), at, shanghai(2024, 9, 16)
    )
    week = found.objectives[0].periods[-1]
    assert week.ratio == Decimal("0.9")
    assert week.status is Status.BREACHED
    assert week.detail["downtime_minutes"] == Decimal(180)
    assert week.budget is not None
    assert (week.budget.allowed, week.budget.consumed, week.budget.remaining) == (
        Decimal(9),
        Decimal(180),
        Decimal(-171),
    )


def test_semantics_states_the_worked_week() -> None:
    """docs/semantics.md gives the same week: 1,800 service minutes, 180 down, 0.9, 9 allowed."""
    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "semantics.md").read_text().split())
    for phrase in ("3 × 10 h = **1,800 min**", "downtime **180 min**", "(1,800 − 180) / 1,800 = **0.9**"):
        assert phrase in text
    assert "0.005 × 1,800 = 9 min, consumed 180, remaining −171" in text


def test_downtime_outside_service_hours_costs_nothing() -> None:
    """An outage on Saturday alone leaves the week at 100%: (1,800 − 0) / 1,800."""
    incidents = [Incident(shanghai(2024, 9, 21, 0), shanghai(2024, 9, 22, 23))]
    at = shanghai(2024, 9, 23)
    found = evaluate(
        agreement(AVAILABILITY), Measurements(incidents={"incidents": incidents}), at, shanghai(2024, 9, 16)
    )
    week = found.objectives[0].periods[-1]
    assert (week.ratio, week.status) == (Decimal(1), Status.MET)


def test_events_count_from_opening_inclusive_to_closing_exclusive() -> None:
    """Wed 2024-09-18: events at 07:59:59, 08:00:00 (in), 17:59:59.999999 (in), 18:00:00; Tue 17th is a holiday.

    Valid: the two inside; good: the one at 08:00 (ok) → 1 / 2 = 50%.
    """
    objective = {
        "name": "answers",
        "indicator": {"kind": "ratio", "events": "calls", "good": {"where": {"ok": True}}},
        "target": "90%",
        "window": {"calendar": "day"},
        "serviceHours": "office",
    }
    stamps = [
        (shanghai(2024, 9, 18, 7, 59, 59), False),
        (shanghai(2024, 9, 18, 8), True),
        (shanghai(2024, 9, 18, 18) - 1, False),
        (shanghai(2024, 9, 18, 18), True),
        (shanghai(2024, 9, 17, 10), True),  # Mid-Autumn Festival: closed
    ]
    events = EventTable.from_events([Event(at, None, {"ok": ok}) for at, ok in stamps])
    found = evaluate(
        agreement(objective), Measurements(events={"calls": events}), shanghai(2024, 9, 19), shanghai(2024, 9, 17)
    )
    holiday, wednesday = found.objectives[0].periods
    assert (holiday.valid, holiday.status) == (Decimal(0), Status.NO_DATA)
    assert (wednesday.good, wednesday.valid, wednesday.ratio) == (Decimal(1), Decimal(2), Decimal("0.5"))


def test_statistic_counts_only_values_in_service_hours() -> None:
    """A p100 (maximum) of wait times on Wed 2024-09-18 ignores the 900 s wait at 18:00 and takes 120 s."""
    objective = {
        "name": "wait",
        "indicator": {
            "kind": "statistic",
            "events": "calls",
            "value": "wait_s",
            "statistic": "max",
            "op": "le",
            "bound": 300,
        },
        "window": {"calendar": "day"},
        "serviceHours": "office",
    }
    events = EventTable.from_events(
        [Event(shanghai(2024, 9, 18, 9), Decimal(120)), Event(shanghai(2024, 9, 18, 18), Decimal(900))]
    )
    found = evaluate(
        agreement(objective), Measurements(events={"calls": events}), shanghai(2024, 9, 19), shanghai(2024, 9, 18)
    )
    day = found.objectives[0].periods[-1]
    assert (day.statistic, day.valid, day.status) == (Decimal(120), Decimal(1), Status.MET)


def test_spring_forward_in_berlin_has_three_service_hours() -> None:
    """Europe/Berlin, Sun 2024-03-31, hours 01:00–05:00: 01:00 CET = 00:00 UTC to 05:00 CEST = 03:00 UTC, 3 h.

    An outage 01:30 CET → 03:30 CEST (00:30 → 01:30 UTC) is 60 real minutes: uptime (180 − 60) / 180 = 2/3,
    rounded down to 28 digits.
    """
    calendar = {"timeZone": "Europe/Berlin", "hours": {"mon-sun": ["01:00-05:00"]}}
    objective = {**AVAILABILITY, "window": {"calendar": "day"}}
    utc = lambda *p: to_us(datetime(*p, tzinfo=UTC))  # noqa: E731
    incidents = [Incident(utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30))]
    deal = agreement(objective, calendar, zone="Europe/Berlin")
    found = evaluate(deal, Measurements(incidents={"incidents": incidents}), utc(2024, 3, 31, 22), utc(2024, 3, 30, 23))
    day = found.objectives[0].periods[-1]
    assert day.ratio == Decimal("0.6666666666666666666666666666")
    assert day.detail["downtime_minutes"] == Decimal(60)
    assert day.budget is not None
    assert day.budget.allowed == Decimal("0.9")  # 0.5% × 180 min


def test_burn_rate_alerts_see_only_service_time() -> None:
    """A Saturday-long outage never fires an alert; a Wednesday outage from 09:00 pages at 09:01.

    Weekly window: nominal period 168 h. Page 6h/30m spends 5%: factor 0.05 × 168 / 6 = 1.4, threshold
    1.4 × 0.5% = 0.7%. At minute end 09:0k the 6 h window holds only the service minutes 08:00–09:0k
    (60 + k), k of them down: 1 / 61 = 1.6% > 0.7%, and the 30 m window 1 / 30: fires at 09:01 (in all
    hours the 6 h window would hold 360 minutes and need 3 down: 09:03). Page 1h/5m spends 2%: factor
    3.36, threshold 1.68%; 1 / 60 = 1.67% is not above it, 2 / 60 is: 09:02.
    """
    alerting = {**AVAILABILITY, "alerting": {"preset": "sre-workbook"}}
    deal = agreement(alerting)
    saturday = [Incident(shanghai(2024, 9, 21, 0), shanghai(2024, 9, 21, 23))]
    found = evaluate(
        deal, Measurements(incidents={"incidents": saturday}), shanghai(2024, 9, 22), shanghai(2024, 9, 16)
    )
    assert all(not a.intervals for a in found.objectives[0].alerts)
    wednesday = [Incident(shanghai(2024, 9, 18, 9), shanghai(2024, 9, 18, 10))]
    found = evaluate(
        deal, Measurements(incidents={"incidents": wednesday}), shanghai(2024, 9, 18, 12), shanghai(2024, 9, 16)
    )
    starts = {(a.severity, a.long_window // M): a.intervals[0][0] for a in found.objectives[0].alerts if a.intervals}
    assert starts[("page", 360)] == shanghai(2024, 9, 18, 9, 1)
    assert starts[("page", 60)] == shanghai(2024, 9, 18, 9, 2)


# A brute-force check: each minute's local wall-clock time against the weekly hours and holidays.

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Shanghai")
STARTS = (date(2024, 3, 30), date(2024, 10, 26), date(2024, 3, 9), date(2024, 11, 2), date(2024, 9, 14))
"""Days before Berlin's and New York's clock changes, and Shanghai's Mid-Autumn holidays."""
EDGES = ["00:00", *(f"{h:02d}:{m:02d}" for h in range(4, 24) for m in (0, 30)), "24:00"]
"""Opening and closing times, none between 00:00 and 04:00, where the clocks change."""


@st.composite
def day_hours(draw: st.DrawFn) -> list[str]:
    """Zero to two ordered, disjoint clock ranges on the grid of EDGES."""
    chosen = sorted(set(draw(st.lists(st.integers(0, len(EDGES) - 1), max_size=4))))
    if len(chosen) % 2:
        chosen = chosen[:-1]
    return [f"{EDGES[a]}-{EDGES[b]}" for a, b in zip(chosen[::2], chosen[1::2], strict=True)]


def _opens(calendar: BusinessCalendar, local: datetime) -> bool:
    """Whether a local wall-clock time is in the calendar's hours (brute force: no instants involved)."""
    day = local.date()
    if day in calendar.extra_working_days:
        ranges = calendar.working_day_hours()
    elif day in calendar.extra_holidays:
        return False
    else:
        ranges = calendar.weekly_hours()[day.weekday()]
    moment = local.time().replace(tzinfo=None)
    return any(start <= moment and (end is None or moment < end) for start, end in ranges)


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first_day=st.sampled_from(STARTS),
    days=st.integers(1, 3),
    week=st.lists(day_hours(), min_size=7, max_size=7),
    closed=st.sets(st.integers(0, 3)),
    outages=st.lists(st.tuples(st.integers(-600, 5000), st.integers(1, 2000)), max_size=5),
    events=st.lists(st.integers(0, 3 * 86_400 * US_PER_SECOND), max_size=20),
)
def test_service_time_matches_a_minute_by_minute_count(
    zone: str,
    first_day: date,
    days: int,
    week: list[list[str]],
    closed: set[int],
    outages: list[tuple[int, int]],
    events: list[int],
) -> None:
    """Service minutes, downtime in them, the minute mask and event membership agree with a brute-force count."""
    hours = dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), week, strict=True))
    if not any(hours.values()):
        hours["mon"] = ["09:00-17:00"]
    calendar = BusinessCalendar.model_validate(
        {
            "timeZone": zone,
            "hours": hours,
            "extraHolidays": [(first_day + timedelta(days=d)).isoformat() for d in sorted(closed)],
        },
        by_alias=True,
        by_name=False,
    )
    tz = ZoneInfo(zone)
    start = to_us(datetime.combine(first_day, time(), tzinfo=tz).astimezone(UTC))
    end = start + days * 1440 * M
    minutes = (end - start) // M
    local = [datetime.fromtimestamp((start + i * M) / US_PER_SECOND, tz) for i in range(minutes)]
    expected_mask = np.array([_opens(calendar, t) for t in local], dtype=np.bool_)
    runs = [(start + a * M, start + (a + n) * M) for a, n in outages]
    down_minutes = [any(low <= start + i * M < high for low, high in runs) for i in range(minutes)]
    clock = BusinessClock(calendar)
    indicator = AvailabilityIndicator.model_validate({"kind": "availability", "from": "incidents"})
    found = downtime(indicator, [Incident(a, b) for a, b in runs], [], (start, end), None, clock)
    assert found.measured_us == int(expected_mask.sum()) * M
    assert found.downtime_us == sum(1 for i in range(minutes) if expected_mask[i] and down_minutes[i]) * M
    assert minute_mask(clock, start, minutes).tolist() == expected_mask.tolist()
    stamps = np.array([start + e for e in events if e < end - start], dtype=np.int64)
    brute = [_opens(calendar, datetime.fromtimestamp(int(s) // US_PER_SECOND, tz)) for s in stamps.tolist()]
    assert inside(clock, stamps).tolist() == brute


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        ({"kind": "freshness", "maxGap": "1h"}, "serviceHours does not apply to a freshness indicator"),
        (
            {"kind": "case", "clock": {"start": "open", "stop": "close"}, "goals": {"*": "1h"}},
            "serviceHours does not apply to a case indicator",
        ),
    ],
)
def test_service_hours_are_refused_where_they_cannot_apply(indicator: dict[str, Any], message: str) -> None:
    """Freshness and case indicators refuse serviceHours (a case clock has its own business time)."""
    with pytest.raises(ValueError, match=message):
        agreement({"name": "x", "indicator": indicator, "target": "99%", "window": "month", "serviceHours": "office"})


def test_an_unknown_service_hours_calendar_is_refused() -> None:
    """ServiceHours must name an entry of spec.calendars."""
    with pytest.raises(ValueError, match="no calendar named 'shop'"):
        agreement({**AVAILABILITY, "serviceHours": "shop"})


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_support_desk_template_example_is_a_valid_objective(language: str) -> None:
    """The commented service-hours objective of the support-desk template, uncommented, validates."""
    text = template_text("support-desk", language)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    # - name: portal-availability"))
    example = [line.replace("    # ", "    ", 1) for line in lines[start : start + 6]]
    anchor = lines.index("  creditPolicy:")
    edited = "\n".join([*lines[:anchor], *example, *lines[anchor:]]) + "\n"
    found = parse_agreement(read_text(edited, "support-desk.yaml")[0])
    portal = found.spec.objective("portal-availability")
    assert (portal.service_hours, portal.target) == ("office", Decimal("0.995"))
