"""The conditions an evaluation holds at an instant: what `attain.engine.notices.conditions` returns.

One `Condition` per fact, each with a key that stays the same from tick to tick (the table in
docs/notifications.md): burn-rate tiers firing; budget thresholds crossed in the open calendar
period; breaches, credits and termination rights of calendar periods that ended within the
horizon; case warnings of open cases and case breaches within the horizon; silent event streams;
the review due. Pure: `now` and the latest measurement per stream are arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, duration_us, iso_utc
from attain.engine.notices import RESOLVABLE, Condition
from attain.engine.result import Evaluation, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.service_hours import service_clock
from attain.model import Agreement, CalendarWindow, Objective, stream_name
from attain.model.duration import format_duration
from attain.model.notify import EventKind, Notify
from attain.model.numeral import format_ratio

HORIZON_US = 35 * US_PER_DAY
"""How far back a closed period's breach, credit or termination right, or a case's breach, is still
told: 35 days before `now`, so a month that just closed is told (even if the scheduler was down
for a few days) and the history before it is never announced again."""


def find_conditions(
    agreement: Agreement,
    evaluation: Evaluation,
    now: int,
    *,
    last_seen: Mapping[str, int] | None = None,
    review_due: int | None = None,
) -> tuple[Condition, ...]:
    """`attain.engine.notices.conditions`, which documents it; a key found twice is kept once (the first)."""
    notify = agreement.spec.notify or Notify()
    name = agreement.name
    windows = {o.name: o.window for o in agreement.objectives}
    calendar = {n for n, w in windows.items() if isinstance(w, CalendarWindow)}
    found: list[Condition] = []
    for result in evaluation.objectives:
        found += _burn_rates(name, result)
        if result.objective in calendar:
            found += _budget(name, result, notify.budget_thresholds, now)
            found += _breaches(name, result, now)
        found += _cases(name, result, now)
    found += _credits(name, evaluation, calendar, now)
    found += _rights(name, evaluation, calendar, now)
    if last_seen is not None:
        found += _silent(agreement, evaluation.since, now, last_seen, duration_us(notify.silent_after))
    if review_due is not None and review_due <= now:
        due = iso_utc(review_due)
        found.append(
            _condition(EventKind.REVIEW_DUE, f"review-due/{due}", name, None, "info", review_due, (("due", due),))
        )
    unique: dict[str, Condition] = {}
    for condition in found:
        unique.setdefault(condition.key, condition)  # two rules granting the same right in one period
    return tuple(unique.values())


def _condition(
    kind: EventKind,
    key: str,
    agreement: str,
    objective: str | None,
    severity: str,
    since: int,
    facts: tuple[tuple[str, str], ...],
) -> Condition:
    """A condition, resolvable exactly when its kind is (`RESOLVABLE`)."""
    return Condition(kind, key, agreement, objective, severity, since, kind in RESOLVABLE, facts)


def _recent(instant: int, now: int) -> bool:
    """Whether `instant` lies within the horizon: `now − HORIZON_US < instant ≤ now`."""
    return now - HORIZON_US < instant <= now


def _burn_rates(agreement: str, result: ObjectiveEvaluation) -> list[Condition]:
    """One resolvable condition per firing tier, with its threshold and its windows' burn rates."""
    rates = dict(result.burn_rates)
    found = []
    for alert in result.alerts:
        if not alert.firing:
            continue
        long_m, short_m = alert.long_window // US_PER_MINUTE, alert.short_window // US_PER_MINUTE
        facts = [("threshold", str(alert.factor))]
        for window, minutes in ((alert.long_window, long_m), (alert.short_window, short_m)):
            rate = rates.get(window)
            if rate is not None:
                facts.append((f"burn_rate_{minutes}m", str(rate)))
        key = f"burn-rate/{result.objective}/{alert.severity}/{long_m}m-{short_m}m"
        found.append(
            _condition(
                EventKind.BURN_RATE,
                key,
                agreement,
                result.objective,
                alert.severity,
                alert.intervals[-1][0],
                tuple(facts),
            )
        )
    return found


def _budget(agreement: str, result: ObjectiveEvaluation, thresholds: tuple[Decimal, ...], now: int) -> list[Condition]:
    """Thresholds reached in the open period: `consumed ≥ threshold × allowed`, exactly."""
    current = result.current
    if current is None or current.closed or current.budget is None or current.budget.allowed <= 0:
        return []
    budget = current.budget
    found = []
    for share in thresholds:
        if Fraction(budget.consumed) < Fraction(share) * Fraction(budget.allowed):
            break  # thresholds rise strictly: none after this one is reached either
        shown = format_ratio(share)
        facts = (
            ("period", current.period),
            ("threshold", shown),
            ("consumed", str(budget.consumed)),
            ("allowed", str(budget.allowed)),
            ("unit", budget.unit),
        )
        found.append(
            _condition(
                EventKind.BUDGET,
                f"budget/{result.objective}/{current.period}/{shown}",
                agreement,
                result.objective,
                "warning" if share >= 1 else "info",
                now,
                facts,
            )
        )
    return found


def _period_facts(period: PeriodResult) -> tuple[tuple[str, str], ...]:
    facts = [("period", period.period)]
    if period.ratio is not None:
        facts.append(("attainment", format_ratio(period.ratio)))
    if period.statistic is not None:
        facts.append(("statistic", str(period.statistic)))
    if period.target is not None:
        facts.append(("target", format_ratio(period.target)))
    return tuple(facts)


