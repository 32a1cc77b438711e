"""Statistics of a value per period: mean, median, min, max and percentiles, exactly.

- mean: the exact sum of the values divided by their count, rounded half-even to 28 significant
  digits (whatever the caller's decimal context); interpolated percentiles likewise.
- percentile p, nearest-rank: the value at rank ⌈p·n/100⌉ of the sorted values (rank 1 is the
  smallest); p = 100 gives the maximum. This is the classic definition (NIST, Wikipedia
  "Percentile", nearest-rank method), never an interpolated value.
- percentile p, linear: with h = (n − 1)·p/100, the value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
  on 0-based sorted values (Hyndman & Fan type 7, the default of numpy and Excel's PERCENTILE.INC).
- median: the linear 50th percentile (the mean of the two middle values for an even count).

Events without a value are left out of every statistic; a period with no values has no data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from attain.engine.classify import COMPARE
from attain.engine.exact import to_decimal
from attain.model import PercentileMethod, StatisticIndicator, StatisticName


@dataclass(frozen=True, slots=True)
class StatisticResult:
    """The statistic of a period's values, and whether it meets the bound."""

    count: int
    value: Decimal | None
    met: bool | None


def statistic(indicator: StatisticIndicator, values: Sequence[Decimal]) -> StatisticResult:
    """Compute the indicator's statistic over `values` and compare it with the bound."""
    if not values:
        return StatisticResult(0, None, None)
    ordered = sorted(values)
    name = indicator.statistic
    if name is StatisticName.MEAN:
        value = to_decimal(sum((Fraction(v) for v in ordered), Fraction(0)) / len(ordered))
    elif name is StatisticName.MIN:
        value = ordered[0]
    elif name is StatisticName.MAX:
        value = ordered[-1]
    elif name is StatisticName.MEDIAN:
        value = linear_percentile(ordered, Decimal(50))
    else:
        assert indicator.percentile is not None
        if indicator.method is PercentileMethod.NEAREST_RANK:
            value = nearest_rank(ordered, indicator.percentile)
        else:
            value = linear_percentile(ordered, indicator.percentile)
    return StatisticResult(len(ordered), value, bool(COMPARE[indicator.op](value, indicator.bound)))


def nearest_rank(ordered: Sequence[Decimal], percentile: Decimal) -> Decimal:
    """The nearest-rank percentile of sorted values: the value at rank ⌈p·n/100⌉ (at least 1)."""
    rank = max(1, math.ceil(percentile * len(ordered) / 100))
    return ordered[rank - 1]


def linear_percentile(ordered: Sequence[Decimal], percentile: Decimal) -> Decimal:
    """The linearly interpolated percentile of sorted values (Hyndman & Fan type 7)."""
    position = (len(ordered) - 1) * Fraction(percentile) / 100
    low = math.floor(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    fraction = position - low
    return to_decimal(Fraction(ordered[low]) + fraction * (Fraction(ordered[low + 1]) - Fraction(ordered[low])))
