"""Burn rates, the workbook's factors, and when multi-window alerts fire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.burn_rate import alert_intervals, burn_rates_at
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, Interval, merge, to_us
from attain.engine.rate import INFINITE_RATE, burn_rate, burn_rate_threshold, error_ratio_threshold, factor
from attain.model import SRE_WORKBOOK_TIERS, BurnRateTier

START = to_us(datetime(2025, 3, 1, tzinfo=UTC))
MIN = US_PER_MINUTE


def tier(long: str, short: str, consumed: str) -> BurnRateTier:
    """A burn-rate tier written as in an agreement."""
    return BurnRateTier.model_validate({"longWindow": long, "shortWindow": short, "budgetConsumed": consumed})


# long 10 min, short 2 min, 10% of a 100-minute period: factor 0.1 × 100 / 10 = 1;
# at a 90% target a window fires when bad / valid > 1 × (1 − 0.9) = 10%.
TEN_MINUTES = tier("10m", "2m", "10%")
PERIOD_US = 100 * MIN
TARGET = Decimal("0.9")


def burst() -> tuple[np.ndarray, np.ndarray]:
    """30 minutes of 10 events a minute, all bad in minutes 10 to 14, all good otherwise."""
    good = np.full(30, 10, dtype=np.int64)
    good[10:15] = 0
    return good, np.full(30, 10, dtype=np.int64)


@pytest.mark.parametrize(
    ("bad", "valid", "target", "expected"),
    [
        (10, 1000, Decimal("0.999"), Decimal(10)),  # 1% ÷ 0.1% = 10
        (1, 3, Decimal("0.9"), Decimal("3.333333333333333333333333333")),  # (1/3) ÷ 0.1 = 10/3
        (0, 5, Decimal("0.9"), Decimal(0)),
        (0, 0, Decimal("0.9"), None),
        (0, 5, Decimal(1), Decimal(0)),
        (1, 5, Decimal(1), INFINITE_RATE),
    ],
)
def test_burn_rate(bad: int, valid: int, target: Decimal, expected: Decimal | None) -> None:
    """Burn rate is the bad share over the allowed share; None without data, infinite against 100%."""
    assert burn_rate(bad, valid, target) == expected


def test_workbook_factors_for_thirty_days() -> None:
    """A 30-day period gives the workbook's 14.4, 6, 3 and 1."""
    # 0.02 × 720 h / 1 h = 14.4; 0.05 × 720 / 6 = 6; 0.10 × 720 / 24 = 3; 0.10 × 720 / 72 = 1
    assert [factor(t, 30 * US_PER_DAY) for t in SRE_WORKBOOK_TIERS] == [Decimal("14.4"), 6, 3, 1]


def test_workbook_factors_for_twenty_eight_days() -> None:
    """A 28-day period gives 13.44, 5.6, 2.8 and 0.9333…, the last rounded at 28 digits."""
    # 0.02 × 672 h = 13.44; 0.05 × 672 / 6 = 5.6; 0.10 × 672 / 24 = 2.8; 0.10 × 672 / 72 = 0.9333…
    assert [factor(t, 28 * US_PER_DAY) for t in SRE_WORKBOOK_TIERS] == [
        Decimal("13.44"),
        Decimal("5.6"),
        Decimal("2.8"),
        Decimal("0." + "9" + "3" * 27),
    ]


def test_workbook_factors_for_seven_days() -> None:
    """A 7-day period gives 3.36, 1.4, 0.7 and 0.2333…: the same share burnt over a shorter period."""
    # 0.02 × 168 h = 3.36; 0.05 × 168 / 6 = 1.4; 0.10 × 168 / 24 = 0.7; 0.10 × 168 / 72 = 0.2333…
    assert [factor(t, 7 * US_PER_DAY) for t in SRE_WORKBOOK_TIERS] == [
        Decimal("3.36"),
        Decimal("1.4"),
        Decimal("0.7"),
        Decimal("0.2" + "3" * 27),
    ]


def test_a_year_with_a_three_day_window_is_exact() -> None:
    """10% of 365 days burnt in 3 days is 73/6 exactly (a float quotient of the durations would be 12.166…68)."""
    assert burn_rate_threshold(Decimal("0.1"), 365 * US_PER_DAY, 3 * US_PER_DAY) == Fraction(73, 6)


