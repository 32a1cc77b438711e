"""The periodic report's facts: each objective in one calendar period, day by day, and what it cost.

`period_report(source, label)` evaluates the agreement at the report instant: the end of the
period (so the period is closed and the history before it feeds credits, termination rights and
the trend), or `at` when that is earlier (a period still running is reported as it stands then),
or reuses an evaluation the caller already has of the same data (the dashboard's month so far,
whose instant is the report instant), then each
day of the period on its own, by evaluating a derived agreement whose windows are calendar days
(the engine's own arithmetic, never re-implemented here). What consumed the budget comes from
the engine's parts: downtime intervals, freshness violations, breached cases. Pure: the caller
reads files or the store and passes the measurements in.

Each objective is shown over one window, its `span`: the calendar period for a calendar
objective; for a rolling objective, the rolling window of its result (the one that ends at the
end of the period, or at the evaluation instant), so that its days, its budget and what
consumed it all describe the same stretch of time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from attain.engine.case import CaseOutcome
from attain.engine.credit import PeriodCredit
from attain.engine.evaluate import evaluate
from attain.engine.instant import duration_us, from_us
from attain.engine.measurement import Measurements
from attain.engine.period import label as period_label
from attain.engine.period import local_midnight, next_unit_start
from attain.engine.result import Evaluation, PeriodResult, Status
from attain.engine.termination import TerminationGrant
from attain.errors import InvalidInput, Problem
from attain.model import Agreement, CalendarUnit, CalendarWindow, Objective, RollingWindow
from attain.reports.consumption import Consumption, consumption
from attain.reports.period_label import parse_period
from attain.reports.rolling import window_days

TREND_PERIODS = 6
"""How many periods before the reported one the trend shows."""


@dataclass(frozen=True)
class ReportSource:
    """What a report is made from: the agreement, its measurements, and late adjustments (store only)."""

    agreement: Agreement
    measurements: Measurements
    adjustments: int | None = None
    chain: tuple[int, str] | None = None
    """The agreement's audit chain head when the report was made (store only): entries and last hash."""


@dataclass(frozen=True)
class Day:
    """One day of one objective: attainment (or statistic), status and budget consumed that day."""

    day: date
    result: PeriodResult


@dataclass(frozen=True)
class ObjectiveReport:
    """One objective in the reported period."""

    objective: Objective
    results: tuple[PeriodResult, ...]
    days: tuple[Day, ...]
    remaining: tuple[Decimal | None, ...]
    """Share of the period's budget left at the end of each day (None: no budget)."""
    consumption: Consumption
    trend: tuple[PeriodResult, ...]
    span: tuple[int, int]
    """The window `days`, `remaining` and `consumption` cover, `[start, end)` in µs: the calendar
    period (from the effective date) for a calendar objective, the result's window for a rolling one."""
    before: tuple[Day, ...] = ()
    """The days before `days` that the day-by-day view covers (see `period_report`'s `history`)."""
    cases: tuple[CaseOutcome, ...] | None = None
    """A case objective's cases at the report instant: those decided in the period up to it, and
    those still pending (open or paused) then; None for other kinds."""

    @property
    def rolling(self) -> bool:
        """Whether the objective has a rolling window (its `span` is that window, not the period)."""
        return isinstance(self.objective.window, RollingWindow)

    @property
    def result(self) -> PeriodResult | None:
        """The result for the reported period (the last, where an objective has several)."""
        return self.results[-1] if self.results else None

    @property
    def days_without_data(self) -> tuple[date, ...]:
        """The days on which nothing valid was measured."""
        return tuple(d.day for d in self.days if d.result.status is Status.NO_DATA)


@dataclass(frozen=True)
class PeriodReport:
    """Every objective of an agreement in one calendar period, with credits, rights and data quality."""

    agreement: Agreement
    label: str
    unit: CalendarUnit
    first: date
    start: int
    end: int
    objectives: tuple[ObjectiveReport, ...]
    credit: PeriodCredit | None
    grants: tuple[TerminationGrant, ...]
    adjustments: int | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    at: int | None = None
    """The report instant: the period's end, or earlier while the period is still running."""
    chain: tuple[int, str] | None = None
    """The agreement's audit chain head when the report was made, printed so that a cut chain shows."""


def period_report(
    source: ReportSource,
    text: str,
    evaluation: Evaluation | None = None,
    history: timedelta = timedelta(0),
    at: int | None = None,
) -> PeriodReport:
    """Gather the report of period `text` (e.g. 2026-10) for the source's agreement.

    Args:
        source: The agreement and its measurements.
        text: The period's label.
        evaluation: The agreement already evaluated on the same measurements, to be reused (the
            dashboard passes the server's current status for the month still running); without
            it, the agreement is evaluated at the end of the period.
        history: How long before the period the day-by-day view starts at least (never before
            the agreement takes effect; a rolling window's first day too); the days before an
            objective's `days` are its `before` (the dashboard's rolling-window budget chart sums them).
        at: The instant the report is made (the caller's now): a period that has not ended yet
            is reported as it stands at `at` (not before its start); without it, at its end.
    """
    agreement = source.agreement
    zone = agreement.spec.time_zone
    unit, first = parse_period(text)
    start, end = local_midnight(first, zone), local_midnight(next_unit_start(unit, first), zone)
    effective = local_midnight(agreement.spec.effective.from_, zone)
    if end <= effective:
        hint = f"the agreement takes effect on {agreement.spec.effective.from_.isoformat()}; report a later period"
        raise InvalidInput(
            [Problem(agreement.name, None, None, "--period", f"{text} ends before the agreement starts", hint)]
        )
    # The days are evaluated to the report instant too, so that no day after it is judged as if it had passed.
    instant = end if at is None else min(end, max(at, start, effective))
    if evaluation is None:
        evaluation = evaluate(agreement, source.measurements, instant)
    reach = min([start - duration_us(history), *_rolling_starts(agreement, evaluation)])
    daily = evaluate(_daily(agreement), source.measurements, instant, max(reach, effective))
    objectives = tuple(
        _objective(agreement, objective, evaluation, daily, source.measurements, (start, end), effective)
        for objective in agreement.objectives
    )
    return PeriodReport(
        agreement=agreement,
        label=period_label(unit, first),
        unit=unit,
        first=first,
        start=start,
        end=end,
        objectives=objectives,
        credit=next((c for c in evaluation.credits if c.period == period_label(unit, first)), None),
        grants=tuple(g for g in evaluation.termination if g.granted_at <= end),
        adjustments=source.adjustments,
        at=evaluation.at,
        chain=source.chain,
    )


