"""What drives failures: bad events, downtime or breached cases split by each attribute's values.

Every row the objective measured (an event, an incident, a case) carries attributes (region,
endpoint, status, priority, agent, customer, …). For each attribute (a *dimension*) the rows are
grouped by its value and their weights added, exactly, with no sampling:

- `bad`: what the row cost: 1 for a bad event or a breached case, the µs of downtime an incident
  spent inside the period;
- `valid`: 1 for a valid event or a decided case (0 for incidents, which count time);
- `previous`: the row's `bad` in the period before, for the change.

For one value of one dimension (a *driver*):

- `share = bad ÷ total bad`: the part of the failures that came with this value, so that the
  shares of every value of one dimension add up to 1 (a row without the attribute is counted
  under `ABSENT`, so no row is lost);
- `budget_share = bad ÷ allowed`, with `allowed = (1 − target) × valid` (events, cases) or
  `(1 − target) × measured µs` (time): the part of the period's error budget it consumed, so
  that the budget shares of one dimension add up to the budget consumed (`total bad ÷ allowed`,
  which is above 1 when the budget is overspent);
- `change = bad − previous`, and the share's change in points, `share − previous share`.

Values are ranked by `bad` (which orders them by budget share too), most first, ties by
value; dimensions by their leading value's share, so the attribute that concentrates the
failures most comes first. A dimension shows its first `top` values; the rest are summed in
`rest`. Ratios are Decimals rounded toward −∞ (`exact.RATIO`), like every ratio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.exact import RATIO, to_decimal
from attain.engine.filter import ABSENT

Weights = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Dimension:
    """One attribute over the rows: its distinct values (sorted) and each row's index into them."""

    name: str
    values: tuple[str, ...]
    codes: npt.NDArray[np.intp]


IDENTIFIER_VALUES = 50
"""An attribute with more distinct values than this, and more than half as many as rows, is an identifier."""


def dimensions(columns: Mapping[str, npt.NDArray[Any]]) -> tuple[Dimension, ...]:
    """Each attribute column factorised once, by name, so that every objective on the rows reuses it.

    Identifiers (a request id, a free-text summary: more than `IDENTIFIER_VALUES` distinct values
    and more than half as many as rows) are left out: every value would be its own driver.
    """
    found = []
    for name in sorted(columns):
        values, codes = np.unique(columns[name], return_inverse=True)
        if values.size > IDENTIFIER_VALUES and 2 * values.size > codes.size:
            continue
        found.append(Dimension(name, tuple(str(v) for v in values.tolist()), codes.astype(np.intp)))
    return tuple(found)


@dataclass(frozen=True)
class Driver:
    """One value of one dimension: what it cost in the period and the period before."""

    value: str
    """The attribute's value as text; `ABSENT` for rows without the attribute."""
    bad: int
    valid: int
    previous: int
    share: Decimal | None
    """bad ÷ total bad (None when nothing was bad)."""
    budget_share: Decimal | None
    """bad ÷ allowed (None when nothing was allowed)."""
    previous_share: Decimal | None
    """previous ÷ total bad of the period before (None when nothing was bad then)."""
    values: int = 1
    """How many values it stands for: 1, or the number of values summed into a dimension's rest."""

    @property
    def absent(self) -> bool:
        """Whether it stands for the rows that lack the attribute."""
        return self.value == ABSENT

    @property
    def change(self) -> int:
        """Bad − previous."""
        return self.bad - self.previous

    @property
    def share_change(self) -> Decimal | None:
        """Share − previous share, in share units (0.1 = ten points); None when either is None."""
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share


@dataclass(frozen=True)
class DimensionDrivers:
    """One dimension's values ranked, the first `top` of them, and the rest summed."""

    dimension: str
    drivers: tuple[Driver, ...]
    rest: Driver | None
    """The values after the first `top` (with any bad now or before) summed; None when there are none."""


@dataclass(frozen=True)
class Drivers:
    """Totals of one objective in the period and the period before, and every dimension's drivers."""

    bad: int
    valid: int
    previous: int
    allowed: Fraction | None
    """(1 − target) × valid or × measured µs, exactly; None when no budget applies."""
    dimensions: tuple[DimensionDrivers, ...]

    @property
    def consumed(self) -> Decimal | None:
        """Bad ÷ allowed: the share of the error budget consumed (None when nothing was allowed)."""
        return _ratio(Fraction(self.bad), self.allowed)


