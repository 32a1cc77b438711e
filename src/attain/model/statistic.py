"""Which statistic, how a percentile is read, and how an event without a value takes part.

An event without a value is, say, a request that timed out.

- `missing: ignore` (the default): events without a value are left out; n counts measured values.
- `missing: worst`: each such event counts in n and ranks as worse than every measured value
  (above them all when lower is good, `op: lt`/`le`; below them all when higher is good).
- `missing: timeout` (implied by giving `timeout`): each such event takes the value `timeout`,
  in `unit`, so that every statistic, the mean included, is computed over all events.

The engine's arithmetic is in `attain.engine.statistic`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from attain.model.base import invalid
from attain.model.selector import duration_in_unit


class StatisticName(StrEnum):
    """Which statistic of the period's values is compared with the bound."""

    MEAN = "mean"
    MEDIAN = "median"
    PERCENTILE = "percentile"
    MAX = "max"
    MIN = "min"


class PercentileMethod(StrEnum):
    """How a percentile is read from the sorted values."""

    NEAREST_RANK = "nearest-rank"
    LINEAR = "linear"


class MissingStatistic(StrEnum):
    """How an event without a value (a timeout) takes part in a statistic (see the module docstring)."""

    IGNORE = "ignore"
    WORST = "worst"
    TIMEOUT = "timeout"


def timeout_shorthand(data: Any) -> Any:
    """Read `timeout`: it implies `missing: timeout`, and a duration is converted exactly into `unit`.

    `timeout: 30s` with `unit: ms` is 30000; the unit must then be a time unit (`s` if none).

    Runs after the bound's own conversion (`attain.model.selector.duration_bound`), so `unit` is
    already the bound's.
    """
    if not isinstance(data, dict) or data.get("timeout") is None:
        return data
    data = {"missing": MissingStatistic.TIMEOUT.value, **data}
    return duration_in_unit(data, "timeout")


def check_missing(missing: MissingStatistic, timeout: Decimal | None) -> None:
    """`missing: timeout` needs a `timeout`, and a `timeout` needs `missing: timeout`."""
    if missing is MissingStatistic.TIMEOUT and timeout is None:
        raise invalid("missing: timeout needs a timeout value", "add timeout: 30s (or a number in unit)")
    if missing is not MissingStatistic.TIMEOUT and timeout is not None:
        raise invalid(
            f"timeout takes the place of a missing value, which missing: {missing} contradicts",
            "remove missing (a timeout implies missing: timeout) or remove timeout",
        )
