"""The generated range of one template, and what every template's story draws on it.

A `Span` is the range `[start, end)` in µs, the template's zone and its *bad month*: the last full
calendar month in the range (in the template's zone; the whole range when no month fits). A
template's data is a list of `Table`s, one CSV file each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, Interval, from_us, to_us

Rows = list[Sequence[str]]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Table:
    """One CSV file to write: the stream's name, its header and its rows of text."""

    name: str
    header: tuple[str, ...]
    rows: Rows


@dataclass(frozen=True)
class Span:
    """The generated range `[start, end)` in µs, the template's zone and its bad month."""

    start: int
    end: int
    zone: ZoneInfo
    bad: Interval

    def days(self) -> list[date]:
        """The local dates that overlap the range."""
        first, last = to_local(self.start, self.zone).date(), to_local(self.end - 1, self.zone).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def wall(self, day: date, hour: int, minute: int = 0) -> int:
        """The instant (µs) of a local wall-clock time on `day`."""
        return to_us(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone))

    def iso(self, instant: int) -> str:
        """An instant as ISO 8601 with the local offset, to the second."""
        return to_local(instant, self.zone).isoformat(timespec="seconds")

    def in_bad(self, instant: int) -> bool:
        """Whether the instant falls in the bad month."""
        return self.bad[0] <= instant < self.bad[1]


def to_local(instant: int, zone: ZoneInfo) -> datetime:
    """An instant (µs) as an aware datetime in `zone`."""
    return from_us(instant).astimezone(zone)


def bad_month(start: int, end: int, zone: ZoneInfo) -> Interval:
    """The last local calendar month wholly inside `[start, end)`, else the range itself."""
    first = to_local(start, zone)
    year, month = first.year, first.month
    found = (start, end)
    while True:
        low = to_us(datetime(year, month, 1, tzinfo=zone))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        high = to_us(datetime(year, month, 1, tzinfo=zone))
        if high > end:
            return found
        if low >= start:
            found = (low, high)


def utc_text(instants: Ints, unit: Literal["s", "ms"]) -> list[str]:
    """Instants (µs) as ISO 8601 UTC with `Z`, to the second (`s`) or millisecond (`ms`)."""
    return [
        str(t) for t in np.datetime_as_string(instants.astype(np.dtype("datetime64[us]")), unit=unit, timezone="UTC")
    ]


def arrivals(span: Span, rng: np.random.Generator, per_day: float, shape: Sequence[float], step: int) -> Ints:
    """Sorted arrival instants (µs, multiples of `step` µs) of a Poisson process by local hour.

    `shape` weighs the 24 local hours of a weekday and 24 more of a weekend day; the rate of an
    hour is `per_day / 24 × weight / mean weight of a weekday`.
    """
    hours = np.arange(span.start - span.start % US_PER_HOUR, span.end, US_PER_HOUR, dtype=np.int64)
    weights = np.asarray(shape, dtype=float) / np.mean(shape[:24])
    local = [to_local(int(h), span.zone) for h in hours]
    index = np.array([t.hour + (24 if t.weekday() >= 5 else 0) for t in local])
    counts = rng.poisson(per_day / 24 * weights[index])
    starts = np.repeat(hours, counts)
    times = starts + rng.integers(0, US_PER_HOUR // step, size=starts.size) * step
    times = times[(times >= span.start) & (times < span.end)]
    return np.sort(times)


def minute(instant: int) -> int:
    """The start (µs) of the minute an instant falls in."""
    return instant - instant % US_PER_MINUTE
