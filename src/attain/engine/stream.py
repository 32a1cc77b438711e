"""Which stream of measurements an objective reads."""

from __future__ import annotations

from attain.model import AvailabilityIndicator, CaseIndicator, Objective


def stream_name(objective: Objective) -> str:
    """The indicator's `events`, or by kind: `incidents`, `probes`, `cases`, else the objective's name."""
    indicator = objective.indicator
    if indicator.events:
        return indicator.events
    if isinstance(indicator, AvailabilityIndicator):
        return indicator.from_.value
    if isinstance(indicator, CaseIndicator):
        return "cases"
    return objective.name
