"""Samples into counts: each minute's valid and good (or bad) sample as exact integer counts.

Values arrive as float strings; each is read as an exact decimal and rounded half to even to an
integer. A minute where neither series has a sample is no data (good 0, valid 0) and is returned
among the gaps, never as good. NaN, ±Inf, negative values and a good (or bad) sample without a
valid one are data problems: the minute is recorded as no data and the problem is reported. A
`good` above `valid` is clipped to `valid`; a `bad` above `valid` gives good 0; both are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import numpy as np

from attain.engine.instant import US_PER_MINUTE, Interval, from_us, merge
from attain.engine.measurement import MinuteCounts


@dataclass(frozen=True)
class DataProblem:
    """Something wrong with one minute's samples, and what attain recorded instead."""

    objective: str
    minute: int
    message: str

    def __str__(self) -> str:
        return f"{self.objective} {from_us(self.minute).isoformat()}: {self.message}"


@dataclass(frozen=True)
class Fetched:
    """The counts of `[start, end)`, the minutes recorded as no data, and the problems met."""

    counts: MinuteCounts
    gaps: list[Interval]
    problems: list[DataProblem]


def to_count(text: str) -> int | None:
    """A sample as an integer count, rounded half to even from its exact decimal; None for NaN, ±Inf."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))


def combine(
    objective: str, start: int, minutes: int, valid: dict[int, str], part: dict[int, str], *, bad: bool
) -> Fetched:
    """Per-minute counts from the valid series and the good (or, with `bad`, the bad) series."""
    good_counts, valid_counts = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    gaps: list[Interval] = []
    problems: list[DataProblem] = []
    name = "bad" if bad else "good"
    for index in range(minutes):
        minute = start + index * US_PER_MINUTE
        raw_valid, raw_part = valid.get(index), part.get(index)
        message = None
        if raw_valid is None and raw_part is not None:
            message = f"{name} is {raw_part} but valid has no sample (stale or absent); recorded as no data"
        total = None if raw_valid is None else to_count(raw_valid)
        counted = 0 if raw_part is None else to_count(raw_part)
        if raw_valid is not None and (total is None or counted is None):
            message = f"valid {raw_valid}, {name} {raw_part}: not a finite number; recorded as no data"
        elif total is not None and counted is not None and min(total, counted) < 0:
            message = f"valid {total}, {name} {counted}: a count cannot be negative; recorded as no data"
        if message is not None:
            problems.append(DataProblem(objective, minute, message))
        if message is not None or total is None or counted is None:
            gaps.append((minute, minute + US_PER_MINUTE))
            continue
        if counted > total:
            kept = 0 if bad else total
            problems.append(DataProblem(objective, minute, f"{name} {counted} above valid {total}; good set to {kept}"))
            counted = total
        good_counts[index] = total - counted if bad else counted
        valid_counts[index] = total
    return Fetched(MinuteCounts(start, good_counts, valid_counts), merge(gaps), problems)
