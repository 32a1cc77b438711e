"""From parsed rows to batches: where a file's rows go, their per-minute counts, late data.

Each agreement version classifies the events that fall in its own range in force
(`attain.engine.versions.in_force`), so counts always follow the version in force at the event's
time. Counts are per objective and minute (good, valid, and the count and sum of values a
statistic needs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.classify import classify
from attain.engine.filter import mask
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import Event, EventTable
from attain.engine.versions import InForce
from attain.errors import InvalidInput, Problem
from attain.model import Agreement, CaseIndicator, FreshnessIndicator, StatisticIndicator, stream_name
from attain.ports import Adjustment, Bucket, StoredResult

ANNOUNCEMENTS = "announcements"


@dataclass(frozen=True)
class Target:
    """Where a file's rows go: the agreement, the stream, the kind of rows and the value column."""

    agreement: str
    stream: str
    kind: str
    value_column: str


def target_in(agreements: Sequence[Agreement], stem: str, objective: str | None) -> Target:
    """`target_for` in the newest version that has `objective` or reads stream `stem` (else the latest).

    A later version may drop the objectives reading a stream, or those reading its value column;
    the rows of the periods earlier versions judge still belong to them, with their values.
    """
    chosen = agreements[-1]
    for agreement in reversed(agreements):
        names = {o.name for o in agreement.objectives}
        if objective in names or (objective is None and any(stream_name(o) == stem for o in agreement.objectives)):
            chosen = agreement
            break
    target = target_for(chosen, stem, objective)
    values = [
        o.indicator.value_column
        for a in reversed(agreements)
        for o in a.objectives
        if stream_name(o) == target.stream and o.indicator.value_column is not None
    ]
    return replace(target, value_column=values[0]) if values else target


def target_for(agreement: Agreement, stem: str, objective: str | None) -> Target:
    """The target of a file: by `--indicator` (an objective's name), else by the file's name."""
    if objective is None and stem == ANNOUNCEMENTS:
        return Target(agreement.name, ANNOUNCEMENTS, ANNOUNCEMENTS, "value")
    objectives = {o.name: o for o in agreement.objectives}
    if objective is not None and objective not in objectives:
        raise _refuse(f"no objective {objective!r} in {agreement.name}", f"use one of {', '.join(objectives)}")
    stream = stream_name(objectives[objective]) if objective else stem
    readers = [o for o in agreement.objectives if stream_name(o) == stream]
    if not readers:
        streams = sorted({stream_name(o) for o in agreement.objectives} | {ANNOUNCEMENTS})
        raise _refuse(
            f"no objective of {agreement.name} reads a stream {stream!r}",
            f"name the file after a stream ({', '.join(streams)}) or pass --indicator",
        )
    kinds = {o.indicator.rows for o in readers}
    if len(kinds) > 1:
        raise _refuse(f"stream {stream!r} is read as {' and '.join(sorted(kinds))}", "give each kind its own stream")
    values = [o.indicator.value_column for o in readers if o.indicator.value_column is not None]
    return Target(agreement.name, stream, kinds.pop(), values[0] if values else "value")


def _refuse(message: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<ingest>", None, None, "--indicator", message, hint)])


@dataclass
class _Counts:
    good: int = 0
    valid: int = 0
    values: int = 0
    total: Decimal = Decimal(0)


def minute_buckets(versions: Sequence[InForce], stream: str, events: Sequence[Event]) -> list[Bucket]:
    """Per objective and minute: good, valid, and the count and sum of values, by the version in force."""
    table = EventTable.from_events(events)
    minutes = table.at - table.at % US_PER_MINUTE
    totals: dict[tuple[str, int], _Counts] = defaultdict(_Counts)
    for version in versions:
        inside = (table.at >= version.start) & (table.at < (version.end if version.end is not None else 2**62))
        for objective in version.agreement.objectives:
            indicator = objective.indicator
            if stream_name(objective) != stream or indicator.rows != "events":
                continue
            if isinstance(indicator, FreshnessIndicator | CaseIndicator) or indicator.fed_by_metric_source:
                continue
            if isinstance(indicator, StatisticIndicator):
                valid = inside & mask(table.columns, table.size, indicator.where, indicator.where_not)
                _count(totals, objective.name, minutes, valid, valid)
                for index in np.flatnonzero(valid).tolist():
                    value = table.values[index]
                    if value is not None:
                        entry = totals[(objective.name, int(minutes[index]))]
                        entry.values += 1
                        entry.total += value
            else:
                valid, good = classify(indicator, table)
                _count(totals, objective.name, minutes, inside & valid, inside & good)
    return [Bucket(name, minute, c.good, c.valid, c.values, c.total) for (name, minute), c in sorted(totals.items())]


def _count(
    totals: dict[tuple[str, int], _Counts],
    name: str,
    minutes: npt.NDArray[np.int64],
    valid: npt.NDArray[np.bool_],
    good: npt.NDArray[np.bool_],
) -> None:
    for flags, field in ((valid, "valid"), (good, "good")):
        found, counts = np.unique(minutes[flags], return_counts=True)
        for minute, count in zip(found.tolist(), counts.tolist(), strict=True):
            entry = totals[(name, minute)]
            setattr(entry, field, getattr(entry, field) + count)


def late_data(results: Sequence[StoredResult], instants: Sequence[int], batch: str, now: int) -> list[Adjustment]:
    """Closed periods with a stored result that rows of this batch fall into."""
    found = []
    for result in results:
        rows = sum(1 for at in instants if result.start <= at < result.end)
        if rows:
            found.append(Adjustment(result.agreement, result.objective, result.period, batch, rows, now))
    return found


def late_counts(
    results: Sequence[StoredResult], counts: npt.NDArray[np.integer[Any]], first: int, batch: str, now: int
) -> list[Adjustment]:
    """Closed periods with a stored result that rows of this batch fall into (periods on whole minutes)."""
    per_minute = counts.sum(axis=0)
    found = []
    for result in results:
        low = max(0, -(-(result.start - first) // US_PER_MINUTE))
        high = min(per_minute.size, -(-(result.end - first) // US_PER_MINUTE))
        rows = int(per_minute[low:high].sum()) if high > low else 0
        if rows:
            found.append(Adjustment(result.agreement, result.objective, result.period, batch, rows, now))
    return found
