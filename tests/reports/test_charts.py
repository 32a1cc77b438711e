"""Report charts: Vega-Lite specs of exact points, drawn to SVG without scripts or external links."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.reports.charts import attainment_spec, burn_down_spec, to_svg

LABELS = {"day": "Day", "value": "Attained", "target": "Target"}
DAYS = [(date(2026, 10, 1), Decimal("0.999")), (date(2026, 10, 2), None), (date(2026, 10, 3), Decimal("0.9875"))]


def test_attainment_points_are_percentages_by_day_of_month_and_skip_days_without_data() -> None:
    """0.999 and 0.9875 become 99.9 and 98.75 on days 1 and 3; the 99.5% target is a rule at 99.5."""
    spec = attainment_spec(DAYS, Decimal("0.995"), LABELS, percent=True)
    line, rule = spec["layer"]
    assert line["data"]["values"] == [{"day": 1, "value": 99.9}, {"day": 3, "value": 98.75}]
    assert (line["encoding"]["x"]["title"], line["encoding"]["y"]["title"]) == ("Day", "Attained")
    assert rule["data"]["values"] == [{"target": 99.5}]
    assert (spec["width"], spec["height"], spec["background"]) == (520, 160, "white")


def test_a_statistic_is_drawn_as_is_and_without_a_bound_has_no_rule() -> None:
    """Values that are not ratios (250 ms) are not scaled; no target means one layer only."""
    spec = attainment_spec([(date(2026, 10, 5), Decimal(250))], None, LABELS, percent=False)
    assert [layer["data"]["values"] for layer in spec["layer"]] == [[{"day": 5, "value": 250.0}]]


def test_burn_down_is_the_budget_left_in_percent_with_a_zero_line() -> None:
    """Half the budget left is 50; an overspent budget (−0.25) goes below the zero line at −25."""
    spec = burn_down_spec([(date(2026, 10, 1), Decimal("0.5")), (date(2026, 10, 2), Decimal("-0.25"))], LABELS)
    area, zero = spec["layer"]
    assert area["data"]["values"] == [{"day": 1, "left": 50.0}, {"day": 2, "left": -25.0}]
    assert zero["data"]["values"] == [{"zero": 0}]


def test_svg_has_no_script_and_no_external_reference() -> None:
    """The drawn chart is one inline SVG element with no script and no href outside the document."""
    svg = str(to_svg(attainment_spec(DAYS, Decimal("0.995"), LABELS, percent=True)))
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<script" not in svg.lower()
    assert 'href="http' not in svg


def test_a_dated_burn_down_writes_month_and_day_in_the_given_order() -> None:
    """Across a month end, 31 October then 1 November are 10-31 and 11-01, drawn in that order."""
    spec = burn_down_spec([(date(2026, 10, 31), Decimal(1)), (date(2026, 11, 1), Decimal("0.75"))], LABELS, dated=True)
    area = spec["layer"][0]
    assert area["data"]["values"] == [{"day": "10-31", "left": 100.0}, {"day": "11-01", "left": 75.0}]
    assert area["encoding"]["x"]["sort"] is None
