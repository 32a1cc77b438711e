"""Evaluation results as plain, language-independent data: the JSON of the CLI, the API and stored results.

Instants are written as ISO 8601 in UTC, decimals as exact strings, ratios also as exact
percentages and as the percentage shown beside the target (`attain.model.ratio.display_ratio`:
the target's places plus one, rounded down, so a miss never reads as met). Money is an exact
decimal string with the ISO 4217 `currency` of the fee beside it.
`attain evaluate --output json`, the API's status and results, stored period results and the
periodic report's `results` all use these two functions, so they share one shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attain.engine.instant import US_PER_MINUTE, iso_utc
from attain.engine.result import Evaluation, PeriodResult
from attain.model.quantity import display_ratio, format_number, format_ratio


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


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
