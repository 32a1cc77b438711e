"""What drives failures in one period of a stored agreement (`attain drivers`, the API's drivers).

Reads the raw rows the store keeps with their attributes (events, incidents, case events) for
the period and the period before, classifies them with the version in force when the period
began (a period is judged by that version), and hands per-row weights to the pure ranking in
`attain.engine.drivers`. Each stream is read and its attributes factorised once, however many
objectives read it.

What each kind counts as bad: a bad event (ratio, threshold, availability from probes), the time
an incident spent inside the period (availability from incidents: overlapping incidents each
count, and exclusions are not subtracted: drivers say where the downtime came from, the
evaluation says what it cost), a case breached in the period (case). Statistic and freshness
objectives, and objectives counted by a metric source (no rows, so no attributes), are listed as
skipped with the reason. Counts ingested without raw rows (`--buckets-only`) carry no
attributes either, so they cannot be split.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from attain.engine.business_time import clock_for
from attain.engine.case import evaluate_cases
from attain.engine.classify import classify
from attain.engine.drivers import (
    Dimension,
    DriversReport,
    ObjectiveDrivers,
    Weights,
    allowed_budget,
    dimensions,
    rank_drivers,
)
from attain.engine.filter import column
from attain.engine.measurement import CaseEvent, EventTable
from attain.engine.period import label, local_midnight, next_unit_start, unit_start
from attain.engine.service_hours import inside, service_clock
from attain.engine.versions import version_at
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import load_in_force
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    CaseIndicator,
    FreshnessIndicator,
    Objective,
    StatisticIndicator,
    stream_name,
)
from attain.ports import Store
from attain.reports.period_label import parse_period
from attain.services.measurements import LOOKBACK_US

Range = tuple[int, int]
"""`[start, end)` in µs."""


def period_ranges(agreement: Agreement, text: str, at: int) -> tuple[str, str, Range, Range]:
    """The period labelled `text` and the one before it in the agreement's zone, each clipped to `at`."""
    unit, first = parse_period(text)
    zone = agreement.spec.time_zone
    previous_first = unit_start(unit, first - timedelta(days=1))
    start, end = local_midnight(first, zone), local_midnight(next_unit_start(unit, first), zone)
    before = local_midnight(previous_first, zone)
    return label(unit, first), label(unit, previous_first), (start, min(end, at)), (before, min(start, at))


def drivers(store: Store, name: str, period: str, at: int, objective: str | None = None, top: int = 5) -> DriversReport:
    """Rank what drove failures in `period` of agreement `name` (see the module docstring).

    Raises:
        InvalidInput: no such agreement, period label or objective.
    """
    versions = load_in_force(store, name)
    zone = versions[-1].agreement.spec.time_zone
    _, first = parse_period(period)
    chosen = version_at(versions, local_midnight(first, zone)) or versions[0]
    agreement = chosen.agreement
    shown, previous, current, before = period_ranges(agreement, period, at)
    objectives = _chosen(agreement, objective)
    reader = _Rows(store, name, before[0], current[0], max(current[1], before[1]))
    found = tuple(_objective(agreement, o, reader, current, before, top) for o in objectives)
    return DriversReport(name, agreement.spec.version, shown, previous, current, before, found)


def _chosen(agreement: Agreement, objective: str | None) -> list[Objective]:
    if objective is None:
        return list(agreement.objectives)
    found = [o for o in agreement.objectives if o.name == objective]
    if not found:
        known = ", ".join(o.name for o in agreement.objectives)
        hint = f"name one of: {known}"
        raise InvalidInput([Problem(agreement.name, None, None, "--objective", f"no objective {objective!r}", hint)])
    return found


class _Rows:
    """The store's raw rows over `[low, high)`, each stream read and factorised once.

    Events come grouped by value and attributes, each half of the range apart, with their counts
    (`event_groups` of a SQL store), so that the database sends one row per distinct group; an
    objective with service hours needs each event's instant, so its stream is read row by row.
    """

    def __init__(self, store: Store, name: str, low: int, split: int, high: int) -> None:
        self.store, self.name, self.low, self.split, self.high = store, name, low, split, high
        self._events: dict[tuple[str, bool], tuple[EventTable, tuple[Dimension, ...], Weights]] = {}

    def events(self, stream: str, *, timed: bool) -> tuple[EventTable, tuple[Dimension, ...], Weights]:
        """The stream's table, its dimensions and each row's count (1 per event when `timed`)."""
        key = (stream, timed)
        if key not in self._events:
            grouped = None if timed else getattr(self.store, "event_groups", None)
            if grouped is not None:
                table, counts = grouped(stream, self.low, self.split, self.high, self.name)
            else:
                table = EventTable.from_events(self.store.events(stream, self.low, self.high, self.name))
                counts = np.ones(table.size, dtype=np.int64)
            self._events[key] = (table, dimensions(table.columns), counts)
        return self._events[key]


