"""One objective's open period forecast (`forecast`) from its measurements and the history before it.

Which objectives are forecast, and from what (docs/review.md, "Forecast"):

- ratio, threshold and probe objectives budgeted by occurrences: minute counts summed per hour;
  the volume is valid events, the burn bad events; traffic from the weekday × hour profile of
  the whole hours in `[history_from, at)`;
- availability from incidents (without service hours): the volume is time in minutes, the burn
  downtime minutes per hour (less exclusions), so its history is the downtime rate history;
- everything else (statistics, freshness, cases, time slices, service-hour downtime, rolling
  windows, closed periods) gets no forecast (None).

The error-ratio prior and the overdispersion come from the whole hours of earlier periods only,
`[history_from, period start)`, so the period's own burn enters once, through `b` and `v`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from attain.engine.availability import downtime, minute_downtime
from attain.engine.classify import bucket, classify, minute_floor
from attain.engine.exclusion import excluded_intervals
from attain.engine.forecast import (
    Floats,
    Ints,
    Outlook,
    Prior,
    Projection,
    dispersion,
    event_outlook,
    hourly,
    project,
    time_outlook,
    weekly_profile,
)
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE
from attain.engine.measurement import EventTable, Measurements
from attain.engine.period import zone
from attain.engine.result import PeriodResult
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    BudgetingMethod,
    CalendarWindow,
    Objective,
    RatioIndicator,
    ThresholdIndicator,
    stream_name,
)

HISTORY_US = 8 * 7 * US_PER_DAY
"""How far back the traffic profile and the error-ratio history reach: eight weeks."""


@dataclass(frozen=True)
class Forecast:
    """The forecast of one objective's open period."""

    objective: str
    period: str
    at: int
    """The instant forecast from; `projection.budget_gone_at == at` when the budget is already gone."""
    end: int
    unit: str
    target: Decimal
    """The target of the version in force at `at`, which the projection is measured against."""
    projection: Projection


def forecast_objective(
    agreement: Agreement, objective: Objective, measurements: Measurements, period: PeriodResult, at: int, since: int
) -> Forecast | None:
    """The forecast of `period` (the objective's current one) at `at`; None when not forecast (module docstring).

    `since` is the earliest instant measured; the history starts at `max(since, at − 8 weeks)`.
    """
    if period.closed or objective.target is None or not isinstance(objective.window, CalendarWindow):
        return None
    history_from = max(since, at - HISTORY_US)
    series = _series(agreement, objective, measurements, history_from, at)
    if series is None:
        return None
    starts, valid, bad, unit = series
    earlier = starts + US_PER_HOUR <= period.measured_from
    prior = _prior(valid[earlier], bad[earlier], 24 * US_PER_HOUR // US_PER_MINUTE if unit == "minutes" else None)
    phi = dispersion(valid[earlier], bad[earlier])
    if unit == "minutes":
        assert period.budget is not None or period.measured_until <= period.measured_from
        so_far = Fraction(period.measured_until - period.measured_from, US_PER_MINUTE)
        down = Fraction(period.budget.consumed) if period.budget is not None else Fraction(0)
        outlook: Outlook = time_outlook(at, period.end)
    else:
        so_far, down = Fraction(int(period.valid or 0)), Fraction(int((period.valid or 0) - (period.good or 0)))
        profile = weekly_profile(starts, valid, zone(_zone_name(agreement, objective)))
        if profile is None:
            return None
        outlook = event_outlook(profile, at, period.end, zone(_zone_name(agreement, objective)))
    if so_far == 0 and outlook.total == 0:
        return None
    projection = project(objective.target, down, so_far, outlook, prior, phi)
    return Forecast(objective.name, period.period, at, period.end, unit, objective.target, projection)


def _zone_name(agreement: Agreement, objective: Objective) -> str:
    window = objective.window
    assert isinstance(window, CalendarWindow)
    return window.time_zone or agreement.spec.time_zone


def _prior(valid: Floats, bad: Floats, day_volume: int | None) -> Prior | None:
    """The history's error ratio, weighted as one day of volume (the mean day's for events)."""
    total = float(valid.sum())
    if not total:
        return None
    weight = float(day_volume) if day_volume is not None else total / valid.size * 24
    return Prior(float(bad.sum()) / total, weight)


def _series(
    agreement: Agreement, objective: Objective, measurements: Measurements, low: int, at: int
) -> tuple[Ints, Floats, Floats, str] | None:
    """Whole hours in `[low, at)`: starts, volume, bad volume and the unit; None for an objective not forecast."""
    indicator = objective.indicator
    if isinstance(indicator, AvailabilityIndicator) and indicator.from_ is AvailabilitySource.INCIDENTS:
        if objective.service_hours is not None:
            return None
        return _downtime_series(agreement, objective, indicator, measurements, low, at)
    if not isinstance(indicator, RatioIndicator | ThresholdIndicator | AvailabilityIndicator):
        return None
    if objective.budgeting.method is not BudgetingMethod.OCCURRENCES or objective.service_hours is not None:
        return None
    first = minute_floor(low)
    minutes = -(-(at - first) // US_PER_MINUTE)
    stored = measurements.counts.get(objective.name)
    if stored is not None:
        start, good_m, valid_m = stored.first_minute, stored.good, stored.valid
    else:
        table = measurements.events.get(stream_name(objective)) or EventTable.from_events([])
        valid_mask, good_mask = classify(indicator, table)
        start = first
        good_m, valid_m = bucket(table.at, good_mask, first, minutes), bucket(table.at, valid_mask, first, minutes)
    starts, valid = hourly(start, valid_m, low, at)
    _, good = hourly(start, good_m, low, at)
    return starts, valid, valid - good, "events"


def _downtime_series(
    agreement: Agreement,
    objective: Objective,
    indicator: AvailabilityIndicator,
    measurements: Measurements,
    low: int,
    at: int,
) -> tuple[Ints, Floats, Floats, str]:
    first = -(-low // US_PER_HOUR) * US_PER_HOUR
    span = (first, max(first, at - at % US_PER_HOUR))
    minutes = (span[1] - span[0]) // US_PER_MINUTE
    excluded = excluded_intervals(
        agreement.spec.exclusions, measurements.announcements, objective.name, agreement.spec.time_zone, span
    )
    incidents = measurements.incidents.get(stream_name(objective), ())
    counted = downtime(indicator, incidents, excluded, span, at).counted
    down = minute_downtime(counted, first, minutes).astype(np.float64) / US_PER_MINUTE
    starts, bad = hourly(first, down, first, span[1])
    return starts, np.full(starts.size, 60.0), bad, "minutes"
