"""Statistics of a value per period: mean, median, min, max and percentiles, exactly.

- mean: the exact sum of the values divided by their count, rounded half-even to 28 significant
  digits (whatever the caller's decimal context); interpolated percentiles likewise.
- percentile p, nearest-rank: the value at rank ⌈p·n/100⌉ of the sorted values (rank 1 is the
  smallest); p = 100 gives the maximum. This is the classic definition (NIST, Wikipedia
  "Percentile", nearest-rank method), never an interpolated value.
- percentile p, linear: with h = (n − 1)·p/100, the value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
  on 0-based sorted values (Hyndman & Fan type 7, the default of numpy and Excel's PERCENTILE.INC).
- median: the linear 50th percentile (the mean of the two middle values for an even count).

Events without a value (timeouts) take part as the indicator's `missing` says
(`attain.model.statistic`):

- `ignore`: left out; n is the number of measured values.
- `timeout`: each takes the value `timeout`; every statistic above is then taken over all n events.
- `worst`: each counts in n and ranks as worse than every measured value: as +∞ when lower is
  good (`op` lt or le), as −∞ when higher is good (gt or ge). A statistic that reaches such an
  event (the percentile's rank falls on it, or interpolates towards it; the mean or the extreme
  of a period with any) is "beyond every measured value": it has no finite value and does not
  meet the (always finite) bound.

A period with no events (n = 0) has no data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from attain.engine.classify import COMPARE
from attain.engine.exact import to_decimal
from attain.model import MissingStatistic, Operator, PercentileMethod, StatisticIndicator, StatisticName


@dataclass(frozen=True, slots=True)
class StatisticResult:
    """The statistic of a period's values, and whether it meets the bound.

    `value` is None without data, and also when `beyond` is set: the statistic reached an event
    ranked as worse than every measured value (`missing: worst`), so it has no finite value.
    """

    count: int
    value: Decimal | None
    met: bool | None
    beyond: bool = False


def statistic(indicator: StatisticIndicator, values: Sequence[Decimal], missing: int = 0) -> StatisticResult:
    """Compute the indicator's statistic over `values` and `missing` events without a value.

    Args:
        indicator: the statistic, its bound, and how missing values take part.
        values: the measured values, in any order.
        missing: how many events of the period have no value.
    """
    if indicator.missing is MissingStatistic.IGNORE:
        missing = 0
    elif indicator.missing is MissingStatistic.TIMEOUT:
        assert indicator.timeout is not None
        values, missing = [*values, *([indicator.timeout] * missing)], 0
    if not values and not missing:
        return StatisticResult(0, None, None)
    worst = Decimal("Infinity") if indicator.op in (Operator.LT, Operator.LE) else Decimal("-Infinity")
    ordered = sorted([*values, *([worst] * missing)])
    value = _value(indicator, ordered)
    met = bool(COMPARE[indicator.op](value, indicator.bound))
    if value.is_infinite():
        return StatisticResult(len(ordered), None, met, beyond=True)
    return StatisticResult(len(ordered), value, met)


def _value(indicator: StatisticIndicator, ordered: Sequence[Decimal]) -> Decimal:  # noqa: PLR0911 - one per statistic
    name = indicator.statistic
    if name is StatisticName.MEAN:
        infinite = [v for v in ordered if v.is_infinite()]
        if infinite:
            return infinite[0]
        return to_decimal(sum((Fraction(v) for v in ordered), Fraction(0)) / len(ordered))
    if name is StatisticName.MIN:
        return ordered[0]
    if name is StatisticName.MAX:
        return ordered[-1]
    if name is StatisticName.MEDIAN:
        return linear_percentile(ordered, Decimal(50))
    assert indicator.percentile is not None
    if indicator.method is PercentileMethod.NEAREST_RANK:
        return nearest_rank(ordered, indicator.percentile)
    return linear_percentile(ordered, indicator.percentile)


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
    if fraction == 0:
        return ordered[low] if ordered[low].is_infinite() else to_decimal(Fraction(ordered[low]))
    if ordered[low].is_infinite() or ordered[low + 1].is_infinite():
        # x + f·(y − x) with an infinite end: −∞ below pulls to −∞, +∞ above pulls to +∞.
        return ordered[low] if ordered[low].is_infinite() else ordered[low + 1]
    return to_decimal(Fraction(ordered[low]) + fraction * (Fraction(ordered[low + 1]) - Fraction(ordered[low])))
