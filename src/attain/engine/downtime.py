"""Availability from incidents: downtime per period, its burn rate and its burn-rate alerts.

Each period's downtime, less exclusions, is measured by `availability.downtime` and judged as
time: a period is certainly breached once its downtime exceeds what the whole period allows. The
burn rate is that of the hour before the evaluation instant; the alerts treat each minute's time
as valid and its downtime as bad. With service hours (`attain.engine.service_hours`) every time
above is service time: the period's, the hour's, each minute's.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from attain.engine.availability import downtime, minute_downtime
from attain.engine.budget import time_budget
from attain.engine.classify import minute_floor
from attain.engine.event_ratio import alert_states, with_burn
from attain.engine.exact import to_decimal
from attain.engine.exclusion import excluded_intervals
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE
from attain.engine.judgement import Context, budget_state, judge
from attain.engine.period import Period
from attain.engine.rate import burn_rate
from attain.engine.result import AlertState, ObjectiveEvaluation, PeriodResult
from attain.engine.service_hours import service_clock
from attain.model import AvailabilityIndicator


def evaluate_downtime(context: Context, indicator: AvailabilityIndicator, periods: list[Period]) -> ObjectiveEvaluation:
    """An availability objective fed by incidents: its periods, last hour's burn rate and alerts."""
    objective = context.objective
    results = tuple(_incidents(context, p) for p in periods)
    down, span = _recent_downtime(context, indicator)
    assert objective.target is not None
    rate = burn_rate(down, span, objective.target) if span else None
    minutes_down = to_decimal(Fraction(down, US_PER_MINUTE))
    alerts = _downtime_alerts(context, indicator, periods)
    return with_burn(ObjectiveEvaluation(objective.name, results, alerts), minutes_down, rate)


def _incidents(context: Context, period: Period) -> PeriodResult:
    objective, spec = context.objective, context.agreement.spec
    indicator = objective.indicator
    assert isinstance(indicator, AvailabilityIndicator)
    assert objective.target is not None
    window = (max(period.start, context.since), period.end)
    excluded = excluded_intervals(
        spec.exclusions, context.measurements.announcements, objective.name, spec.time_zone, window
    )
    incidents = context.measurements.incidents.get(context.stream, ())
    hours = service_clock(context.agreement, objective)
    down = downtime(indicator, incidents, excluded, window, context.at, hours)
    span = window[1] - window[0] if hours is None else hours.elapsed(*window)
    budget = time_budget(down.downtime_us, span, objective.target)
    certain = budget.overspent  # more bad time than the whole period allows
    status = judge(
        down.uptime_ratio,
        objective.target,
        closed=period.end <= context.at,
        certain_breach=certain,
        exact=down.uptime_exact,
    )
    detail = {"downtime_minutes": to_decimal(Fraction(down.downtime_us, US_PER_MINUTE)), "incidents": len(down.counted)}
    return context.result(
        period,
        status,
        "minutes",
        ratio=down.uptime_ratio,
        exact_ratio=down.uptime_exact,
        budget=budget_state(budget),
        detail=detail,
    )


def _downtime_alerts(
    context: Context, indicator: AvailabilityIndicator, periods: list[Period]
) -> tuple[AlertState, ...]:
    """Burn-rate alerts on downtime: per minute, valid is the minute's time and bad its downtime.

    The low-traffic guard counts events, so it does not apply to time.
    """
    if context.objective.alerting is None or not periods:
        return ()
    spec, objective = context.agreement.spec, context.objective
    first = minute_floor(min(max(p.start, context.since) for p in periods))
    minutes = -(-(context.at - first) // US_PER_MINUTE)
    span = (first, context.at)
    excluded = excluded_intervals(
        spec.exclusions, context.measurements.announcements, objective.name, spec.time_zone, span
    )
    hours = service_clock(context.agreement, objective)
    incidents = context.measurements.incidents.get(context.stream, ())
    down = downtime(indicator, incidents, excluded, span, context.at, hours)
    if hours is None:
        valid = np.full(minutes, US_PER_MINUTE, dtype=np.int64)
        valid[-1] = context.at - (first + (minutes - 1) * US_PER_MINUTE)
    else:
        valid = minute_downtime(hours.open_intervals(*span), first, minutes)  # service µs per minute
    good = valid - minute_downtime(down.counted, first, minutes)
    return alert_states(context, first, good, valid, guard=False)


def _recent_downtime(context: Context, indicator: AvailabilityIndicator) -> tuple[int, int]:
    """Counted downtime in the hour before the evaluation instant, and that hour's length (µs)."""
    spec, objective = context.agreement.spec, context.objective
    hour = (max(context.at - US_PER_HOUR, context.since), context.at)
    if hour[1] <= hour[0]:
        return 0, 0
    excluded = excluded_intervals(
        spec.exclusions, context.measurements.announcements, objective.name, spec.time_zone, hour
    )
    hours = service_clock(context.agreement, objective)
    incidents = context.measurements.incidents.get(context.stream, ())
    down = downtime(indicator, incidents, excluded, hour, context.at, hours)
    return down.downtime_us, down.measured_us
