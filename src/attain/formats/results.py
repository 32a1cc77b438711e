"""Evaluation results as plain, language-independent data: the JSON of the CLI, the API and stored results.

Instants are written as ISO 8601 in UTC, decimals as exact strings, ratios also as exact
percentages and as the percentage shown beside the target (`attain.model.ratio.display_ratio`:
the target's places plus one, rounded down, so a miss never reads as met). Money is an exact
decimal string with the ISO 4217 `currency` of the fee beside it.
`attain evaluate --output json`, the API's status and results, stored period results and the
periodic report's `results` all use these two functions, so they share one shape. Durations are
minutes as exact decimal text (`quotient` of microseconds: exact when it terminates within 28
digits). A freshness period adds its `gaps`, a case objective its `cases` (`gap_data`,
`cases_data`); both are null for other kinds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attain.engine.case import CaseOutcome, CaseState
from attain.engine.exact import quotient
from attain.engine.freshness import Gap
from attain.engine.instant import US_PER_MINUTE, iso_utc
from attain.engine.result import Evaluation, PeriodResult
from attain.model.quantity import display_ratio, format_number, format_ratio


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def minutes(us: int) -> str:
    """Microseconds as minutes, exact decimal text."""
    return format_number(quotient(us, US_PER_MINUTE))


def _instant(us: int | None) -> str | None:
    return None if us is None else iso_utc(us)


def gap_data(gap: Gap) -> dict[str, Any]:
    """One freshness gap: its edges, length, excess over `maxGap` (whole, and inside the period)."""
    return {
        "start": iso_utc(gap.start),
        "end": iso_utc(gap.end),
        "minutes": minutes(gap.length),
        "excessMinutes": minutes(gap.excess),
        "countedMinutes": minutes(gap.counted),
        "fromEvent": gap.from_event,
        "open": gap.open,
    }


def case_data(case: CaseOutcome) -> dict[str, Any]:
    """One case at the evaluation instant: state, clock, goal, elapsed, remaining, share used, due, warnings.

    `warnings` has one entry per `warnAt` share with the instant the elapsed time reached it (null
    while short of it); `warning` is the highest share reached by an open or paused case.
    """
    used, warning = case.used, case.warning
    return {
        "case": case.case,
        "priority": case.priority,
        "state": case.state.value,
        "clock": case.clock_state.value,
        "atRisk": case.at_risk,
        "started": _instant(case.started),
        "stopped": _instant(case.stopped),
        "goalMinutes": None if case.goal is None else minutes(case.goal),
        "elapsedMinutes": minutes(case.elapsed),
        "remainingMinutes": None if case.remaining is None else minutes(case.remaining),
        "used": _number(used),
        "usedPercent": None if used is None else format_ratio(used),
        "due": _instant(case.due),
        "decidedAt": _instant(case.decided_at),
        "warning": _number(warning),
        "warningPercent": None if warning is None else format_ratio(warning),
        "warnings": [
            {"share": _number(share), "percent": format_ratio(share), "reachedAt": _instant(reached)}
            for share, reached in case.warnings
        ],
    }


def cases_data(cases: tuple[CaseOutcome, ...] | None) -> dict[str, Any] | None:
    """A case objective's cases: how many per state, how many at risk, and each case; None for other kinds."""
    if cases is None:
        return None
    return {
        "counts": {state.value: sum(1 for c in cases if c.state is state) for state in CaseState},
        "atRisk": sum(1 for c in cases if c.at_risk),
        "items": [case_data(c) for c in cases],
    }


def period_data(period: PeriodResult) -> dict[str, Any]:
    """One period result as plain data.

    Args:
        period: one objective's result in one period.

    Returns:
        The period's edges, status, counts, ratio, budget and details; `None` where not measured.
    """
    budget = period.budget
    return {
        "period": period.period,
        "start": iso_utc(period.start),
        "end": iso_utc(period.end),
        "measuredFrom": iso_utc(period.measured_from),
        "measuredUntil": iso_utc(period.measured_until),
        "closed": period.closed,
        "partial": period.partial,
        "status": period.status.value,
        "version": period.version,
        "unit": period.unit,
        "good": _number(period.good),
        "valid": _number(period.valid),
        "ratio": _number(period.ratio),
        "percent": None if period.ratio is None else format_ratio(period.ratio),
        "percentDisplay": None if period.ratio is None else display_ratio(period.ratio, period.target),
        "target": _number(period.target),
        "targetPercent": None if period.target is None else format_ratio(period.target),
        "statistic": _number(period.statistic),
        "budget": None
        if budget is None
        else {
            "unit": budget.unit,
            "allowed": _number(budget.allowed),
            "consumed": _number(budget.consumed),
            "remaining": _number(budget.remaining),
        },
        "detail": {k: _number(v) if isinstance(v, Decimal) else v for k, v in period.detail.items()},
        "gaps": None
        if period.gaps_over is None
        else {
            "longest": None if period.longest_gap is None else gap_data(period.longest_gap),
            "over": [gap_data(g) for g in period.gaps_over],
        },
    }


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """The whole evaluation as plain data.

    Args:
        evaluation: an agreement evaluated at an instant.

    Returns:
        Per objective its periods, burn rates and alerts; the credits and termination rights.
    """
    return {
        "agreement": evaluation.agreement,
        "version": evaluation.version,
        "at": iso_utc(evaluation.at),
        "since": iso_utc(evaluation.since),
        "breached": evaluation.breached,
        "objectives": [
            {
                "objective": o.objective,
                "burnRate1h": _number(o.burn_rate),
                "burnRates": [
                    {"windowMinutes": window // US_PER_MINUTE, "burnRate": _number(rate)}
                    for window, rate in o.burn_rates
                ],
                "burnPerHour": _number(o.burn_per_hour),
                "exhaustionSeconds": None if o.exhaustion is None else int(o.exhaustion.total_seconds()),
                "periods": [period_data(p) for p in o.periods],
                "alerts": [
                    {
                        "severity": a.severity,
                        "longWindowMinutes": a.long_window // US_PER_MINUTE,
                        "shortWindowMinutes": a.short_window // US_PER_MINUTE,
                        "factor": _number(a.factor),
                        "firing": a.firing,
                        "intervals": [[iso_utc(s), iso_utc(e)] for s, e in a.intervals],
                    }
                    for a in o.alerts
                ],
                "cases": cases_data(o.cases),
            }
            for o in evaluation.objectives
        ],
        "credits": [
            {
                "period": c.period,
                "share": format_ratio(c.share),
                "amount": _number(c.amount),
                "payable": _number(c.payable),
                "currency": c.currency,
                "objectives": {p.objective: format_ratio(p.share) for p in c.parts},
                "triggeredBy": list(c.triggered_by),
            }
            for c in evaluation.credits
        ],
        "termination": [
            {
                "objective": g.objective,
                "grants": g.rule.grants.value,
                "grantedAt": iso_utc(g.granted_at),
                "periods": list(g.periods),
            }
            for g in evaluation.termination
        ],
    }
