"""`attain status` writes each forecast in one line: projected attainment, probability and when the budget is gone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from attain.cli.output import forecast_text
from attain.engine.forecast import Projection
from attain.engine.instant import to_us
from attain.engine.outlook import Forecast

AT = to_us(datetime(2026, 12, 5, 20, tzinfo=UTC))
END = to_us(datetime(2027, 1, 1, tzinfo=UTC))


def _forecast(gone: int | None) -> Forecast:
    projection = Projection(Decimal("0.99921306"), Decimal("0.4441"), gone, Decimal(35810), Decimal("28.18"))
    return Forecast("availability", "2026-12", AT, END, "events", Decimal("0.999"), projection)


def test_a_budget_that_lasts() -> None:
    """99.921306% against 99.9% shows as 99.92% (two places, cut); the probability as an exact percentage."""
    assert forecast_text(_forecast(None)) == (
        "forecast availability 2026-12: 99.92% expected at the end (target 99.9%), breach probability 44.41%; "
        "at the current burn the budget lasts the period"
    )


def test_a_budget_gone_later_and_already() -> None:
    """A later instant is written in UTC to the minute; the evaluation instant itself reads as already gone."""
    later = to_us(datetime(2026, 12, 20, 13, 0, 30, tzinfo=UTC))
    assert forecast_text(_forecast(later)).endswith("the budget is gone on 2026-12-20 13:00 UTC")
    assert forecast_text(_forecast(AT)).endswith("the budget is already gone")
