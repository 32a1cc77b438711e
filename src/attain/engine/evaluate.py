"""Evaluate an agreement against measurements at an instant: the heart of attain.

`evaluate(agreement, measurements, at)` returns, for every objective, each period from `since`
(by default the agreement's effective start, local midnight in its time zone) up to `at`: the
calendar periods of a calendar window, or the one rolling window that ends at `at`. Each period
is measured on `[max(start, since), min(end, at))`; the kind of indicator decides how (see
`attain.engine.objective`). Credits are owed for closed periods only; termination rules read the
closed periods' history. Pure: `at` is an argument, nothing is read from outside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from attain.engine.credit import ObjectiveCredit, PeriodCredit, combine, objective_credit
from attain.engine.instant import from_us
from attain.engine.measurement import Measurements
from attain.engine.objective import evaluate_objective
from attain.engine.period import local_midnight
from attain.engine.result import Evaluation, ObjectiveEvaluation, Status
from attain.engine.termination import PeriodOutcome, termination_rights
from attain.model import Agreement, CalendarWindow


def evaluate(agreement: Agreement, measurements: Measurements, at: int, since: int | None = None) -> Evaluation:
    """Evaluate every objective of `agreement` at instant `at` (µs), from `since` (µs)."""
    spec = agreement.spec
    start = since if since is not None else local_midnight(spec.effective.from_, spec.time_zone)
    objectives = tuple(evaluate_objective(agreement, o, measurements, start, at) for o in spec.objectives)
    return Evaluation(
        agreement=agreement.name,
        version=spec.version,
        at=at,
        since=start,
        objectives=objectives,
        credits=tuple(period_credits(agreement, objectives)),
        termination=tuple(
            termination_rights(spec.termination.rights if spec.termination else (), _history(objectives))
        ),
    )


def period_credits(agreement: Agreement, evaluations: Sequence[ObjectiveEvaluation]) -> list[PeriodCredit]:
    """Credits per closed calendar period, all objectives with credit tiers combined.

    `evaluations` are the agreement's objectives' evaluations in its order (a version's judged
    periods only, in `attain.engine.versions`).
    """
    spec = agreement.spec
    by_period: dict[tuple[int, str], list[ObjectiveCredit]] = defaultdict(list)
    units: dict[tuple[int, str], str] = {}
    starts: dict[tuple[int, str], int] = {}
    for objective, evaluation in zip(spec.objectives, evaluations, strict=True):
        if not objective.credits or not isinstance(objective.window, CalendarWindow):
            continue
        for period in evaluation.periods:
            if period.closed:
                key = (period.end, period.period)
                part = objective_credit(objective.name, objective.credits, period.ratio, period.exact_ratio)
                by_period[key].append(part)
                units[key] = objective.window.calendar.value
                starts[key] = min(starts.get(key, period.start), period.start)
    return [
        combine(label, parts, spec.credit_policy, spec.fee, units[(end, label)], starts[(end, label)])
        for (end, label), parts in sorted(by_period.items())
    ]


def _history(evaluations: Sequence[ObjectiveEvaluation]) -> list[PeriodOutcome]:
    return [
        PeriodOutcome(e.objective, p.period, p.end, p.status is Status.BREACHED, p.ratio)
        for e in evaluations
        for p in e.periods
        if p.closed
    ]


def describe_instant(instant: int) -> str:
    """An instant as ISO 8601 UTC, for messages."""
    return from_us(instant).isoformat()
