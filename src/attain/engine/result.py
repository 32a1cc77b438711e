"""What an evaluation returns: per objective and period, attainment, status, budget and details."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from attain.engine.case import CaseOutcome
from attain.engine.credit import PeriodCredit
from attain.engine.freshness import Gap
from attain.engine.termination import TerminationGrant


class Status(StrEnum):
    """How a period stands against its objective.

    - met: closed, attainment at or above the target (or the statistic within its bound);
    - breached: closed and below, or open and already certain to end below;
    - at_risk: open and currently below the target, but still able to recover;
    - no_data: nothing valid was measured.

    An open period at or above the target so far is `met` (so far).
    """

    MET = "met"
    BREACHED = "breached"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class BudgetState:
    """The error budget of a period, in `unit` (events, slices, minutes or cases)."""

    unit: str
    allowed: Decimal
    consumed: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class PeriodResult:
    """One objective in one period (or the rolling window ending at the evaluation instant).

    `start`/`end` are the period's edges; `measured_from`/`measured_until` the part measured:
    later than `start` when the agreement took effect inside the period (a partial first
    period), earlier than `end` while the period is still open at the evaluation instant.
    """

    objective: str
    period: str
    start: int
    end: int
    measured_from: int
    measured_until: int
    closed: bool
    status: Status
    version: int
    unit: str
    good: Decimal | None = None
    valid: Decimal | None = None
    ratio: Decimal | None = None
    statistic: Decimal | None = None
    budget: BudgetState | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    target: Decimal | None = None
    """The target of the version that judged the period; None for a statistic objective (its bound is the goal)."""
    longest_gap: Gap | None = None
    """A freshness objective's longest gap between qualifying events in the measured span."""
    gaps_over: tuple[Gap, ...] | None = None
    """A freshness objective's gaps longer than `maxGap`; None for other kinds."""
    exact_ratio: Fraction | None = field(default=None, compare=False, repr=False)
    """`ratio` unrounded: what credit tiers are judged by, so an edge with any number of digits decides exactly."""

    @property
    def partial(self) -> bool:
        """Whether only part of the period is measured (started late or still open)."""
        return self.measured_from > self.start or self.measured_until < self.end


@dataclass(frozen=True)
class AlertState:
    """One burn-rate alert tier of an objective: its factor and when it fired."""

    severity: str
    long_window: int
    short_window: int
    factor: Decimal
    intervals: tuple[tuple[int, int], ...]
    firing: bool


@dataclass(frozen=True)
class ObjectiveEvaluation:
    """Every period of one objective in the evaluated range, the alerts, and the current state."""

    objective: str
    periods: tuple[PeriodResult, ...]
    alerts: tuple[AlertState, ...] = ()
    burn_per_hour: Decimal | None = None
    """Budget consumed in the hour before the evaluation instant, in the budget's unit."""
    exhaustion: timedelta | None = None
    """How long the current period's remaining budget lasts at that burn; None when not burning."""
    burn_rate: Decimal | None = None
    """The burn rate over the hour before the evaluation instant: error ratio ÷ (1 − target)."""
    burn_rates: tuple[tuple[int, Decimal | None], ...] = ()
    """(window in µs, burn rate over that window before the evaluation instant) for the alert
    windows (the SRE workbook's when the objective has no alerting); None for a window without
    valid events or reaching before the evaluated range."""
    cases: tuple[CaseOutcome, ...] | None = None
    """A case objective's counted cases as they stand at the evaluation instant, by case id
    (`attain.engine.case`); None for other kinds."""

    @property
    def current(self) -> PeriodResult | None:
        """The period that contains the evaluation instant (the last one)."""
        return self.periods[-1] if self.periods else None


@dataclass(frozen=True)
class Evaluation:
    """An agreement evaluated at an instant over a range of periods."""

    agreement: str
    version: int
    at: int
    since: int
    objectives: tuple[ObjectiveEvaluation, ...]
    credits: tuple[PeriodCredit, ...]
    termination: tuple[TerminationGrant, ...]

    @property
    def breached(self) -> bool:
        """Whether any objective has a breached period in the evaluated range."""
        return any(p.status is Status.BREACHED for o in self.objectives for p in o.periods)
