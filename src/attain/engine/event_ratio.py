"""Ratio, threshold and probe objectives: good over valid events, counted per minute.

Events are classified (`classify`) and counted per minute, or the stored minute counts are
re-based onto the evaluation's minutes; each period's minutes then attain under the objective's
budgeting method (`budgeting.attain`). The last hour gives the burn rate (and, for occurrences,
the burn per hour and the budget's time to exhaustion at it), and the minutes feed the
multi-window multi-burn-rate alerts (`burn_rate`), which downtime alerts share (`alert_states`).
With service hours, minutes outside them hold no events (`attain.engine.service_hours`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np

from attain.engine.budget import attainment_budget, time_to_exhaustion
from attain.engine.budgeting import attain
from attain.engine.burn_rate import alert_intervals, window_burn_rates
from attain.engine.classify import Counts, bucket, classify, minute_floor
from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.engine.judgement import Context, budget_state, judge, nominal_period
from attain.engine.measurement import MinuteCounts
from attain.engine.period import Period
from attain.engine.rate import burn_rate
from attain.engine.result import AlertState, ObjectiveEvaluation
from attain.engine.service_hours import minute_mask, service_clock
from attain.model import BudgetingMethod, CaseIndicator, FreshnessIndicator, StatisticIndicator


def evaluate_events(context: Context, periods: list[Period]) -> ObjectiveEvaluation:
    """Ratio, threshold and probe objectives: per-minute buckets, budgeting per period, alerts."""
    objective, table = context.objective, context.table()
    assert objective.target is not None
    indicator = objective.indicator
    assert not isinstance(indicator, StatisticIndicator | FreshnessIndicator | CaseIndicator)
    lowest = min((max(p.start, context.since) for p in periods), default=context.since)
    first = minute_floor(lowest)
    minutes = -(-(context.at - first) // US_PER_MINUTE)
    stored = context.measurements.counts.get(objective.name)
    if stored is not None:
        good_counts, valid_counts = _window(stored, first, minutes)
    else:
        valid, good = classify(indicator, table)
        known = (table.at >= lowest) & (table.at < context.at)
        good_counts = bucket(table.at, good & known, first, minutes)
        valid_counts = bucket(table.at, valid & known, first, minutes)
    hours = service_clock(context.agreement, objective)
    if hours is not None:  # only events stamped inside service hours count
        mask = minute_mask(hours, first, minutes)
        good_counts, valid_counts = good_counts * mask, valid_counts * mask
    results = []
    for period in periods:
        low = (minute_floor(max(period.start, context.since)) - first) // US_PER_MINUTE
        high = -(-(min(period.end, context.at) - first) // US_PER_MINUTE)
        attainment = attain(good_counts[low:high], valid_counts[low:high], objective.budgeting)
        budget = attainment_budget(attainment, objective.target) if attainment.valid else None
        results.append(
            context.result(
                period,
                judge(attainment.ratio, objective.target, closed=period.end <= context.at, exact=attainment.exact),
                attainment.unit,
                good=Decimal(attainment.good),
                valid=Decimal(attainment.valid),
                ratio=attainment.ratio,
                exact_ratio=attainment.exact,
                budget=budget_state(budget),
            )
        )
    burn, rate = None, None
    if minutes:
        last_hour = slice(max(0, minutes - 60), minutes)
        valid_hour = int(valid_counts[last_hour].sum())
        bad_hour = valid_hour - int(good_counts[last_hour].sum())
        rate = burn_rate(bad_hour, valid_hour, objective.target)
        if objective.budgeting.method is BudgetingMethod.OCCURRENCES:
            burn = Decimal(bad_hour)
    alerts = alert_states(context, first, good_counts, valid_counts)
    rates = window_burn_rates(objective.alerting, first, good_counts, valid_counts, objective.target)
    evaluation = ObjectiveEvaluation(objective.name, tuple(results), alerts, burn_rates=rates)
    return with_burn(evaluation, burn, rate)


def _window(stored: MinuteCounts, first: int, minutes: int) -> tuple[Counts, Counts]:
    """Stored counts re-based to start at minute `first` and run `minutes` long (zeros elsewhere)."""
    good, valid = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    offset = (stored.first_minute - first) // US_PER_MINUTE
    low, high = max(0, offset), min(minutes, offset + stored.good.size)
    if low < high:
        good[low:high] = stored.good[low - offset : high - offset]
        valid[low:high] = stored.valid[low - offset : high - offset]
    return good, valid


def with_burn(evaluation: ObjectiveEvaluation, burn: Decimal | None, rate: Decimal | None) -> ObjectiveEvaluation:
    """Add the last hour's burn rate, its burn, and the current budget's time to exhaustion at that burn."""
    evaluation = replace(evaluation, burn_rate=rate)
    current = evaluation.current
    if burn is None or current is None or current.budget is None:
        return evaluation
    exhaustion = time_to_exhaustion(current.budget.remaining, burn)
    return replace(evaluation, burn_per_hour=burn, exhaustion=exhaustion)


def alert_states(
    context: Context, first: int, good: Counts, valid: Counts, *, guard: bool = True
) -> tuple[AlertState, ...]:
    """The objective's burn-rate alerts over per-minute counts from minute `first`.

    `guard` applies the policy's low-traffic guard (a minimum of events), which counts events
    and so does not apply to time.
    """
    policy, objective = context.objective.alerting, context.objective
    if policy is None or objective.target is None or good.size == 0:
        return ()
    least = policy.minimum_events if guard else 0
    firings = alert_intervals(
        first, good, valid, objective.target, policy.effective_tiers, nominal_period(objective), least
    )
    series_end = first + good.size * US_PER_MINUTE  # an interval ending here cleared at the last minute end
    return tuple(
        AlertState(
            f.tier.severity,
            duration_us(f.tier.long_window),
            duration_us(f.tier.short_window),
            f.factor,
            tuple(f.intervals),
            bool(f.intervals) and f.intervals[-1][1] > series_end,
        )
        for f in firings
    )
