"""Validation rules of the model's parts: calendars, exclusions, budgeting, alerts, tiers, rules."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from attain.model import (
    SRE_WORKBOOK_TIERS,
    AlertPolicy,
    Budgeting,
    BudgetingMethod,
    BurnRateTier,
    BusinessCalendar,
    CaseIndicator,
    CreditTier,
    Exclusion,
    StatisticIndicator,
    TerminationCondition,
)


def check(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """Validate document-spelled data the way the format does."""
    return model.model_validate(data, by_alias=True, by_name=False)


def reason(model: type[BaseModel], data: Any) -> str:
    """The first error message for data that must be refused."""
    with pytest.raises(ValidationError) as caught:
        check(model, data)
    return str(caught.value.errors()[0]["msg"])


def test_business_calendar_expands_day_ranges() -> None:
    """`mon-fri` and `sat` keys become per-weekday opening hours, Monday first."""
    calendar = check(
        BusinessCalendar,
        {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": ["10:00-14:00"]}},
    )
    week = calendar.weekly_hours()
    assert week[0] == ((time(9), time(12)), (time(13), time(18)))
    assert week[4] == week[0]
    assert week[5] == ((time(10), time(14)),)
    assert week[6] == ()
    assert calendar.working_day_hours() == week[0]


def test_business_calendar_refuses_twice_given_days_and_overlaps() -> None:
    """A weekday listed twice, overlapping hours, or a day both holiday and working are refused."""
    base = {"timeZone": "Asia/Shanghai"}
    assert "given twice" in reason(
        BusinessCalendar, base | {"hours": {"mon-fri": ["09:00-18:00"], "fri": ["09:00-12:00"]}}
    )
    assert "overlap" in reason(BusinessCalendar, base | {"hours": {"mon": ["09:00-13:00", "12:00-18:00"]}})
    both = base | {
        "hours": {"mon": ["09:00-18:00"]},
        "extraHolidays": ["2026-10-10"],
        "extraWorkingDays": ["2026-10-10"],
    }
    assert "both an extra holiday and an extra working day" in reason(BusinessCalendar, both)
    assert "not a weekday" in reason(BusinessCalendar, base | {"hours": {"monday": ["09:00-18:00"]}})


def test_holiday_country_and_subdivision_are_checked() -> None:
    """Countries come from the holidays package; an unknown one or subdivision is refused."""
    calendar = check(
        BusinessCalendar,
        {
            "timeZone": "Europe/Berlin",
            "hours": {"mon-fri": ["08:00-17:00"]},
            "holidays": {"country": "DE", "subdivision": "BY"},
        },
    )
    assert calendar.holidays.subdivision == "BY"
    assert "no holiday data" in reason(
        BusinessCalendar, {"timeZone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "holidays": {"country": "XX"}}
    )
    assert "no subdivision" in reason(
        BusinessCalendar,
        {"timeZone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "holidays": {"country": "DE", "subdivision": "ZZ"}},
    )


def test_make_up_working_days_are_dates() -> None:
    """China's make-up working days are listed as dates."""
    calendar = check(
        BusinessCalendar,
        {
            "timeZone": "Asia/Shanghai",
            "hours": {"mon-fri": ["09:00-18:00"]},
            "holidays": {"country": "CN"},
            "extraWorkingDays": ["2026-09-20"],
        },
    )
    assert calendar.extra_working_days == (date(2026, 9, 20),)


def test_recurring_maintenance_needs_a_valid_rrule_and_duration() -> None:
    """A recurring exclusion has a valid RFC 5545 rule, a start and a duration."""
    good = check(
        Exclusion,
        {
            "kind": "maintenance",
            "every": "FREQ=WEEKLY;BYDAY=SU",
            "start": "2026-01-04T02:00",
            "duration": "2h",
            "minimumNotice": "72h",
        },
    )
    assert good.minimum_notice == timedelta(hours=72)
    assert "not a valid RRULE" in reason(
        Exclusion, {"kind": "maintenance", "every": "FREQ=SOMETIMES", "start": "2026-01-04T02:00", "duration": "2h"}
    )
    assert "needs duration" in reason(
        Exclusion, {"kind": "maintenance", "every": "FREQ=WEEKLY", "start": "2026-01-04T02:00"}
    )
    assert "needs start" in reason(Exclusion, {"kind": "maintenance", "every": "FREQ=WEEKLY", "duration": "2h"})
    assert "maintenance only" in reason(Exclusion, {"kind": "force-majeure", "minimumNotice": "1h"})
    assert check(Exclusion, {"kind": "force-majeure"}).start is None


def test_budgeting_fields_follow_the_method() -> None:
    """Timeslices needs slice and sliceTarget; RatioTimeslices needs slice only; Occurrences neither."""
    assert check(Budgeting, "Occurrences").method is BudgetingMethod.OCCURRENCES  # type: ignore[arg-type]
    sliced = check(Budgeting, {"method": "Timeslices", "slice": "1m", "sliceTarget": "95%"})
    assert (sliced.slice, sliced.slice_target) == (timedelta(minutes=1), Decimal("0.95"))
    assert "needs sliceTarget" in reason(Budgeting, {"method": "Timeslices", "slice": "1m"})
    assert "takes no sliceTarget" in reason(
        Budgeting, {"method": "RatioTimeslices", "slice": "1m", "sliceTarget": "95%"}
    )
    assert "takes no slice" in reason(Budgeting, {"method": "Occurrences", "slice": "1m"})