@pytest.mark.parametrize("days", [1, 7, 28, 30, 90, 365])
def test_thresholds_of_the_workbook_tiers(days: int) -> None:
    """Factor = budget share × period hours ÷ window hours; a tier fires above factor × (1 − target)."""
    for workbook, (share, hours) in zip(SRE_WORKBOOK_TIERS, ((2, 1), (5, 6), (10, 24), (10, 72)), strict=True):
        expected = Fraction(share, 100) * days * 24 / hours
        assert burn_rate_threshold(workbook.budget_consumed, days * US_PER_DAY, hours * 60 * MIN) == expected
        assert error_ratio_threshold(workbook, days * US_PER_DAY, Decimal("0.999")) == expected / 1000


def test_a_period_must_be_positive() -> None:
    """A zero period or window has no burn-rate threshold."""
    with pytest.raises(ValueError, match="must be positive"):
        burn_rate_threshold(Decimal("0.02"), 0, 3_600_000_000)


def test_alert_starts_with_the_burn_and_stops_after_it() -> None:
    """A five-minute outage fires from minute end 12 to 16: the long window needs two bad minutes, the short one clears it."""
    (firing,) = alert_intervals(START, *burst(), TARGET, [TEN_MINUTES], PERIOD_US)
    # at minute end m+1 the long window holds buckets m−9…m and needs > 10 bad of 100 (2 bad minutes);
    # m = 10: 10 of 100 = exactly 10%, no; m = 11…15: both windows hold bad minutes; m = 16: short
    # window (15, 16) is clean. Minute ends 12 … 16 min → [12 min, 17 min).
    assert firing.factor == 1
    assert firing.intervals == [(START + 12 * MIN, START + 17 * MIN)]


def test_a_burn_exactly_at_the_threshold_does_not_fire() -> None:
    """10 bad of 100 at a 10% threshold never fires; 11 of 100 fires once the long window is full."""
    valid = np.full(30, 100, dtype=np.int64)
    at_threshold = alert_intervals(START, valid - 10, valid, TARGET, [TEN_MINUTES], PERIOD_US)
    assert at_threshold[0].intervals == []
    above = alert_intervals(START, valid - 11, valid, TARGET, [TEN_MINUTES], PERIOD_US)
    # first full 10-minute window ends at 10 min; the last minute end is 30 min → [10 min, 31 min)
    assert above[0].intervals == [(START + 10 * MIN, START + 31 * MIN)]


def test_workbook_page_at_its_threshold() -> None:
    """At 99.9% over 30 days the 1-hour page needs more than 1.44% bad: 144 in 10,000 is not enough."""
    # threshold 14.4 × 0.001 = 0.0144; 144 / 10,000 = 0.0144 exactly; 145 / 10,000 is above it
    valid = np.full(60, 10_000, dtype=np.int64)
    page = SRE_WORKBOOK_TIERS[:1]
    assert alert_intervals(START, valid - 144, valid, Decimal("0.999"), page, 30 * US_PER_DAY)[0].intervals == []
    above = alert_intervals(START, valid - 145, valid, Decimal("0.999"), page, 30 * US_PER_DAY)
    assert above[0].intervals == [(START + 60 * MIN, START + 61 * MIN)]  # only the one full hour


def test_low_traffic_guard_suppresses_firing() -> None:
    """The guard holds both windows: the burst's 2-minute window has 20 events, so 21 silences it and 20 does not."""
    # long window 10 min × 10 = 100 events, short window 2 min × 10 = 20 events
    assert alert_intervals(START, *burst(), TARGET, [TEN_MINUTES], PERIOD_US, minimum_events=21)[0].intervals == []
    guarded = alert_intervals(START, *burst(), TARGET, [TEN_MINUTES], PERIOD_US, minimum_events=20)
    assert guarded[0].intervals == [(START + 12 * MIN, START + 17 * MIN)]


def test_no_events_never_fire() -> None:
    """Windows without valid events do not fire, even against a 100% target."""
    empty = np.zeros(30, dtype=np.int64)
    assert alert_intervals(START, empty, empty, Decimal(1), [TEN_MINUTES], PERIOD_US)[0].intervals == []


def test_one_firing_per_tier_in_order() -> None:
    """Each tier gets its own AlertFiring, in the order given, even when it never fires."""
    firings = alert_intervals(START, *burst(), TARGET, [TEN_MINUTES, *SRE_WORKBOOK_TIERS[:1]], PERIOD_US)
    assert [f.tier for f in firings] == [TEN_MINUTES, SRE_WORKBOOK_TIERS[0]]
    # the workbook tier needs 60 minutes of data; the series has 30
    assert firings[1].intervals == []


