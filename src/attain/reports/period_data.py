"""The periodic report as plain data, for `--format json`: stable, language-independent, documented.

The shape is described in docs/reports.md and pinned by a golden test. Instants are ISO 8601
in UTC, days are local dates, decimals are exact strings, ratios are also given as percentages.
Each period result has the same shape as in `attain evaluate --output json`. An objective's
`days`, `consumed` and `excluded` cover its window (`consumed.start`/`end`): the calendar period,
or for a rolling objective the rolling window of its result, so the causes add up to its budget.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attain.engine.case import CaseOutcome, CaseState
from attain.engine.instant import US_PER_MINUTE, Interval, iso_utc
from attain.formats.results import case_data, period_data
from attain.model.quantity import format_number, format_ratio
from attain.reports.period import ObjectiveReport, PeriodReport

SCHEMA = "attain/period-report/v1"
"""Names the shape; a change that is not backwards compatible gets a new version."""


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def _intervals(intervals: tuple[Interval, ...]) -> list[dict[str, Any]]:
    return [
        {"start": iso_utc(s), "end": iso_utc(e), "minutes": format_number(Decimal(e - s) / US_PER_MINUTE)}
        for s, e in intervals
    ]


def budget_used(report: ObjectiveReport) -> Decimal | None:
    """Share of the period's error budget consumed (above 1 when overspent); None without a budget."""
    result = report.result
    if result is None or result.budget is None or result.budget.allowed <= 0:
        return None
    return result.budget.consumed / result.budget.allowed


def at_risk(cases: tuple[CaseOutcome, ...]) -> list[CaseOutcome]:
    """The open or paused cases at risk, nearest their due instant first (paused ones, without one, last)."""
    return sorted((c for c in cases if c.at_risk), key=lambda c: (c.due is None, c.due or 0, c.case))


def _cases(cases: tuple[CaseOutcome, ...] | None) -> dict[str, Any] | None:
    if cases is None:
        return None
    return {
        "counts": {state.value: sum(1 for c in cases if c.state is state) for state in CaseState},
        "atRisk": [case_data(c) for c in at_risk(cases)],
    }


def objective_data(report: ObjectiveReport) -> dict[str, Any]:
    """One objective's part of the report as plain data."""
    objective, used = report.objective, budget_used(report)
    return {
        "objective": objective.name,
        "title": objective.title or objective.name,
        "kind": objective.indicator.kind,
        "target": _number(objective.target),
        "results": [period_data(r) for r in report.results],
        "budgetUsed": _number(used),
        "budgetUsedPercent": None if used is None else format_ratio(used),
        "days": [
            {
                "day": d.day.isoformat(),
                "status": d.result.status.value,
                "ratio": _number(d.result.ratio),
                "statistic": _number(d.result.statistic),
                "budgetConsumed": None if d.result.budget is None else _number(d.result.budget.consumed),
                "budgetRemaining": _number(left),
            }
            for d, left in zip(report.days, report.remaining, strict=True)
        ],
        "consumed": {
            "start": iso_utc(report.span[0]),
            "end": iso_utc(report.span[1]),
            "downtime": _intervals(report.consumption.downtime),
            "violations": _intervals(report.consumption.violations),
            "breachedCases": [
                {
                    "case": c.case,
                    "priority": c.priority,
                    "goalMinutes": None if c.goal is None else format_number(Decimal(c.goal) / US_PER_MINUTE),
                    "elapsedMinutes": format_number(Decimal(c.elapsed) / US_PER_MINUTE),
                    "breachedAt": None if c.decided_at is None else iso_utc(c.decided_at),
                }
                for c in report.consumption.breached_cases
            ],
        },
        "excluded": _intervals(report.consumption.excluded),
        "trend": [{"period": p.period, "status": p.status.value, "ratio": _number(p.ratio)} for p in report.trend],
        "daysWithoutData": [d.isoformat() for d in report.days_without_data],
        "cases": _cases(report.cases),
    }


def report_data(report: PeriodReport) -> dict[str, Any]:
    """The whole periodic report as plain data."""
    spec = report.agreement.spec
    credit = report.credit
    return {
        "schema": SCHEMA,
        "agreement": report.agreement.name,
        "title": spec.title,
        "version": spec.version,
        "status": spec.status.value,
        "period": report.label,
        "unit": report.unit.value,
        "start": iso_utc(report.start),
        "end": iso_utc(report.end),
        "timeZone": spec.time_zone,
        "at": None if report.at is None else iso_utc(report.at),
        "objectives": [objective_data(o) for o in report.objectives],
        "credit": None
        if credit is None
        else {
            "share": format_ratio(credit.share),
            "amount": _number(credit.amount),
            "payable": _number(credit.payable),
            "currency": spec.fee.currency if spec.fee else None,
            "objectives": {p.objective: format_ratio(p.share) for p in credit.parts},
        },
        "termination": [
            {
                "objective": g.objective,
                "grants": g.rule.grants.value,
                "grantedAt": iso_utc(g.granted_at),
                "periods": list(g.periods),
            }
            for g in report.grants
        ],
        "dataQuality": {"adjustments": report.adjustments}
        | ({} if report.chain is None else {"auditChain": {"position": report.chain[0], "hash": report.chain[1]}}),
    }
