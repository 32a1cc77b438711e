"""Which events are valid and which are good, for ratio, threshold and probe indicators.

- ratio: valid events match `valid`; good ones also match `good` (or do not match `bad`).
- threshold: valid events match `where`/`whereNot`; good ones have `value op bound`, compared
  exactly (lt is strictly below: a latency of exactly 5 s is not `lt 5 s`). An event without a
  value counts as `missing` says: bad (the default: a timeout is a failure), good, or invalid.
- availability from probes: valid probes match `where`; good ones match `up`.

The result is two boolean masks over the event table, then per-minute buckets of counts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.filter import mask
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import EventTable, float_exact
from attain.model import (
    AvailabilityIndicator,
    MissingValue,
    Operator,
    RatioIndicator,
    Selector,
    ThresholdIndicator,
)

Mask = npt.NDArray[np.bool_]
Counts = npt.NDArray[np.int64]

COMPARE: dict[Operator, Callable[[Any, Any], Any]] = {
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}


class MetricIndicatorError(ValueError):
    """The indicator reads a metric query, so events cannot be classified; counts are needed."""


def classify(
    indicator: RatioIndicator | ThresholdIndicator | AvailabilityIndicator, table: EventTable
) -> tuple[Mask, Mask]:
    """Return (valid, good) masks over the table's events; good implies valid."""
    if isinstance(indicator, RatioIndicator):
        valid = _select(indicator.valid, table)
        if indicator.good is not None:
            return valid, valid & _select(indicator.good, table)
        assert indicator.bad is not None
        return valid, valid & ~_select(indicator.bad, table)
    if isinstance(indicator, ThresholdIndicator):
        return _threshold(indicator, table)
    valid = mask(table.columns, table.size, indicator.where)
    assert indicator.up is not None
    return valid, valid & _select(indicator.up, table)


def _select(selector: Selector, table: EventTable) -> Mask:
    if selector.metric is not None:
        raise MetricIndicatorError(
            f"selector reads the {selector.metric.type} metric; events cannot be classified by it"
        )
    return mask(table.columns, table.size, selector.where, selector.where_not)


def _threshold(indicator: ThresholdIndicator, table: EventTable) -> tuple[Mask, Mask]:
    valid = mask(table.columns, table.size, indicator.where, indicator.where_not)
    present = np.array([v is not None for v in table.values], dtype=bool)
    passes = compare_values(table, indicator.op, indicator.bound) & present
    if indicator.missing is MissingValue.INVALID:
        valid &= present
    elif indicator.missing is MissingValue.GOOD:
        passes |= ~present
    return valid, valid & passes


def compare_values(table: EventTable, op: Operator, bound: Decimal) -> Mask:
    """`value op bound` per event, exact: floats when they order exactly, decimals otherwise."""
    if table.floats_exact and float_exact(bound):
        with np.errstate(invalid="ignore"):
            result: Mask = COMPARE[op](table.numbers, float(bound))
        return result & ~np.isnan(table.numbers)
    compare = COMPARE[op]
    return np.array([v is not None and bool(compare(v, bound)) for v in table.values], dtype=bool)


def bucket(at: npt.NDArray[np.int64], flags: Mask, first_minute: int, minutes: int) -> Counts:
    """Count flagged events per minute: bucket i covers [first_minute + i min, + (i + 1) min)."""
    index = (at[flags] - first_minute) // US_PER_MINUTE
    index = index[(index >= 0) & (index < minutes)]
    return np.bincount(index, minlength=minutes).astype(np.int64)


def minute_floor(instant: int) -> int:
    """The start of the minute that contains `instant`."""
    return instant - instant % US_PER_MINUTE