def test_sre_workbook_preset_is_the_workbook_table() -> None:
    """The preset is 2%/1h/5m and 5%/6h/30m pages, 10%/1d/2h and 10%/3d/6h tickets."""
    policy = check(AlertPolicy, {"preset": "sre-workbook"})
    assert policy.effective_tiers == SRE_WORKBOOK_TIERS
    table = [(t.budget_consumed, t.long_window, t.short_window, t.severity) for t in SRE_WORKBOOK_TIERS]
    assert table == [
        (Decimal("0.02"), timedelta(hours=1), timedelta(minutes=5), "page"),
        (Decimal("0.05"), timedelta(hours=6), timedelta(minutes=30), "page"),
        (Decimal("0.10"), timedelta(days=1), timedelta(hours=2), "ticket"),
        (Decimal("0.10"), timedelta(days=3), timedelta(hours=6), "ticket"),
    ]
    for tier in SRE_WORKBOOK_TIERS:  # constructed without validation: validating each changes nothing
        validated = BurnRateTier.model_validate(tier.model_dump())
        assert (validated, repr(validated), validated.model_fields_set) == (tier, repr(tier), tier.model_fields_set)
    assert "exactly one of preset and tiers" in reason(AlertPolicy, {})
    assert "shorter than longWindow" in reason(
        AlertPolicy, {"tiers": [{"longWindow": "5m", "shortWindow": "1h", "budgetConsumed": "2%"}]}
    )


@pytest.mark.parametrize(
    ("tier", "inside", "outside"),
    [
        ({"atLeast": "99%", "below": "99.9%"}, ["99%", "99.5%", "99.899%"], ["99.9%", "98.999%"]),
        ({"above": "95%", "atMost": "99%"}, ["99%", "95.001%"], ["95%", "99.001%"]),
        ({"below": "95%"}, ["0%", "94.999%"], ["95%"]),
    ],
)
def test_credit_tier_edges_are_exact(tier: dict[str, str], inside: list[str], outside: list[str]) -> None:
    """Each edge includes or excludes exactly the value written on it."""
    parsed = check(CreditTier, tier | {"credit": "10%"})
    for value in inside:
        assert parsed.contains(Decimal(value[:-1]).scaleb(-2)), value
    for value in outside:
        assert not parsed.contains(Decimal(value[:-1]).scaleb(-2)), value


def test_credit_tier_needs_an_upper_edge_and_a_non_empty_range() -> None:
    """A tier without an upper edge, with two lower edges, or with an empty range is refused."""
    assert "needs an upper edge" in reason(CreditTier, {"atLeast": "99%", "credit": "10%"})
    assert "one lower edge" in reason(CreditTier, {"atLeast": "99%", "above": "98%", "below": "99.9%", "credit": "1%"})
    assert "range is empty" in reason(CreditTier, {"atLeast": "99%", "below": "99%", "credit": "1%"})


def test_termination_condition_is_exactly_one() -> None:
    """A condition states one of consecutive breaches, breaches within periods, or a floor."""
    rule = check(TerminationCondition, {"objective": "uptime", "breachedPeriods": {"count": 3, "periods": 6}})
    assert (rule.breached_periods.count, rule.breached_periods.periods) == (3, 6)
    assert "exactly one condition" in reason(TerminationCondition, {"objective": "uptime"})
    assert "exactly one condition" in reason(
        TerminationCondition, {"breachedConsecutivePeriods": 3, "attainmentBelow": "95%"}
    )


def test_case_indicator_rules() -> None:
    """Business time needs a calendar; warnings rise within (0, 100%); pause comes with resume."""
    base = {"kind": "case", "clock": {"start": "created", "stop": "resolved"}, "goals": {"P1": "1h"}}
    assert check(CaseIndicator, base).warn_at == (Decimal("0.5"), Decimal("0.75"))
    assert "needs a calendar" in reason(CaseIndicator, base | {"time": "business"})
    assert "warnAt must rise" in reason(CaseIndicator, base | {"warnAt": ["75%", "50%"]})
    assert "pause and resume" in reason(CaseIndicator, base | {"clock": {"start": "a", "stop": "b", "pause": ["c"]}})
    assert "lt or le" in reason(CaseIndicator, base | {"op": "gt"})


def test_statistic_percentile_needs_its_method() -> None:
    """A percentile names p and the method; mean takes neither."""
    base = {"kind": "statistic", "value": "response_s", "op": "le", "bound": "15m", "unit": "s"}
    p90 = check(StatisticIndicator, base | {"statistic": "percentile", "percentile": 90, "method": "nearest-rank"})
    assert (p90.percentile, p90.bound) == (Decimal(90), Decimal(900))
    assert "needs percentile and method" in reason(StatisticIndicator, base | {"statistic": "percentile"})
    assert "apply only to" in reason(StatisticIndicator, base | {"statistic": "mean", "percentile": 50})


def test_models_are_frozen() -> None:
    """Model values cannot be changed after validation."""
    tier = check(CreditTier, {"below": "99%", "credit": "10%"})
    with pytest.raises(ValidationError):
        tier.credit = Decimal(1)  # type: ignore[misc]
