"""Charts over time: the ideal line, the linear projection and the specs built from them, by hand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from attain.reports.timeline import Band, burn_down_over_time, burn_rate_spec, gone_day, ideal_line, projection

LABELS = {"day": "Day", "value": "Left (%)", "left": "Left", "ideal": "Ideal", "projection": "Projection"}


def test_ideal_line_spends_evenly():
    """Four days: 3/4, 1/2, 1/4 and nothing left."""
    assert ideal_line(4) == [Decimal("0.75"), Decimal("0.5"), Decimal("0.25"), Decimal(0)]


def test_projection_continues_the_burn_so_far():
    """80% left after 10 of 30 days burns 2% a day: 40% left at day 30."""
    found = projection(Decimal("0.8"), 10, 30)
    assert found[0] == (10, Decimal("0.8"))
    assert found[-1] == (30, Decimal("0.4"))
    assert gone_day(Decimal("0.8"), 10, 30) is None


def test_projection_stops_at_zero_and_names_the_day_the_budget_is_gone():
    """Half left after 5 days burns 10% a day: gone at the end of day 10, drawn at 0 after it."""
    found = dict(projection(Decimal("0.5"), 5, 30))
    assert found[9] == Decimal("0.1")
    assert found[10] == Decimal(0)
    assert found[30] == Decimal(0)
    assert gone_day(Decimal("0.5"), 5, 30) == 10


def test_no_projection_before_a_day_has_passed():
    """Nothing elapsed, nothing to project."""
    assert projection(Decimal(1), 0, 30) == []


@given(st.integers(0, 1000), st.integers(1, 30), st.integers(0, 10))
def test_projection_never_rises_and_starts_at_the_last_value(thousandths, elapsed, extra):
    """From the last value the projection only falls (or stays) and never goes below zero."""
    left = Decimal(thousandths) / 1000
    found = projection(left, elapsed, elapsed + extra)
    assert found[0] == (elapsed, left)
    values = [v for _, v in found]
    assert all(a >= b >= 0 for a, b in pairwise(values))


def test_burn_down_spec_holds_the_three_lines_and_marked_days():
    """Two days of a 4-day period: left 90%, 70%; ideal 75 … 0; projection from day 2 by 15% a day; day 2 marked."""
    days = [(date(2026, 11, 1), Decimal("0.9")), (date(2026, 11, 2), Decimal("0.7"))]
    spec = burn_down_over_time(days, 4, LABELS, [date(2026, 11, 2), date(2026, 12, 5)])
    rows = [(v["line"], v["day"], v["left"]) for v in spec["layer"][0]["data"]["values"]]
    assert rows == [
        ("Left", 1, 90.0),
        ("Left", 2, 70.0),
        ("Ideal", 1, 75.0),
        ("Ideal", 2, 50.0),
        ("Ideal", 3, 25.0),
        ("Ideal", 4, 0.0),
        ("Projection", 2, 70.0),
        ("Projection", 3, 55.0),
        ("Projection", 4, 40.0),
    ]
    assert spec["layer"][2]["data"]["values"] == [{"day": 2}]


def test_burn_rate_spec_drops_missing_and_infinite_rates_and_draws_bands_and_factors():
    """Samples without a rate are left out; bands become rects; each tier's factor a rule and a label."""
    t = datetime(2026, 11, 10, 8, 0)  # noqa: DTZ001 - local wall-clock time, naive by design
    samples = [(t, "1 hour", Decimal("2.5")), (t, "6 hours", None), (t, "1 day", Decimal("Infinity"))]
    end = datetime(2026, 11, 10, 9, 30)  # noqa: DTZ001
    bands = [Band(t, end, "alert", "Alert page", "page")]
    spec = burn_rate_spec(
        samples, [("page 1h/5m ×14.4", Decimal("14.4"))], bands, {"time": "T", "rate": "R", "window": "W"}
    )
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "line", "rule", "text"]
    assert spec["layer"][0]["data"]["values"][0] | {} == {
        "t": "2026-11-10T08:00:00Z",
        "t2": "2026-11-10T09:30:00Z",
        "kind": "alert",
        "label": "Alert page",
        "severity": "page",
    }
    assert spec["layer"][1]["data"]["values"] == [{"t": "2026-11-10T08:00:00Z", "window": "1 hour", "rate": 2.5}]
    assert spec["layer"][2]["data"]["values"] == [{"factor": 14.4, "tier": "page 1h/5m ×14.4"}]
