"""Attainment of one period under a budgeting method (OpenSLO v1 `budgetingMethod`).

Input: per-minute buckets, two int64 arrays `good` and `valid` (valid ≥ good ≥ 0); bucket `i`
covers `[first_minute + i·60 s, first_minute + (i+1)·60 s)`. The arrays are already restricted
to the period being evaluated.

Formulas (SLI = good / valid, Google SRE workbook, "Implementing SLOs"; the slice methods as
OpenSLO v1 defines them):

- Occurrences: `ratio = Σ good / Σ valid`; units are events; bad = Σ valid − Σ good.
- Timeslices: the buckets are cut into slices of `slice` minutes, counted from the first bucket.
  A slice with `v > 0` valid events is good when `g / v ≥ sliceTarget`, decided exactly as
  `g·q ≥ p·v` where `sliceTarget = p/q`. `ratio = good slices / counted slices`.
- RatioTimeslices: `ratio = (1/n) Σ gᵢ / vᵢ` over the `n` counted slices. The sum is exact (a
  rational number); good is that sum and bad is `n − good`, in "slice-ratio" units.

Conventions:

- A slice with no valid events is not counted: it is neither good nor bad, because low traffic
  is no information (the same reading as the low-traffic guard of alerting). `uncounted` says
  how many were skipped.
- A trailing slice shorter than `slice` (the buckets do not fill it, e.g. a period still
  running) is judged on the minutes it has.
- Ratios are rounded toward negative infinity (`exact.RATIO`) to 28 significant digits. Since a
  target has fewer digits, `ratio ≥ target` holds exactly when the exact ratio reaches the
  target; no rounding can lift 94.99999…% to 95%.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from attain.engine.exact import EXACT, RATIO, to_decimal
from attain.engine.exact_array import reaches, widened
from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.engine.rate import occurrence_ratio
from attain.model import Budgeting, BudgetingMethod

Unit = Literal["events", "slices", "slice-ratio"]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Attainment:
    """How much of one period was good, in the unit of its budgeting method.

    `good + bad == valid` exactly. For "slice-ratio", `good` is the sum of the slices' own ratios
    (rounded down to 28 significant digits) and `valid` the number of counted slices.
    """

    good: int | Decimal
    valid: int
    bad: int | Decimal
    ratio: Decimal | None
    """good / valid, rounded down to 28 significant digits; None when nothing was valid."""
    unit: Unit
    uncounted: int = 0
    """Slices left out for having no valid events (always 0 for Occurrences)."""
    exact: Fraction | None = field(default=None, compare=False)
    """The ratio unrounded, for edges written with more digits than `ratio` keeps (credit tiers)."""


def validate_buckets(good: npt.ArrayLike, valid: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """Check per-minute buckets (one dimension, same length, valid ≥ good ≥ 0) and return them as int64."""
    good_array, valid_array = np.asarray(good), np.asarray(valid)
    for name, array in (("good", good_array), ("valid", valid_array)):
        if array.ndim != 1 or not (np.issubdtype(array.dtype, np.integer) or array.size == 0):
            raise ValueError(f"{name}: expected a one-dimensional integer array, got {array.dtype} {array.shape}")
    if good_array.shape != valid_array.shape:
        raise ValueError(f"good and valid differ in length: {good_array.size} and {valid_array.size} buckets")
    if np.any(good_array < 0) or np.any(good_array > valid_array):
        first = int(np.flatnonzero((good_array < 0) | (good_array > valid_array))[0])
        raise ValueError(
            f"bucket {first}: need valid ≥ good ≥ 0, got good {good_array[first]} and valid {valid_array[first]}"
        )
    return good_array.astype(np.int64), valid_array.astype(np.int64)


def attain(good: npt.ArrayLike, valid: npt.ArrayLike, budgeting: Budgeting) -> Attainment:
    """The attainment of one period's buckets under `budgeting` (formulas in the module docstring).

    Raises:
        ValueError: when the buckets are malformed or the slice is not a whole number of minutes.
    """
    good_array, valid_array = validate_buckets(good, valid)
    if budgeting.method is BudgetingMethod.OCCURRENCES:
        good_total, valid_total = _total(good_array), _total(valid_array)
        ratio = occurrence_ratio(good_total, valid_total)
        exact = Fraction(good_total, valid_total) if valid_total else None
        return Attainment(good_total, valid_total, valid_total - good_total, ratio, "events", exact=exact)
    assert budgeting.slice is not None
    slice_good, slice_valid = (_slice_totals(a, _slice_minutes(budgeting.slice)) for a in (good_array, valid_array))
    counted = slice_valid > 0
    uncounted = int(np.count_nonzero(~counted))
    slice_good, slice_valid = slice_good[counted], slice_valid[counted]
    slices = int(slice_valid.size)
    if budgeting.method is BudgetingMethod.TIMESLICES:
        assert budgeting.slice_target is not None
        good_slices = int(np.count_nonzero(reaches(slice_good, slice_valid, Fraction(budgeting.slice_target))))
        ratio = occurrence_ratio(good_slices, slices)
        exact = Fraction(good_slices, slices) if slices else None
        return Attainment(good_slices, slices, slices - good_slices, ratio, "slices", uncounted, exact)
    ratio_sum = _ratio_sum(slice_good, slice_valid)
    good_part = to_decimal(ratio_sum, RATIO)
    bad_part = EXACT.subtract(Decimal(slices), good_part)
    exact = ratio_sum / slices if slices else None
    ratio = to_decimal(exact, RATIO) if exact is not None else None
    return Attainment(good_part, slices, bad_part, ratio, "slice-ratio", uncounted, exact)


def _total(counts: IntArray) -> int:
    """Σ counts as a Python int, summing as Python ints only where int64 could overflow."""
    return int(widened(counts, counts.size).sum())


def _slice_minutes(length: timedelta) -> int:
    length_us = duration_us(length)
    if length_us <= 0 or length_us % US_PER_MINUTE:
        raise ValueError(f"slice {length}: the engine needs a whole number of minutes, e.g. 1m or 5m")
    return length_us // US_PER_MINUTE


def _slice_totals(counts: IntArray, minutes: int) -> npt.NDArray[Any]:
    """Sums over consecutive runs of `minutes` buckets from the start; the last run may be shorter."""
    if counts.size == 0:
        return counts
    return np.add.reduceat(widened(counts, minutes), np.arange(0, counts.size, minutes))


def _ratio_sum(slice_good: npt.NDArray[Any], slice_valid: npt.NDArray[Any]) -> Fraction:
    """Σ gᵢ / vᵢ exactly; slices sharing a denominator are summed first, so it stays fast."""
    denominators, position = np.unique(slice_valid, return_inverse=True)
    numerators = np.zeros(denominators.size, dtype=object)
    np.add.at(numerators, position, slice_good.astype(object))
    return sum(
        (Fraction(int(n), int(d)) for n, d in zip(numerators, denominators, strict=True)),
        start=Fraction(0),
    )
