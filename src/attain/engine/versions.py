"""Agreement versions in time, and evaluating an agreement with several versions.

The pure rules of versions (loading them from a store is `attain.lifecycle.versions`):

- Effective dates rise strictly with the version number, so version order is effective order; a
  new version ends the latest one on the day before its own effective date (`supersede`).
- A version is in force from the local midnight that begins its effective date, in its own time
  zone, until the next version's start (`in_force`); `version_at` finds the one in force at an
  instant.

Evaluating: a period is judged by the version in force at its start (a version that takes effect
in the middle of a period applies from the next period, so a period is never judged by two
versions), and a period that began before the first version took effect (the partial first
period) by the first version; the rolling window ending at `at` by the version in force at `at`.
Credits follow the version that judged their period: each version's credits are combined from
the periods it judged only (a period of its windows that began under an earlier version owes
nothing under it, even when a period it did judge has the same label); termination rules are those
of the version in force at `at` (a version agreed but not yet in force grants nothing yet), read
over the whole history. An earlier version's periods are never re-judged by a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from attain.engine.evaluate import evaluate, period_credits
from attain.engine.measurement import Measurements
from attain.engine.period import local_midnight
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


def supersede(name: str, latest: int, latest_from: date, effective_from: date) -> date:
    """The last day of version `latest` (effective on `latest_from`) once a new version takes effect.

    Args:
        name: The agreement's name, for the error message.
        latest: The number of the latest stored version.
        latest_from: The latest version's effective date.
        effective_from: The new version's effective date.

    Returns:
        The day before `effective_from`: the latest version's `effective_until`.

    Raises:
        ValueError: `effective_from` is on or before `latest_from` (effective dates must rise with
            the version number).
    """
    if effective_from <= latest_from:
        raise ValueError(
            f"agreement {name!r}: the new version takes effect on {effective_from.isoformat()}, on or before "
            f"version {latest} ({latest_from.isoformat()}); give it an effective date after {latest_from.isoformat()}"
        )
    return effective_from - timedelta(days=1)


def effective_start(agreement: Agreement) -> int:
    """The instant a version takes effect: the local midnight that begins its effective date (µs)."""
    return local_midnight(agreement.spec.effective.from_, agreement.spec.time_zone)


def in_force(agreements: Sequence[Agreement]) -> list[InForce]:
    """Versions (in version order, oldest first) with the instants `[start, end)` each is in force.

    Each from its `effective_start` until the next version's; the latest stays open.
    """
    starts = [effective_start(a) for a in agreements]
    return [InForce(a, s, e) for a, s, e in zip(agreements, starts, [*starts[1:], None], strict=True)]


def version_at(versions: Sequence[InForce], instant: int) -> InForce | None:
    """The version in force at `instant` (None before the first version takes effect)."""
    return next((v for v in versions if v.holds(instant)), None)


def evaluate_versions(versions: Sequence[InForce], measurements: Measurements, at: int, since: int) -> Evaluation:
    """Evaluate every version over the range and keep, per period, the judgement of the version in force."""
    if not versions:
        raise ValueError("no agreement version to evaluate")
    kept: dict[str, list[PeriodResult]] = {}
    alerts: dict[str, ObjectiveEvaluation] = {}
    owed = []
    first = versions[0].start
    for version in versions:
        if version.start > at:
            continue  # not yet in force: it judges no period that has begun, and no alert fires under it
        evaluation = evaluate(version.agreement, measurements, at, since)
        judged = []
        for objective, result in zip(version.agreement.objectives, evaluation.objectives, strict=True):
            rolling = not isinstance(objective.window, CalendarWindow)
            # A period that began before the first version is that version's partial first period.
            mine = [p for p in result.periods if version.holds(at if rolling else max(p.start, first))]
            kept.setdefault(objective.name, []).extend(mine)
            judged.append(ObjectiveEvaluation(objective.name, tuple(mine)))
            if version.holds(at):
                alerts[objective.name] = result
        owed += period_credits(version.agreement, judged)
    latest = versions[-1].agreement
    objectives = tuple(_objective(name, periods, alerts.get(name)) for name, periods in kept.items())
    history = [
        PeriodOutcome(o.objective, p.period, p.end, p.status is Status.BREACHED, p.ratio)
        for o in objectives
        for p in o.periods
        if p.closed
    ]
    ruling = (version_at(versions, at) or versions[0]).agreement  # before the first takes effect: the first
    rules = ruling.spec.termination.rights if ruling.spec.termination else ()
    return Evaluation(
        agreement=latest.name,
        version=(version_at(versions, at) or versions[-1]).agreement.spec.version,
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
        name,
        ordered,
        current.alerts,
        current.burn_per_hour,
        current.exhaustion,
        current.burn_rate,
        current.burn_rates,
        current.cases,
    )
