"""docs/semantics.md stays true to the engine: its worked examples' headline numbers are recomputed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from attain.engine.allowance import allowance
from attain.engine.availability import downtime
from attain.engine.budget import attainment_budget, event_budget
from attain.engine.budgeting import attain
from attain.engine.business_time import BusinessClock
from attain.engine.case import evaluate_cases
from attain.engine.credit import combine, objective_credit
from attain.engine.freshness import freshness
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, to_us
from attain.engine.measurement import CaseEvent, Event, EventTable, Incident
from attain.engine.period import period_at
from attain.engine.rate import factor
from attain.engine.statistic import linear_percentile, nearest_rank, statistic
from attain.model import (
    SRE_WORKBOOK_TIERS,
    AvailabilityIndicator,
    Budgeting,
    CalendarUnit,
    CaseIndicator,
    CreditPolicy,
    CreditTier,
    Fee,
    FreshnessIndicator,
    Objective,
    StatisticIndicator,
)
from attain.model.calendar import BusinessCalendar

DOC = Path(__file__).resolve().parents[1] / "docs" / "semantics.md"
TEXT = " ".join(DOC.read_text(encoding="utf-8").split())
"""The document with every run of whitespace (line breaks included) made one space."""

TARGET = Decimal("0.95")
SLICES = 14 * 1_440


def in_doc(*phrases: str) -> None:
    """Assert that every phrase occurs literally in the document (whitespace collapsed)."""
    missing = [phrase for phrase in phrases if phrase not in TEXT]
    assert not missing, f"docs/semantics.md no longer says {missing}"


def utc(*parts: int) -> int:
    """An instant from UTC date and time parts."""
    return to_us(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


def hours_minutes(minutes: int) -> str:
    """Minutes written as the document writes them: '16 h 48 min'."""
    return f"{minutes // 60} h {minutes % 60} min"


def attack(minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Two weeks of 100 requests a minute, 99 good, the last `minutes` minutes only 1 good (the attack)."""
    good = np.full(SLICES, 99, dtype=np.int64)
    good[SLICES - minutes :] = 1
    return good, np.full(SLICES, 100, dtype=np.int64)


