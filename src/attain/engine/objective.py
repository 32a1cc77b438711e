"""One objective over its periods: how each indicator kind is measured and judged.

- ratio, threshold, availability from probes: events are classified (`classify`), counted per
  minute, and each period's buckets attain under the objective's budgeting method (`event_ratio`).
- statistic: the period's values give a statistic compared with the bound.
- with service hours (`serviceHours`), only time and events inside them count (`service_hours`).
- availability from incidents: downtime per period, less exclusions (`downtime`, `availability`).
- freshness: violation time per period (`freshness`).
- case: each case is decided at its stop (met) or when it exceeds its goal (breached), and
  counts in the period containing that instant; pending cases do not count yet.

The periods and the status rule every kind shares are in `judgement`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from attain.engine.budget import event_budget, time_budget
from attain.engine.business_time import clock_for
from attain.engine.case import evaluate_cases
from attain.engine.downtime import evaluate_downtime
from attain.engine.event_ratio import evaluate_events
from attain.engine.filter import mask
from attain.engine.freshness import freshness
from attain.engine.judgement import Context, budget_state, judge, objective_periods
from attain.engine.measurement import Measurements
from attain.engine.period import Period
from attain.engine.rate import occurrence_ratio
from attain.engine.result import BudgetState, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.service_hours import inside, service_clock
from attain.engine.statistic import statistic
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    CaseIndicator,
    FreshnessIndicator,
    MissingStatistic,
    Objective,
    StatisticIndicator,
)


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
        return evaluate_downtime(context, indicator, periods)
    if isinstance(indicator, FreshnessIndicator):
        return ObjectiveEvaluation(objective.name, tuple(_freshness(context, p) for p in periods))
    if isinstance(indicator, CaseIndicator):
        return _cases(context, periods)
    return evaluate_events(context, periods)


def _statistic(context: Context, period: Period) -> PeriodResult:
    indicator = context.objective.indicator
    assert isinstance(indicator, StatisticIndicator)
    table = context.table()
    low, high = max(period.start, context.since), min(period.end, context.at)
    chosen = (
        mask(table.columns, table.size, indicator.where, indicator.where_not) & (table.at >= low) & (table.at < high)
    )
    hours = service_clock(context.agreement, context.objective)
    if hours is not None:  # only events stamped inside service hours count
        chosen &= inside(hours, table.at)
    kept = [v for v, keep in zip(table.values, chosen.tolist(), strict=True) if keep]
    values = [v for v in kept if v is not None]
    result = statistic(indicator, values, missing=len(kept) - len(values))
    closed = period.end <= context.at
    status = (
        Status.NO_DATA
        if result.met is None
        else (Status.MET if result.met else (Status.BREACHED if closed else Status.AT_RISK))
    )
    detail: dict[str, object] = {}
    if indicator.missing is not MissingStatistic.IGNORE:
        detail = {"missing": len(kept) - len(values), "beyond_measured": result.beyond}
    return context.result(
        period, status, "statistic", valid=Decimal(result.count), statistic=result.value, detail=detail
    )


def _freshness(context: Context, period: Period) -> PeriodResult:
    objective = context.objective
    indicator = objective.indicator
    assert isinstance(indicator, FreshnessIndicator)
    assert objective.target is not None
    window = (max(period.start, context.since), period.end)
    fresh = freshness(indicator, context.table(), window, context.at, context.since)
    span = window[1] - window[0]
    budget = time_budget(fresh.violation_us, span, objective.target)
    status = judge(
        fresh.ratio,
        objective.target,
        closed=period.end <= context.at,
        certain_breach=budget.overspent,
        exact=fresh.exact,
    )
    detail = {"violations": len(fresh.violations), "open_violation": fresh.open_violation}
    return context.result(
        period,
        status,
        "minutes",
        ratio=fresh.ratio,
        exact_ratio=fresh.exact,
        budget=budget_state(budget),
        detail=detail,
        longest_gap=fresh.longest,
        gaps_over=fresh.over,
    )


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
        exact = Fraction(met, len(decided)) if decided else None
        pending = sum(1 for o in outcomes if o.met is None and o.started is not None and o.started < high)
        spent = event_budget(len(decided) - met, len(decided), objective.target)
        budget = BudgetState("cases", spent.allowed, spent.consumed, spent.remaining)
        results.append(
            context.result(
                period,
                judge(ratio, objective.target, closed=period.end <= context.at, exact=exact),
                "cases",
                good=Decimal(met),
                valid=Decimal(len(decided)),
                ratio=ratio,
                exact_ratio=exact,
                budget=budget if decided else None,
                detail={"pending": pending, "breached": len(decided) - met},
            )
        )
    return ObjectiveEvaluation(objective.name, tuple(results), cases=tuple(outcomes))
