"""What every period of one objective shares, and how a period is judged.

An objective's periods are its calendar periods in `[since, at)`, or its one rolling window
ending at `at`. Status: a closed period is met when its ratio reaches the target, else breached;
an open one is breached only when that is already certain (time-based: more bad time than the
whole period allows), at_risk when currently below the target, met when at or above it so far.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from attain.engine.budget import Budget
from attain.engine.instant import US_PER_DAY, duration_us
from attain.engine.measurement import EventTable, Measurements
from attain.engine.period import Period, periods_between, rolling
from attain.engine.result import BudgetState, PeriodResult, Status
from attain.model import Agreement, CalendarUnit, CalendarWindow, Objective, stream_name

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
            target=self.objective.target,
            **fields,  # type: ignore[arg-type]
        )

    def table(self) -> EventTable:
        """The events of the objective's stream (an empty table when there are none)."""
        table = self.measurements.events.get(self.stream)
        return table if table is not None else EventTable.from_events([])


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


def judge(
    ratio: Decimal | None,
    target: Decimal,
    *,
    closed: bool,
    certain_breach: bool = False,
    exact: Fraction | None = None,
) -> Status:
    """The status of a period from its ratio (see the module docstring).

    `exact`, when given, is the same ratio unrounded: the target is compared with it, so a target
    written with more digits than a Decimal ratio keeps (28) is still judged on the right side.
    """
    if ratio is None:
        return Status.NO_DATA
    if (exact if exact is not None else ratio) >= target:
        return Status.MET
    if closed or certain_breach:
        return Status.BREACHED
    return Status.AT_RISK


def budget_state(budget: Budget | None) -> BudgetState | None:
    """The result's view of a budget (None stays None)."""
    if budget is None:
        return None
    return BudgetState(budget.unit, budget.allowed, budget.consumed, budget.remaining)