def _breaches(agreement: str, result: ObjectiveEvaluation, now: int) -> list[Condition]:
    """Closed calendar periods that missed their commitment and ended within the horizon."""
    return [
        _condition(
            EventKind.BREACH,
            f"breach/{result.objective}/{p.period}",
            agreement,
            result.objective,
            "critical",
            p.end,
            _period_facts(p),
        )
        for p in result.periods
        if p.closed and p.status is Status.BREACHED and _recent(p.end, now)
    ]


def _credits(agreement: str, evaluation: Evaluation, calendar: set[str], now: int) -> list[Condition]:
    """Credits above zero for periods that ended within the horizon (all objectives combined: no objective)."""
    found = []
    for credit in evaluation.credits:
        ends = [
            p.end
            for o in evaluation.objectives
            if o.objective in calendar
            for p in o.periods
            if p.period == credit.period and p.closed
        ]
        if credit.share <= 0 or not ends or not _recent(max(ends), now):
            continue
        facts = [("period", credit.period), ("share", format_ratio(credit.share))]
        if credit.amount is not None:
            facts.append(("amount", str(credit.amount)))
            facts.append(("payable", str(credit.payable)))
            facts.append(("currency", credit.currency or ""))
        facts.append(("objectives", ", ".join(credit.triggered_by)))
        found.append(
            _condition(EventKind.CREDIT, f"credit/{credit.period}", agreement, None, "warning", max(ends), tuple(facts))
        )
    return found


def _rights(agreement: str, evaluation: Evaluation, calendar: set[str], now: int) -> list[Condition]:
    """Termination rights granted within the horizon, on calendar objectives."""
    found = []
    for grant in evaluation.termination:
        if grant.objective not in calendar or not _recent(grant.granted_at, now):
            continue
        rule = grant.rule
        facts = [("grants", rule.grants.value), ("periods", ", ".join(grant.periods))]
        if rule.notice is not None:
            facts.append(("notice", format_duration(rule.notice)))
        if rule.exercise_within is not None:
            facts.append(("exercise_until", iso_utc(grant.granted_at + duration_us(rule.exercise_within))))
        found.append(
            _condition(
                EventKind.TERMINATION_RIGHT,
                f"termination-right/{grant.objective}/{grant.periods[-1]}/{rule.grants.value}",
                agreement,
                grant.objective,
                "critical",
                grant.granted_at,
                tuple(facts),
            )
        )
    return found


def _case_severity(share: Decimal) -> str:
    """100% (breached): critical; from 75%: warning; below: info."""
    if share >= 1:
        return "critical"
    return "warning" if share >= Decimal("0.75") else "info"


def _cases(agreement: str, result: ObjectiveEvaluation, now: int) -> list[Condition]:
    """Warning shares reached by open cases, and breaches decided within the horizon (as 100%)."""
    found = []
    for case in result.cases or ():
        if not case.valid:
            continue
        reached: list[tuple[Decimal, int]] = []
        if case.met is None:
            reached = [(share, at) for share, at in case.warnings if at is not None and share < 1]
        elif case.met is False and case.decided_at is not None and _recent(case.decided_at, now):
            reached = [(Decimal(1), case.decided_at)]
        for share, at in reached:
            shown = format_ratio(share)
            facts = [("case", case.case), ("share", shown)]
            if case.priority is not None:
                facts.append(("priority", case.priority))
            if case.goal is not None:
                facts.append(("goal", _duration_text(case.goal)))
            if case.due is not None:
                facts.append(("due", iso_utc(case.due)))
            found.append(
                _condition(
                    EventKind.CASE,
                    f"case/{result.objective}/{case.case}/{shown}",
                    agreement,
                    result.objective,
                    _case_severity(share),
                    at,
                    tuple(facts),
                )
            )
    return found


def _duration_text(microseconds: int) -> str:
    """A duration in µs in the format's shorthand (`4h`, `1h30m`), whole seconds."""
    return format_duration(timedelta(microseconds=microseconds))


def _silent(agreement: Agreement, since: int, now: int, last_seen: Mapping[str, int], after: int) -> list[Condition]:
    """Event streams with nothing for longer than `after`, while an objective reading them is in service hours.

    Streams of incidents and case events are not watched: their silence is the normal state.
    """
    streams: dict[str, list[Objective]] = {}
    for objective in agreement.objectives:
        if objective.indicator.rows == "events":
            streams.setdefault(stream_name(objective), []).append(objective)
    found = []
    for stream, objectives in streams.items():
        seen = last_seen.get(stream)
        last = seen if seen is not None else since
        if now - last <= after or not any(_in_service(agreement, o, now) for o in objectives):
            continue
        facts = (
            ("stream", stream),
            ("last_seen", iso_utc(seen) if seen is not None else "never"),
            ("silent_after", _duration_text(after)),
            ("objectives", ", ".join(o.name for o in objectives)),
        )
        first = objectives[0].name
        found.append(
            _condition(
                EventKind.SILENT_SOURCE,
                f"silent-source/{first}/{stream}",
                agreement.name,
                first,
                "warning",
                last + after,
                facts,
            )
        )
    return found


def _in_service(agreement: Agreement, objective: Objective, now: int) -> bool:
    """Whether the objective counts at `now`: always without service hours, else inside them."""
    clock = service_clock(agreement, objective)
    return clock is None or bool(clock.open_intervals(now, now + 1))
