"""Evaluating an agreement with several versions: each period judged by the version then in force.

A period is judged by the version in force at its start (a version that takes effect in the
middle of a period applies from the next period, so a period is never judged by two versions);
the rolling window ending at `at` by the version in force at `at`. Credits follow the version
that judged their period; termination rules are the latest version's, read over the whole
history. An earlier version's periods are never re-judged by a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from attain.engine.evaluate import evaluate
from attain.engine.measurement import Measurements
from attain.engine.result import Evaluation, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.termination import PeriodOutcome, termination_rights
from attain.model import Agreement, CalendarWindow


@dataclass(frozen=True)
class InForce:
    """An agreement version and the instants `[start, end)` it is in force (`end` None: open)."""

    agreement: Agreement
    start: int
    end: int | None

    def holds(self, instant: int) -> bool:
        """Whether this version is in force at `instant`."""
        return self.start <= instant and (self.end is None or instant < self.end)


def evaluate_versions(versions: Sequence[InForce], measurements: Measurements, at: int, since: int) -> Evaluation:
    """Evaluate every version over the range and keep, per period, the judgement of the version in force."""
    if not versions:
        raise ValueError("no agreement version to evaluate")
    kept: dict[str, list[PeriodResult]] = {}
    alerts: dict[str, ObjectiveEvaluation] = {}
    owed = []
    for version in versions:
        evaluation = evaluate(version.agreement, measurements, at, since)
        labels: set[str] = set()
        for objective, result in zip(version.agreement.objectives, evaluation.objectives, strict=True):
            rolling = not isinstance(objective.window, CalendarWindow)
            mine = [p for p in result.periods if version.holds(at if rolling else p.start)]
            kept.setdefault(objective.name, []).extend(mine)
            labels.update(p.period for p in mine)
            if version.holds(at):
                alerts[objective.name] = result
        owed += [c for c in evaluation.credits if c.period in labels]
    latest = versions[-1].agreement
    objectives = tuple(_objective(name, periods, alerts.get(name)) for name, periods in kept.items())
    history = [
        PeriodOutcome(o.objective, p.period, p.end, p.status is Status.BREACHED, p.ratio)
        for o in objectives
        for p in o.periods
        if p.closed
    ]
    rules = latest.spec.termination.rights if latest.spec.termination else ()
    return Evaluation(
        agreement=latest.name,
        version=next((v for v in versions if v.holds(at)), versions[-1]).agreement.spec.version,
        at=at,
        since=since,
        objectives=objectives,
        credits=tuple(sorted(owed, key=lambda c: c.period)),
        termination=tuple(termination_rights(rules, history)),
    )


def _objective(name: str, periods: list[PeriodResult], current: ObjectiveEvaluation | None) -> ObjectiveEvaluation:
    ordered = tuple(sorted(periods, key=lambda p: p.start))
    if current is None:
        return ObjectiveEvaluation(name, ordered)
    return ObjectiveEvaluation(
        name, ordered, current.alerts, current.burn_per_hour, current.exhaustion, current.burn_rate, current.burn_rates
    )
