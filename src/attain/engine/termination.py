"""Termination rights: rules over an objective's history of closed periods.

- `breachedConsecutivePeriods: N`: granted at the end of the N-th breached period in a row.
- `breachedPeriods: {count: C, periods: P}`: granted at the end of a breached period when at
  least C of the last P closed periods (that one included) were breached; a met period grants
  nothing, even if earlier breaches still lie within its last P periods.
- `attainmentBelow: X`: granted at the end of any period whose attainment is below X.

Only closed periods count; a period without data is not a breach and breaks a run of breaches.
A rule without `objective` looks at every objective separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.model import TerminationRule


@dataclass(frozen=True, slots=True)
class PeriodOutcome:
    """What termination rules read of a closed period."""

    objective: str
    period: str
    end: int
    breached: bool
    attainment: Decimal | None


@dataclass(frozen=True, slots=True)
class TerminationGrant:
    """A right granted by a rule, when, and the periods that earned it."""

    rule: TerminationRule
    objective: str
    granted_at: int
    periods: tuple[str, ...]


def termination_rights(rules: Sequence[TerminationRule], history: Sequence[PeriodOutcome]) -> list[TerminationGrant]:
    """Every grant of every rule over the history, sorted by the instant granted, then objective."""
    grants: list[TerminationGrant] = []
    objectives = sorted({h.objective for h in history})
    for rule in rules:
        for objective in objectives:
            if rule.when.objective not in (None, objective):
                continue
            periods = sorted((h for h in history if h.objective == objective), key=lambda h: h.end)
            grants += _grants(rule, objective, periods)
    return sorted(grants, key=lambda g: (g.granted_at, g.objective))


def _grants(rule: TerminationRule, objective: str, periods: list[PeriodOutcome]) -> list[TerminationGrant]:
    when = rule.when
    found: list[TerminationGrant] = []
    for index, period in enumerate(periods):
        evidence: list[PeriodOutcome] = []
        if when.breached_consecutive_periods is not None:
            run = periods[max(0, index + 1 - when.breached_consecutive_periods) : index + 1]
            if len(run) == when.breached_consecutive_periods and all(p.breached for p in run):
                evidence = run
        elif when.breached_periods is not None:
            window = periods[max(0, index + 1 - when.breached_periods.periods) : index + 1]
            breached = [p for p in window if p.breached]
            if period.breached and len(breached) >= when.breached_periods.count:
                evidence = breached
        elif (
            when.attainment_below is not None
            and period.attainment is not None
            and period.attainment < when.attainment_below
        ):
            evidence = [period]
        if evidence:
            found.append(TerminationGrant(rule, objective, period.end, tuple(p.period for p in evidence)))
    return found
