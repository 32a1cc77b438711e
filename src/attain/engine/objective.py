"""One objective over its periods: how each indicator kind is measured and judged.

- ratio, threshold, availability from probes: events are classified (`classify`), counted per
  minute, and each period's buckets attain under the objective's budgeting method.
- statistic: the period's values give a statistic compared with the bound.
- availability from incidents: downtime per period, less exclusions (`availability`).
- freshness: violation time per period (`freshness`).
- case: each case is decided at its stop (met) or when it exceeds its goal (breached), and
  counts in the period containing that instant; pending cases do not count yet.

Status: a closed period is met when its ratio reaches the target, else breached; an open one is
breached only when that is already certain (time-based: more bad time than the whole period
allows), at_risk when currently below the target, met when at or above it so far.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import numpy as np

from attain.engine.availability import downtime, minute_downtime
from attain.engine.budget import Budget, attainment_budget, event_budget, time_budget, time_to_exhaustion
from attain.engine.budgeting import attain, occurrence_ratio
from attain.engine.burn_rate import alert_intervals, burn_rate, window_burn_rates
from attain.engine.business_time import clock_for
from attain.engine.case import evaluate_cases
from attain.engine.classify import Counts, bucket, classify, minute_floor
from attain.engine.exact import to_decimal
from attain.engine.exclusion import excluded_intervals
from attain.engine.filter import mask
from attain.engine.freshness import freshness
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, duration_us
from attain.engine.measurement import EventTable, Measurements, MinuteCounts
from attain.engine.period import Period, periods_between, rolling
from attain.engine.result import AlertState, BudgetState, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.statistic import statistic
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    BudgetingMethod,
    CalendarUnit,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    Objective,
    StatisticIndicator,
    stream_name,
)

NOMINAL_DAYS = {
    CalendarUnit.DAY: 1,
    CalendarUnit.WEEK: 7,
    CalendarUnit.MONTH: 30,
    CalendarUnit.QUARTER: 90,
    CalendarUnit.YEAR: 365,
}
"""The period length burn-rate factors assume for calendar windows (the SRE workbook's 30 days)."""


class Context:
    """What every period of one objective shares: the agreement, measurements and range."""

    def __init__(
        self, agreement: Agreement, objective: Objective, measurements: Measurements, since: int, at: int
    ) -> None:
        self.agreement = agreement
        self.objective = objective
        self.measurements = measurements
        self.since = since
        self.at = at
        self.stream = stream_name(objective)

    def result(self, period: Period, status: Status, unit: str, **fields: object) -> PeriodResult:
        """A period result with the shared fields filled in."""
        return PeriodResult(
            objective=self.objective.name,
            period=period.label,
            start=period.start,
            end=period.end,
            measured_from=max(period.start, self.since),
            measured_until=min(period.end, self.at),
            closed=period.end <= self.at,
            status=status,
            version=self.agreement.spec.version,
            unit=unit,
            **fields,  # type: ignore[arg-type]
        )


def objective_periods(agreement: Agreement, objective: Objective, since: int, at: int) -> list[Period]:
    """The periods of an objective from `since` to `at`: calendar periods, or the rolling window."""
    window = objective.window
    if isinstance(window, CalendarWindow):
        zone = window.time_zone or agreement.spec.time_zone
        return periods_between(window.calendar, zone, since, at, window.week_start)
    return [rolling(duration_us(window.rolling), at)] if at > since else []


def nominal_period(objective: Objective) -> int:
    """The period length burn-rate factors use: the rolling length, or the unit's nominal days."""
    window = objective.window
    if isinstance(window, CalendarWindow):
        return NOMINAL_DAYS[window.calendar] * US_PER_DAY
    return duration_us(window.rolling)


def judge(ratio: Decimal | None, target: Decimal, *, closed: bool, certain_breach: bool = False) -> Status:
    """The status of a period from its ratio (see the module docstring)."""
    if ratio is None:
        return Status.NO_DATA
    if ratio >= target:
        return Status.MET
    if closed or certain_breach:
        return Status.BREACHED
    return Status.AT_RISK


def evaluate_objective(
    agreement: Agreement, objective: Objective, measurements: Measurements, since: int, at: int
) -> ObjectiveEvaluation:
    """Evaluate one objective over all its periods in `[since, at)`."""
    context = Context(agreement, objective, measurements, since, at)
    periods = objective_periods(agreement, objective, since, at)
    indicator = objective.indicator
    if isinstance(indicator, StatisticIndicator):
        return ObjectiveEvaluation(objective.name, tuple(_statistic(context, p) for p in periods))
    if isinstance(indicator, AvailabilityIndicator) and indicator.from_ is AvailabilitySource.INCIDENTS:
        results = tuple(_incidents(context, p) for p in periods)
        down, span = _recent_downtime(context, indicator)
        assert objective.target is not None
        rate = burn_rate(down, span, objective.target) if span else None
        minutes_down = to_decimal(Fraction(down, US_PER_MINUTE))
        alerts = _downtime_alerts(context, indicator, periods)
        return _with_burn(ObjectiveEvaluation(objective.name, results, alerts), minutes_down, rate)
    if isinstance(indicator, FreshnessIndicator):
        return ObjectiveEvaluation(objective.name, tuple(_freshness(context, p) for p in periods))
    if isinstance(indicator, CaseIndicator):
        return _cases(context, periods)
    return _events(context, periods)


def _table(context: Context) -> EventTable:
    table = context.measurements.events.get(context.stream)
    return table if table is not None else EventTable.from_events([])


def _events(context: Context, periods: list[Period]) -> ObjectiveEvaluation:
    """Ratio, threshold and probe objectives: per-minute buckets, budgeting per period, alerts."""
    objective, table = context.objective, _table(context)
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
    results = []
    for period in periods:
        low = (minute_floor(max(period.start, context.since)) - first) // US_PER_MINUTE
        high = -(-(min(period.end, context.at) - first) // US_PER_MINUTE)
        attainment = attain(good_counts[low:high], valid_counts[low:high], objective.budgeting)
        budget = attainment_budget(attainment, objective.target) if attainment.valid else None
        results.append(
            context.result(
                period,
                judge(attainment.ratio, objective.target, closed=period.end <= context.at),
                attainment.unit,
                good=Decimal(attainment.good),
                valid=Decimal(attainment.valid),
                ratio=attainment.ratio,
                budget=_state(budget),
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
    alerts = _alerts(context, first, good_counts, valid_counts)
    rates = window_burn_rates(objective.alerting, first, good_counts, valid_counts, objective.target)
    evaluation = ObjectiveEvaluation(objective.name, tuple(results), alerts, burn_rates=rates)
    return _with_burn(evaluation, burn, rate)


def _window(stored: MinuteCounts, first: int, minutes: int) -> tuple[Counts, Counts]:
    """Stored counts re-based to start at minute `first` and run `minutes` long (zeros elsewhere)."""
    good, valid = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    offset = (stored.first_minute - first) // US_PER_MINUTE
    low, high = max(0, offset), min(minutes, offset + stored.good.size)
    if low < high:
        good[low:high] = stored.good[low - offset : high - offset]
        valid[low:high] = stored.valid[low - offset : high - offset]
    return good, valid


def _with_burn(evaluation: ObjectiveEvaluation, burn: Decimal | None, rate: Decimal | None) -> ObjectiveEvaluation:
    """Add the last hour's burn rate, its burn, and the current budget's time to exhaustion at that burn."""
    evaluation = replace(evaluation, burn_rate=rate)
    current = evaluation.current
    if burn is None or current is None or current.budget is None:
        return evaluation
    exhaustion = time_to_exhaustion(current.budget.remaining, burn)
    return replace(evaluation, burn_per_hour=burn, exhaustion=exhaustion)


def _state(budget: Budget | None) -> BudgetState | None:
    if budget is None:
        return None
    return BudgetState(budget.unit, budget.allowed, budget.consumed, budget.remaining)


def _alerts(context: Context, first: int, good: Counts, valid: Counts, *, guard: bool = True) -> tuple[AlertState, ...]:
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


def _statistic(context: Context, period: Period) -> PeriodResult:
    indicator = context.objective.indicator
    assert isinstance(indicator, StatisticIndicator)
    table = _table(context)
    low, high = max(period.start, context.since), min(period.end, context.at)
    chosen = (
        mask(table.columns, table.size, indicator.where, indicator.where_not) & (table.at >= low) & (table.at < high)
    )
    values = [v for v, keep in zip(table.values, chosen.tolist(), strict=True) if keep and v is not None]
    result = statistic(indicator, values)
    closed = period.end <= context.at
    status = (
        Status.NO_DATA
        if result.met is None
        else (Status.MET if result.met else (Status.BREACHED if closed else Status.AT_RISK))
    )
    return context.result(period, status, "statistic", valid=Decimal(result.count), statistic=result.value)


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
    down = downtime(indicator, incidents, excluded, window, context.at)
    span = window[1] - window[0]
    budget = time_budget(down.downtime_us, span, objective.target)
    certain = budget.overspent  # more bad time than the whole period allows
    status = judge(down.uptime_ratio, objective.target, closed=period.end <= context.at, certain_breach=certain)
    detail = {"downtime_minutes": to_decimal(Fraction(down.downtime_us, US_PER_MINUTE)), "incidents": len(down.counted)}
    return context.result(period, status, "minutes", ratio=down.uptime_ratio, budget=_state(budget), detail=detail)


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
    down = downtime(indicator, context.measurements.incidents.get(context.stream, ()), excluded, span, context.at)
    valid = np.full(minutes, US_PER_MINUTE, dtype=np.int64)
    valid[-1] = context.at - (first + (minutes - 1) * US_PER_MINUTE)
    good = valid - minute_downtime(down.counted, first, minutes)
    return _alerts(context, first, good, valid, guard=False)


def _recent_downtime(context: Context, indicator: AvailabilityIndicator) -> tuple[int, int]:
    """Counted downtime in the hour before the evaluation instant, and that hour's length (µs)."""
    spec, objective = context.agreement.spec, context.objective
    hour = (max(context.at - US_PER_HOUR, context.since), context.at)
    if hour[1] <= hour[0]:
        return 0, 0
    excluded = excluded_intervals(
        spec.exclusions, context.measurements.announcements, objective.name, spec.time_zone, hour
    )
    down = downtime(indicator, context.measurements.incidents.get(context.stream, ()), excluded, hour, context.at)
    return down.downtime_us, hour[1] - hour[0]


def _freshness(context: Context, period: Period) -> PeriodResult:
    objective = context.objective
    indicator = objective.indicator
    assert isinstance(indicator, FreshnessIndicator)
    assert objective.target is not None
    window = (max(period.start, context.since), period.end)
    fresh = freshness(indicator, _table(context), window, context.at, context.since)
    span = window[1] - window[0]
    budget = time_budget(fresh.violation_us, span, objective.target)
    status = judge(fresh.ratio, objective.target, closed=period.end <= context.at, certain_breach=budget.overspent)
    detail = {"violations": len(fresh.violations), "open_violation": fresh.open_violation}
    return context.result(period, status, "minutes", ratio=fresh.ratio, budget=_state(budget), detail=detail)


def _cases(context: Context, periods: list[Period]) -> ObjectiveEvaluation:
    objective, spec = context.objective, context.agreement.spec
    indicator = objective.indicator
    assert isinstance(indicator, CaseIndicator)
    assert objective.target is not None
    clock = clock_for(indicator, spec.calendars)
    outcomes = [
        o
        for o in evaluate_cases(indicator, clock, context.measurements.cases.get(context.stream, ()), context.at)
        if o.valid
    ]
    results = []
    for period in periods:
        low, high = max(period.start, context.since), min(period.end, context.at)
        # A breach decided exactly at `at` (elapsed reaches an `lt` goal then) belongs to the open period.
        last = high + 1 if period.end > context.at else high
        decided = [o for o in outcomes if o.decided_at is not None and low <= o.decided_at < last]
        met = sum(1 for o in decided if o.met)
        ratio = occurrence_ratio(met, len(decided))
        pending = sum(1 for o in outcomes if o.met is None and o.started is not None and o.started < high)
        spent = event_budget(len(decided) - met, len(decided), objective.target)
        budget = BudgetState("cases", spent.allowed, spent.consumed, spent.remaining)
        results.append(
            context.result(
                period,
                judge(ratio, objective.target, closed=period.end <= context.at),
                "cases",
                good=Decimal(met),
                valid=Decimal(len(decided)),
                ratio=ratio,
                budget=budget if decided else None,
                detail={"pending": pending, "breached": len(decided) - met},
            )
        )
    return ObjectiveEvaluation(objective.name, tuple(results))