@dataclass(frozen=True)
class ObjectiveDrivers:
    """One objective's drivers in the period, or why it has none.

    `unit` is what `bad` counts: `events`, `cases`, or `µs` of downtime.
    """

    objective: str
    unit: str
    drivers: Drivers | None
    skipped: str | None = None


@dataclass(frozen=True)
class DriversReport:
    """The drivers of each objective of an agreement in one period, against the period before."""

    agreement: str
    version: int
    period: str
    previous: str
    current: tuple[int, int]
    """The period `[start, end)` in µs, its end clipped to the instant it was ranked at."""
    before: tuple[int, int]
    """The period before, likewise."""
    objectives: tuple[ObjectiveDrivers, ...]


def _ratio(part: Fraction, whole: Fraction | None) -> Decimal | None:
    return None if not whole else to_decimal(part / whole, RATIO)


def rank_drivers(
    found: tuple[Dimension, ...],
    bad: Weights,
    valid: Weights,
    previous: Weights,
    allowed: Fraction | None,
    top: int = 5,
) -> Drivers:
    """Rank each dimension's values by what they cost (see the module docstring).

    Args:
        found: The dimensions over the rows (`dimensions`).
        bad: Per row, what it cost in the period (0 when good or outside the period).
        valid: Per row, 1 when it counts as valid in the period (events, cases), else 0.
        previous: Per row, what it cost in the period before.
        allowed: The period's error budget in `bad`'s unit, exactly; None without one.
        top: How many values of each dimension to show before the rest.
    """
    total, total_previous = int(bad.sum()), int(previous.sum())
    ranked = [_dimension(d, bad, valid, previous, (total, total_previous), allowed, top) for d in found]
    ranked.sort(key=lambda d: (-(d.drivers[0].bad if d.drivers else 0), d.dimension))
    return Drivers(total, int(valid.sum()), total_previous, allowed, tuple(ranked))


def _dimension(
    dimension: Dimension,
    bad: Weights,
    valid: Weights,
    previous: Weights,
    totals: tuple[int, int],
    allowed: Fraction | None,
    top: int,
) -> DimensionDrivers:
    size = len(dimension.values)
    sums = [_sum(dimension, w) for w in (bad, valid, previous)]
    order = sorted(
        (i for i in range(size) if sums[0][i] or sums[2][i]),
        key=lambda i: (-sums[0][i], -sums[2][i], dimension.values[i]),
    )
    drivers = [_driver(dimension.values[i], sums[0][i], sums[1][i], sums[2][i], totals, allowed) for i in order[:top]]
    rest = order[top:]
    summed = None
    if rest:
        parts = [sum(sums[k][i] for i in rest) for k in range(3)]
        summed = _driver("", parts[0], parts[1], parts[2], totals, allowed, len(rest))
    return DimensionDrivers(dimension.name, tuple(drivers), summed)


def _sum(dimension: Dimension, weights: Weights) -> list[int]:
    """Exact sums of integer weights per value (np.bincount adds in float64, which is exact below 2**53)."""
    if weights.size and int(np.abs(weights).max()) * weights.size >= 2**53:
        totals = [0] * len(dimension.values)
        for code, weight in zip(dimension.codes.tolist(), weights.tolist(), strict=True):
            totals[code] += weight
        return totals
    return [int(x) for x in np.bincount(dimension.codes, weights=weights, minlength=len(dimension.values)).tolist()]


def _driver(
    value: str, bad: int, valid: int, previous: int, totals: tuple[int, int], allowed: Fraction | None, values: int = 1
) -> Driver:
    total, total_previous = totals
    return Driver(
        value=value,
        bad=int(bad),
        valid=int(valid),
        previous=int(previous),
        share=_ratio(Fraction(int(bad)), Fraction(total)),
        budget_share=_ratio(Fraction(int(bad)), allowed),
        previous_share=_ratio(Fraction(int(previous)), Fraction(total_previous)),
        values=values,
    )


def allowed_budget(target: Decimal, amount: int) -> Fraction:
    """`(1 − target) × amount` exactly: the error budget over `amount` valid rows or measured µs."""
    return (1 - Fraction(target)) * amount