def _objective(
    agreement: Agreement, objective: Objective, rows: _Rows, current: Range, before: Range, top: int
) -> ObjectiveDrivers:
    indicator, name = objective.indicator, objective.name
    if isinstance(indicator, StatisticIndicator | FreshnessIndicator) or objective.target is None:
        return ObjectiveDrivers(name, "", None, f"a {indicator.kind} objective has no bad events to split")
    if indicator.fed_by_metric_source:
        return ObjectiveDrivers(name, "", None, "counted by a metric source: no rows with attributes are stored")
    if isinstance(indicator, AvailabilityIndicator) and indicator.from_ is AvailabilitySource.INCIDENTS:
        return _incidents(objective, rows, current, before, top)
    if isinstance(indicator, CaseIndicator):
        return _cases(agreement, objective, rows, current, before, top)
    return _events(agreement, objective, rows, current, before, top)


def _within(at: Any, span: Range) -> Any:
    return (at >= span[0]) & (at < span[1])


def _events(
    agreement: Agreement, objective: Objective, rows: _Rows, current: Range, before: Range, top: int
) -> ObjectiveDrivers:
    hours = service_clock(agreement, objective)
    table, found, counts = rows.events(stream_name(objective), timed=hours is not None)
    valid, good = classify(objective.indicator, table)  # type: ignore[arg-type]
    if hours is not None:  # only events stamped inside service hours count
        valid = valid & inside(hours, table.at)
        good = good & valid
    bad = valid & ~good
    now, then = _within(table.at, current), _within(table.at, before)
    counted = (valid & now) * counts
    assert objective.target is not None
    allowed = allowed_budget(objective.target, int(counted.sum()))
    result = rank_drivers(found, (bad & now) * counts, counted, (bad & then) * counts, allowed, top)
    return ObjectiveDrivers(objective.name, "events", result)


def _overlap(start: int, end: int | None, span: Range, until: int) -> int:
    high = min(span[1], until if end is None else end)
    return max(0, high - max(start, span[0]))


def _incidents(objective: Objective, rows: _Rows, current: Range, before: Range, top: int) -> ObjectiveDrivers:
    found = rows.store.incidents(stream_name(objective), rows.low, rows.high, rows.name)
    found = sorted(found, key=lambda i: (i.start, i.end or 0))
    columns = {
        k: column([i.attributes.get(k) for i in found]) for k in sorted({k for i in found for k in i.attributes})
    }
    now = np.array([_overlap(i.start, i.end, current, rows.high) for i in found], dtype=np.int64)
    then = np.array([_overlap(i.start, i.end, before, rows.high) for i in found], dtype=np.int64)
    assert objective.target is not None
    allowed = allowed_budget(objective.target, current[1] - current[0])
    result = rank_drivers(dimensions(columns), now, np.zeros(len(found), dtype=np.int64), then, allowed, top)
    return ObjectiveDrivers(objective.name, "µs", result)


def _cases(
    agreement: Agreement, objective: Objective, rows: _Rows, current: Range, before: Range, top: int
) -> ObjectiveDrivers:
    indicator = objective.indicator
    assert isinstance(indicator, CaseIndicator)
    stream = stream_name(objective)
    events = rows.store.case_events(stream, rows.low - LOOKBACK_US, rows.high, rows.name)
    outcomes = [
        o
        for o in evaluate_cases(indicator, clock_for(indicator, agreement.spec.calendars), events, rows.high)
        if o.valid and o.decided_at is not None
    ]
    merged = _case_attributes(events)
    keys = sorted({k for o in outcomes for k in merged[o.case]})
    columns = {k: column([merged[o.case].get(k) for o in outcomes]) for k in keys}
    decided = np.array([o.decided_at for o in outcomes], dtype=np.int64)
    breached = np.array([o.met is False for o in outcomes], dtype=bool)
    now, then = _within(decided, current), _within(decided, before)
    counted = now.astype(np.int64)
    assert objective.target is not None
    allowed = allowed_budget(objective.target, int(counted.sum()))
    bad_now, bad_then = (breached & now).astype(np.int64), (breached & then).astype(np.int64)
    result = rank_drivers(dimensions(columns), bad_now, counted, bad_then, allowed, top)
    return ObjectiveDrivers(objective.name, "cases", result)


def _case_attributes(events: Sequence[CaseEvent]) -> dict[str, dict[str, Any]]:
    """Each case's attributes merged over its events in time order, a later value over an earlier, None ignored."""
    merged: dict[str, dict[str, Any]] = {}
    for event in sorted(events, key=lambda e: e.at):
        into = merged.setdefault(event.case, {})
        into.update({k: v for k, v in event.attributes.items() if v is not None})
    return merged
