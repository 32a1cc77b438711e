"""What the engine measures: events, incidents, exclusion announcements and case events.

Plain, immutable values with instants in microseconds (see `attain.engine.instant`). Adapters
(files, stores, HTTP) build them; the engine never reads anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.filter import column
from attain.model import ExclusionKind


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a stream: when, an optional value, and its attributes."""

    at: int
    value: Decimal | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Incident:
    """An interval during which a service was down; `end` None while it is still open."""

    start: int
    end: int | None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Announcement:
    """Time declared as excluded: announced maintenance, declared force majeure, and so on.

    `announced_at` is when the customer was told; maintenance counts as excluded only when it was
    announced at least the agreement's `minimumNotice` before `start`. `objectives` empty means
    every objective.
    """

    start: int
    end: int
    kind: ExclusionKind
    announced_at: int
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One event on a case's clock: `type` is matched against the indicator's clock roles."""

    case: str
    type: str
    at: int
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventTable:
    """Events of one stream as columns, sorted by time: the form the engine computes on.

    `at` holds instants; `values` the exact values (None where absent); `columns` each
    attribute as normalised text (`filter.ABSENT` where the event lacks it).
    """

    at: npt.NDArray[np.int64]
    values: tuple[Decimal | None, ...]
    columns: Mapping[str, npt.NDArray[Any]]
    numbers: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    """The values as floats (NaN where absent), for vectorised comparison."""
    floats_exact: bool = False
    """True when every value has at most 15 significant digits and a magnitude between 1e-300 and
    1e300, so that comparing the floats orders them exactly as the decimals (a correctly rounded
    conversion is monotonic, and two distinct normal decimals of at most 15 digits never round to
    the same double)."""

    @property
    def size(self) -> int:
        """Number of events."""
        return int(self.at.size)

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> EventTable:
        """Build the columns from events, in time order (stable for equal instants)."""
        ordered = sorted(events, key=lambda e: e.at)
        keys = sorted({k for e in ordered for k in e.attributes})
        columns = {k: column([e.attributes.get(k) for e in ordered]) for k in keys}
        at = np.array([e.at for e in ordered], dtype=np.int64)
        values = tuple(e.value for e in ordered)
        numbers = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        exact = all(v is None or float_exact(v) for v in values)
        return cls(at, values, columns, numbers, exact)


@dataclass(frozen=True)
class MinuteCounts:
    """Per-minute good and valid counts of one objective, as a store keeps them.

    `good[i]` and `valid[i]` count the minute starting at `first_minute + i` minutes. When the
    measurements carry counts for an objective, the engine uses them instead of classifying that
    objective's events (the store classified them on arrival, with the version then in force).
    """

    first_minute: int
    good: npt.NDArray[np.int64] | npt.NDArray[np.int32]
    valid: npt.NDArray[np.int64] | npt.NDArray[np.int32]


@dataclass(frozen=True)
class Measurements:
    """Everything measured, by stream name: events, incidents, case events; plus announcements."""

    events: Mapping[str, EventTable] = field(default_factory=dict)
    incidents: Mapping[str, Sequence[Incident]] = field(default_factory=dict)
    cases: Mapping[str, Sequence[CaseEvent]] = field(default_factory=dict)
    announcements: Sequence[Announcement] = ()
    counts: Mapping[str, MinuteCounts] = field(default_factory=dict)
    """Per-minute counts by objective name, used instead of classifying that objective's events."""


def float_exact(value: Decimal) -> bool:
    """Whether `float(value)` orders exactly like `value` among other such values."""
    if not value.is_finite():
        return False
    if value.is_zero():
        return True
    return len(value.as_tuple().digits) <= 15 and -300 < value.adjusted() < 300