def _rolling_starts(agreement: Agreement, evaluation: Evaluation) -> list[int]:
    """Local midnight of the first day of each rolling objective's window, where the day-by-day view must begin."""
    starts = []
    for objective, evaluated in zip(agreement.objectives, evaluation.objectives, strict=True):
        if isinstance(objective.window, RollingWindow) and evaluated.periods:
            first = _local_day(evaluated.periods[-1].start, agreement, objective)
            starts.append(local_midnight(first, day_zone(agreement, objective)))
    return starts


def _daily(agreement: Agreement) -> Agreement:
    """The agreement with every window a calendar day, and no alerts, credits or termination rules."""
    objectives = tuple(
        o.model_copy(
            update={
                "window": CalendarWindow(
                    calendar=CalendarUnit.DAY,
                    time_zone=o.window.time_zone if isinstance(o.window, CalendarWindow) else None,
                ),
                "alerting": None,
                "credits": (),
            }
        )
        for o in agreement.objectives
    )
    spec = agreement.spec.model_copy(update={"objectives": objectives, "termination": None})
    return agreement.model_copy(update={"spec": spec})


def _objective(
    agreement: Agreement,
    objective: Objective,
    evaluation: Evaluation,
    daily: Evaluation,
    measurements: Measurements,
    period: tuple[int, int],
    effective: int,
) -> ObjectiveReport:
    start, end = period
    state = next(o for o in evaluation.objectives if o.objective == objective.name)
    periods = state.periods
    day_results = next(o.periods for o in daily.objectives if o.objective == objective.name)
    every = [Day(_local_day(p.start, agreement, objective), p) for p in day_results]
    if isinstance(objective.window, CalendarWindow):
        results = tuple(p for p in periods if start <= p.start < end)
        earlier = [p for p in periods if p.end <= (results[0].start if results else start) and p.closed]
        trend = tuple(earlier[-TREND_PERIODS:])
        # Cut at the report instant: nothing after it is known yet while the period runs.
        span = (max(start, effective), max(start, effective, min(end, evaluation.at)))
        days = tuple(d for d in every if start <= d.result.start < end)
    else:
        results, trend = tuple(periods[-1:]), ()
        span = (max(results[0].start, effective), results[0].end) if results else (max(start, effective), end)
        days = _window_days(every, objective, span)
    first = days[0].result.start if days else span[1]
    cases = None
    if state.cases is not None:
        cases = tuple(c for c in state.cases if c.met is None or (c.decided_at is not None and start <= c.decided_at))
    return ObjectiveReport(
        objective=objective,
        results=results,
        days=days,
        remaining=_burn_down(results[-1] if results else None, days),
        consumption=consumption(agreement, objective, measurements, span, effective),
        trend=trend,
        span=span,
        before=tuple(d for d in every if d.result.start < first),
        cases=cases,
    )


def _window_days(every: list[Day], objective: Objective, span: tuple[int, int]) -> tuple[Day, ...]:
    """A rolling window's local days: of n whole days, the last n begun before its end; else all overlapping it."""
    # n local days, as `attain.reports.rolling` counts them, across a daylight-saving change too.
    assert isinstance(objective.window, RollingWindow)
    length = window_days(objective.window.rolling)
    if length is None:
        return tuple(d for d in every if d.result.end > span[0] and d.result.start < span[1])
    begun = [d for d in every if d.result.start < span[1]]
    return tuple(begun[-length:])


def day_zone(agreement: Agreement, objective: Objective) -> str:
    """The time zone of an objective's days: its calendar window's zone, else the agreement's."""
    window = objective.window
    return (window.time_zone if isinstance(window, CalendarWindow) else None) or agreement.spec.time_zone


def _local_day(instant: int, agreement: Agreement, objective: Objective) -> date:
    from attain.engine.period import zone  # noqa: PLC0415 - the engine's cached zone lookup

    return from_us(instant).astimezone(zone(day_zone(agreement, objective))).date()


def _burn_down(result: PeriodResult | None, days: tuple[Day, ...]) -> tuple[Decimal | None, ...]:
    """Share of the period's budget left after each day: 1 − (consumed so far ÷ allowed)."""
    if result is None or result.budget is None or result.budget.allowed <= 0:
        return tuple(None for _ in days)
    allowed = result.budget.allowed
    left: list[Decimal | None] = []
    consumed = Decimal(0)
    for day in days:
        if day.result.budget is not None:
            consumed += day.result.budget.consumed
        left.append(Decimal(1) - consumed / allowed)
    return tuple(left)


def period_length(report: PeriodReport) -> timedelta:
    """The period's length (a DST change makes a month an hour shorter or longer)."""
    return timedelta(microseconds=report.end - report.start)