def test_huge_counts_do_not_overflow() -> None:
    """Running sums beyond int64 are kept as Python integers, so an all-bad series still fires."""
    valid = np.full(4, 2**62, dtype=np.int64)
    # cumulative valid reaches 2⁶⁴; every window is all bad, 100% > 10%; long window 2 min
    firings = alert_intervals(START, np.zeros(4, dtype=np.int64), valid, TARGET, [tier("2m", "1m", "10%")], PERIOD_US)
    assert firings[0].intervals == [(START + 2 * MIN, START + 5 * MIN)]


def test_burn_rates_at_an_instant() -> None:
    """At 15 minutes the burst burns 5 over ten minutes and 10 over two; 20 minutes of history do not exist."""
    # buckets 5…14: 50 bad of 100 → 0.5 / 0.1 = 5; buckets 13, 14: 20 of 20 → 1 / 0.1 = 10
    windows = [timedelta(minutes=10), timedelta(minutes=2), timedelta(minutes=20)]
    assert burn_rates_at(START, *burst(), TARGET, START + 15 * MIN, windows) == [Decimal(5), Decimal(10), None]


@pytest.mark.parametrize(
    ("first", "message"),
    [(START + 1, "first_minute"), (START, "window 0:00:30")],
)
def test_windows_and_start_must_be_whole_minutes(first: int, message: str) -> None:
    """A start off the minute or a window of 30 seconds is refused."""
    half = BurnRateTier.model_construct(
        long_window=timedelta(minutes=2), short_window=timedelta(seconds=30), budget_consumed=Decimal("0.1")
    )
    with pytest.raises(ValueError, match=message):
        alert_intervals(first, *burst(), TARGET, [half], PERIOD_US)


def brute_force(
    first: int, good: list[int], valid: list[int], target: Decimal, t: BurnRateTier, period_us: int, least: int
) -> list[Interval]:
    """Intervals found minute by minute with Fractions: an independent reading of the convention."""
    threshold = (
        Fraction(t.budget_consumed) * period_us / (t.long_window // timedelta(microseconds=1)) * (1 - Fraction(target))
    )
    spans = []
    for m in range(len(good)):
        fires = True
        for window in (t.long_window, t.short_window):
            width = window // timedelta(minutes=1)
            if m + 1 < width:
                fires = False
                continue
            v = sum(valid[m - width + 1 : m + 1])
            b = v - sum(good[m - width + 1 : m + 1])
            fires = fires and v >= max(1, least) and Fraction(b, v) > threshold
        if fires:
            spans.append((first + (m + 1) * MIN, first + (m + 2) * MIN))
    return merge(spans)


@given(
    data=st.data(),
    pairs=st.lists(st.integers(0, 6).flatmap(lambda v: st.tuples(st.integers(0, v), st.just(v))), max_size=40),
    short=st.integers(1, 4),
    extra=st.integers(1, 8),
    consumed=st.sampled_from(["1%", "5%", "10%", "50%"]),
    target=st.sampled_from([Decimal("0.5"), Decimal("0.9"), Decimal("0.99"), Decimal(1)]),
    least=st.integers(0, 12),
    lead=st.integers(0, 24),
)
def test_alerts_match_a_minute_by_minute_reading(
    data: st.DataObject,
    pairs: list[tuple[int, int]],
    lead: int,
    short: int,
    extra: int,
    consumed: str,
    target: Decimal,
    least: int,
) -> None:
    """The cumulative-sum evaluation agrees with a direct minute-by-minute evaluation in Fractions.

    Leading minutes without events (`lead`, longer or shorter than the windows) are skipped by the
    evaluation except for the windows that reach past them: the answer must not change.
    """
    t = tier(f"{short + extra}m", f"{short}m", consumed)
    period_us = data.draw(st.integers(1, 200)) * MIN
    pairs = [(0, 0)] * lead + pairs
    good, valid = [g for g, _ in pairs], [v for _, v in pairs]
    (firing,) = alert_intervals(
        START, np.array(good, dtype=np.int64), np.array(valid, dtype=np.int64), target, [t], period_us, least
    )
    assert firing.intervals == brute_force(START, good, valid, target, t, period_us, least)
