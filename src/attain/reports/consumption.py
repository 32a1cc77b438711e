"""What consumed an objective's error budget in a period, from the engine's own parts.

- availability from incidents: the counted downtime intervals (`attain.engine.availability`),
  only those inside service hours when the objective has them;
- freshness: the violation intervals (`attain.engine.freshness`);
- cases: the cases breached in the period (`attain.engine.case`);
- every objective: the excluded time in the period (`attain.engine.exclusion`).

Event objectives (ratio, threshold, probes) have no intervals: the report shows their bad and
valid counts from the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attain.engine.availability import downtime
from attain.engine.business_time import clock_for
from attain.engine.case import CaseOutcome, evaluate_cases
from attain.engine.exclusion import excluded_intervals
from attain.engine.freshness import freshness
from attain.engine.instant import Interval
from attain.engine.measurement import EventTable, Measurements
from attain.engine.service_hours import service_clock
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    CaseIndicator,
    FreshnessIndicator,
    Objective,
    stream_name,
)


@dataclass(frozen=True)
class Consumption:
    """The parts of a period that consumed budget, and the time excluded from it."""

    downtime: tuple[Interval, ...] = ()
    violations: tuple[Interval, ...] = ()
    breached_cases: tuple[CaseOutcome, ...] = field(default_factory=tuple)
    excluded: tuple[Interval, ...] = ()


def consumption(
    agreement: Agreement, objective: Objective, measurements: Measurements, window: Interval, since: int
) -> Consumption:
    """What consumed the objective's budget within `window` (a closed period), and what was excluded."""
    spec = agreement.spec
    if window[1] <= window[0]:
        return Consumption()
    excluded = excluded_intervals(spec.exclusions, measurements.announcements, objective.name, spec.time_zone, window)
    indicator, stream = objective.indicator, stream_name(objective)
    if isinstance(indicator, AvailabilityIndicator) and indicator.from_ is AvailabilitySource.INCIDENTS:
        hours = service_clock(agreement, objective)  # only downtime in service hours consumed budget
        down = downtime(indicator, measurements.incidents.get(stream, ()), excluded, window, hours=hours)
        return Consumption(downtime=tuple(down.counted), excluded=tuple(excluded))
    if isinstance(indicator, FreshnessIndicator):
        table = measurements.events.get(stream) or EventTable.from_events([])
        fresh = freshness(indicator, table, window, None, since)
        return Consumption(violations=tuple(fresh.violations), excluded=tuple(excluded))
    if isinstance(indicator, CaseIndicator):
        clock = clock_for(indicator, spec.calendars)
        outcomes = evaluate_cases(indicator, clock, measurements.cases.get(stream, ()), window[1])
        breached = tuple(
            o
            for o in outcomes
            if o.valid and o.met is False and o.decided_at is not None and window[0] <= o.decided_at < window[1]
        )
        return Consumption(breached_cases=breached, excluded=tuple(excluded))
    return Consumption(excluded=tuple(excluded))
