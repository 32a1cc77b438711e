"""One objective's open-period forecast from its measurements: which objectives, and a month worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Incident, Measurements, MinuteCounts
from attain.engine.objective import evaluate_objective
from attain.engine.outlook import forecast_objective
from attain.testing import agreement, agreement_model, ratio_objective

OCTOBER = to_us(datetime(2026, 10, 1, tzinfo=UTC))
AT = to_us(datetime(2026, 11, 15, tzinfo=UTC))
"""Mid-November: 14 days of the month measured, 16 to come."""


def _counts(bad_minutes: int) -> Measurements:
    """One valid event a minute from 1 October to `AT`; the first `bad_minutes` minutes of November bad."""
    minutes = (AT - OCTOBER) // US_PER_MINUTE
    valid = np.ones(minutes, dtype=np.int64)
    good = valid.copy()
    november = (to_us(datetime(2026, 11, 1, tzinfo=UTC)) - OCTOBER) // US_PER_MINUTE
    good[november : november + bad_minutes] = 0
    return Measurements(counts={"availability": MinuteCounts(OCTOBER, good, valid)})


def test_a_month_of_steady_traffic_by_hand() -> None:
    """200 bad of 20,160 so far, 60 events an hour for 384 more hours, October clean, target 99%.

    V = 23,040; prior: ratio 0 with a day's weight 1,440; φ = 1 (no bad hour in October);
    p̂ = 200.5/21,601; μ = 213.857; allowance 1% × 43,200 = 432; σ² = 437.838; z = −0.8671;
    P = 0.1929; projected 1 − 413.857/43,200 = 0.990420; the burn so far (0.992%) stays below
    the 1% allowance, so the budget lasts.
    """
    model = agreement_model(agreement(objectives=[ratio_objective(target="99%")]))
    [objective] = model.objectives
    measurements = _counts(200)
    period = evaluate_objective(model, objective, measurements, OCTOBER, AT).periods[-1]
    forecast = forecast_objective(model, objective, measurements, period, AT, OCTOBER)
    assert forecast is not None
    assert (forecast.period, forecast.unit) == ("2026-11", "events")
    p = forecast.projection
    assert p.breach_probability == Decimal("0.1929")
    assert abs(p.projected_ratio - Decimal("0.990419982271054")) < Decimal("1e-12")
    assert abs(p.expected_valid - 43_200) < Decimal("1e-9")
    assert p.budget_gone_at is None


def test_a_burn_above_the_allowance_gives_the_date() -> None:
    """300 bad of 20,160 (1.488%): allowance 432 at the end, so 132 more bad come after 132 × 20,160/300 = 8,870.4 events.

    At 60 events an hour that is 147.84 hours after 15 November 00:00: 21 November 03:50:24 UTC.
    """
    model = agreement_model(agreement(objectives=[ratio_objective(target="99%")]))
    [objective] = model.objectives
    measurements = _counts(300)
    period = evaluate_objective(model, objective, measurements, OCTOBER, AT).periods[-1]
    forecast = forecast_objective(model, objective, measurements, period, AT, OCTOBER)
    assert forecast is not None
    assert forecast.projection.budget_gone_at == to_us(datetime(2026, 11, 21, 3, 50, 24, tzinfo=UTC))


def test_rolling_and_closed_periods_are_not_forecast() -> None:
    """A rolling window has no end to forecast; a closed month needs none."""
    rolling = agreement_model(agreement(objectives=[ratio_objective(window={"rolling": "28d"})]))
    [objective] = rolling.objectives
    measurements = _counts(0)
    period = evaluate_objective(rolling, objective, measurements, OCTOBER, AT).periods[-1]
    assert forecast_objective(rolling, objective, measurements, period, AT, OCTOBER) is None
    monthly = agreement_model(agreement(objectives=[ratio_objective()]))
    [objective] = monthly.objectives
    october = evaluate_objective(monthly, objective, measurements, OCTOBER, AT).periods[0]
    assert october.closed
    assert forecast_objective(monthly, objective, measurements, october, AT, OCTOBER) is None


def test_downtime_is_forecast_in_minutes() -> None:
    """30 minutes down on 2 November against 99.9% of November (43.2 min allowed): burn 30/20,160 per minute.

    The rest of the 43.2 minutes (13.2) goes at that burn after 13.2 × 20,160/30 = 8,870.4 minutes:
    6 days 3 h 50 min 24 s after 15 November 00:00, on 21 November 03:50:24 UTC.
    """
    document = agreement(objectives=[ratio_objective(target="99.9%")])
    document["spec"]["objectives"][0]["indicator"] = {"kind": "availability", "from": "incidents", "events": "outages"}
    model = agreement_model(document)
    [objective] = model.objectives
    start = to_us(datetime(2026, 11, 2, 12, tzinfo=UTC))
    down = Incident(start=start, end=start + 30 * US_PER_MINUTE, attributes={})
    measurements = Measurements(incidents={"outages": [down]})
    period = evaluate_objective(model, objective, measurements, OCTOBER, AT).periods[-1]
    forecast = forecast_objective(model, objective, measurements, period, AT, OCTOBER)
    assert forecast is not None
    assert forecast.unit == "minutes"
    assert forecast.projection.budget_gone_at == to_us(datetime(2026, 11, 21, 3, 50, 24, tzinfo=UTC))
    assert forecast.projection.expected_valid == 43_200
    assert forecast.projection.budget_gone_at == AT + 8_870 * US_PER_MINUTE + 24_000_000
