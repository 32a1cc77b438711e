"""Good and valid by local weekday and hour: hour rows placed in the agreement's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

from attain.engine.instant import to_us
from attain.engine.seasonality import seasonality


def test_hours_fall_on_local_weekdays_and_hours() -> None:
    """Sunday 23:00 UTC and Monday 00:00 UTC are Monday 00:00 and 01:00 in Berlin (UTC+1 in November)."""
    starts = np.array(
        [to_us(datetime(2026, 11, 1, 23, tzinfo=UTC)), to_us(datetime(2026, 11, 2, 0, tzinfo=UTC))], dtype=np.int64
    )
    found = seasonality(starts, np.array([5, 9], dtype=np.int64), np.array([10, 10], dtype=np.int64), "Europe/Berlin")
    assert [(s.good, s.valid) for s in found.weekdays] == [(14, 20)] + [(0, 0)] * 6
    assert (found.hours[0].good, found.hours[0].valid, found.hours[1].good, found.hours[1].valid) == (5, 10, 9, 10)
    assert found.weekdays[0].ratio == Decimal("0.7")
    worst = found.worst(found.hours)
    assert worst is not None
    assert (worst.index, worst.ratio) == (0, Decimal("0.5"))
    assert found.hours[2].ratio is None


def test_no_rows_give_no_worst_slot() -> None:
    """Without counts every slot is empty and none is the worst."""
    empty = np.zeros(0, dtype=np.int64)
    found = seasonality(empty, empty, empty, "UTC")
    assert found.worst(found.weekdays) is None