def test_berlin_month_lengths() -> None:
    """October 2024 in Berlin is 745 hours and March 2024 is 743, as the periods section says."""
    october = period_at(CalendarUnit.MONTH, "Europe/Berlin", utc(2024, 10, 15))
    march = period_at(CalendarUnit.MONTH, "Europe/Berlin", utc(2024, 3, 15))
    assert (october.length // US_PER_HOUR, march.length // US_PER_HOUR) == (745, 743)
    santiago = period_at(CalendarUnit.DAY, "America/Santiago", utc(2024, 9, 8, 12))
    assert (santiago.start, santiago.length // US_PER_HOUR) == (utc(2024, 9, 8, 4), 23)
    in_doc("**745 h**", "**743 h**", "**2024-09-08T04:00Z**", "**23 h**")


def test_a_31_day_month_allows_44_64_minutes_and_50_minutes_down_breach_it() -> None:
    """99.9% of 31 days allows 44.64 minutes; 50 minutes down give (44,640 − 50) / 44,640."""
    uptime = Objective.model_validate(
        {
            "name": "up",
            "indicator": {"kind": "availability", "from": "incidents"},
            "target": "99.9%",
            "window": "month",
        },
        by_alias=True,
        by_name=False,
    )
    allowed = allowance(uptime, timedelta(days=31)).bad_minutes
    assert allowed == Decimal("44.64")
    january = (utc(2027, 1, 1), utc(2027, 2, 1))
    indicator = AvailabilityIndicator.model_validate({"kind": "availability", "from": "incidents"})
    down = downtime(indicator, [Incident(utc(2027, 1, 5), utc(2027, 1, 5) + 50 * US_PER_MINUTE)], [], january)
    assert down.uptime_ratio == Decimal(44_590) / Decimal(44_640)
    in_doc(f"**{allowed.normalize()} minutes**", "**(44,640 − 50) / 44,640**", str(down.uptime_ratio))


def test_openslo_occurrences_budget() -> None:
    """336,000 requests at 95% allow 16,800 bad; the README's 16,632 is 99% of that; the baseline spends 3,360."""
    requests = 14 * 24_000
    budget = event_budget(requests // 100, requests, TARGET)
    assert (budget.allowed, budget.consumed, budget.remaining) == (16_800, 3_360, 13_440)
    assert Decimal("0.99") * budget.allowed == 16_632
    in_doc(f"**{requests:,} requests**", "**16,800 bad requests**", "0.99 × 16,800 = 16,632", "**3,360**")


def test_openslo_timeslices_attack_lasts_16_h_48_min() -> None:
    """Timeslices on the OpenSLO series: 1,008 attack minutes spend the budget exactly (16 h 48 min), 1,009 break it."""
    slices = Budgeting.model_validate({"method": "Timeslices", "slice": "1m", "sliceTarget": "99%"})
    at_limit = attain(*attack(1_008), slices)
    assert (at_limit.ratio, attainment_budget(at_limit, TARGET).remaining) == (TARGET, 0)
    over = attain(*attack(1_009), slices).ratio
    assert over is not None
    assert over < TARGET
    in_doc(f"**{SLICES:,} slices**", "**1,008 bad slices**", f"**{hours_minutes(1_008)}**")


@pytest.mark.parametrize("method", ["Occurrences", "RatioTimeslices"])
def test_openslo_ratio_timeslices_and_occurrences_last_822_86_minutes(method: str) -> None:
    """Both methods meet 95% with 822 attack minutes and miss it with 823: x = 0.04 × 20,160 / 0.98 ≈ 822.86."""
    data = method if method == "Occurrences" else {"method": method, "slice": "1m"}
    budgeting = Budgeting.model_validate(data)
    limit = Fraction(4, 100) * SLICES / Fraction(98, 100)
    assert f"{float(limit):.2f}" == "822.86"
    met, missed = attain(*attack(822), budgeting).ratio, attain(*attack(823), budgeting).ratio
    assert met is not None
    assert missed is not None
    assert met >= TARGET > missed
    in_doc("**0.98·x = 0.04 × 20,160**", "**822.86 min ≈ 13 h 43 min**", f"≈ {hours_minutes(round(limit))}")


def test_ten_values_statistics() -> None:
    """The ten response times give mean 732, p90 nearest-rank 1200, p90 linear 1230 and median 630."""
    values = [Decimal(v) for v in (300, 420, 480, 540, 600, 660, 720, 900, 1200, 1500)]
    mean = StatisticIndicator.model_validate(
        {"kind": "statistic", "value": "s", "op": "le", "bound": "8m", "unit": "s", "statistic": "mean"}
    )
    result = statistic(mean, values)
    assert (result.value, result.met) == (732, False)
    assert (nearest_rank(values, Decimal(90)), linear_percentile(values, Decimal(90))) == (1200, 1230)
    assert linear_percentile(values, Decimal(50)) == 630
    in_doc("**732 s**", "**1200**", "**1230**", "**630**")


def test_workbook_factors_and_credit_example() -> None:
    """The 30-day workbook factors are 14.4, 6, 3, 1, and 10% of 8,500 EUR is 850.00 EUR."""
    assert [factor(t, 30 * US_PER_DAY) for t in SRE_WORKBOOK_TIERS] == [Decimal("14.4"), 6, 3, 1]
    in_doc("**14.4**", "**6**", "**3**", "**1**")
    tiers = (CreditTier.model_validate({"below": "99.9%", "atLeast": "99%", "credit": "10%"}),)
    fee = Fee.model_validate({"amount": "8500.00", "currency": "EUR", "per": "month"})
    owed = combine("2027-03", [objective_credit("up", tiers, Decimal("0.995"))], CreditPolicy(), fee, "month")
    assert owed.amount == Decimal("850.00")
    in_doc("**8,500 EUR per month**", "**850.00 EUR**")


def test_friday_evening_p1_in_shanghai() -> None:
    """A P1 opened Friday 17:30 in Shanghai is due Monday 09:30 and met with 50 minutes when resolved at 09:20."""
    shanghai = ZoneInfo("Asia/Shanghai")
    opened = to_us(datetime(2026, 3, 6, 17, 30, tzinfo=shanghai))
    resolved = to_us(datetime(2026, 3, 9, 9, 20, tzinfo=shanghai))
    indicator = CaseIndicator.model_validate(
        {"kind": "case", "clock": {"start": "opened", "stop": "resolved"}, "goals": {"P1": "1h"}}
    )
    clock = BusinessClock(
        BusinessCalendar.model_validate(
            {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}, "holidays": {"country": "CN"}}
        )
    )
    start = [CaseEvent("c1", "opened", opened, {"priority": "P1"})]
    (pending,) = evaluate_cases(indicator, clock, start, to_us(datetime(2026, 3, 9, 9, 10, tzinfo=shanghai)))
    assert (pending.due, pending.met) == (to_us(datetime(2026, 3, 9, 9, 30, tzinfo=shanghai)), None)
    (outcome,) = evaluate_cases(indicator, clock, [*start, CaseEvent("c1", "resolved", resolved)], resolved + 1)
    assert (outcome.elapsed, outcome.met, outcome.decided_at) == (50 * US_PER_MINUTE, True, resolved)
    in_doc("**Friday 2026-03-06 at 17:30**", "**due = Monday 09:30**", "**50 min**")


def test_case_states_over_a_weekend_and_a_holiday() -> None:
    """The 16 h P3 opened Friday 2026-04-03 14:00 in Shanghai: paused, then open with due Wednesday 13:00, then breached."""
    shanghai = ZoneInfo("Asia/Shanghai")

    def local(day: int, hour: int) -> int:
        return to_us(datetime(2026, 4, day, hour, tzinfo=shanghai))

    indicator = CaseIndicator.model_validate(
        {
            "kind": "case",
            "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
            "goals": {"P3": "16h"},
        }
    )
    clock = BusinessClock(
        BusinessCalendar.model_validate(
            {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}, "holidays": {"country": "CN"}}
        )
    )
    events = [
        CaseEvent("c1", "opened", local(3, 14), {"priority": "P3"}),
        CaseEvent("c1", "waiting", local(3, 17)),
        CaseEvent("c1", "replied", local(4, 10)),
    ]
    states = [evaluate_cases(indicator, clock, events, local(day, hour))[0] for day, hour in ((4, 9), (7, 12), (8, 14))]
    paused, open_, breached = states
    assert (paused.state.value, paused.elapsed, paused.due) == ("paused", 3 * US_PER_HOUR, None)
    assert (open_.state.value, open_.elapsed, open_.used, open_.due) == (
        "open",
        6 * US_PER_HOUR,
        Decimal("0.375"),
        local(8, 13),
    )
    assert (breached.state.value, breached.remaining, breached.decided_at) == ("breached", -US_PER_HOUR, local(8, 13))
    in_doc("**Monday 2026-04-06**", "**16 business hours**", "**Friday 2026-04-03 14:00**", "**6 h**", "**37.5%**")
    in_doc("**Wednesday 13:00**", "**breached** at Wednesday 13:00")


def test_a_gap_from_before_the_period() -> None:
    """A backup on 30 December 12:00 and the next on 2 January: a 60 h gap, 36 h over, 24 h of it in January."""
    indicator = FreshnessIndicator.model_validate({"kind": "freshness", "maxGap": "24h"})
    events = EventTable.from_events([Event(utc(2023, 12, 30, 12)), Event(utc(2024, 1, 2))])
    result = freshness(indicator, events, (utc(2024, 1, 1), utc(2024, 1, 3)))
    [gap] = result.over
    assert (gap.start, gap.length, gap.excess, gap.counted) == (
        utc(2023, 12, 30, 12),
        60 * US_PER_HOUR,
        36 * US_PER_HOUR,
        24 * US_PER_HOUR,
    )
    assert result.longest == gap
    in_doc("**30 December 2023 12:00**", "**60 h**", "**36 h**", "**24 h**")
