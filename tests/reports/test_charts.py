"""Report charts: Vega-Lite specs of exact points, drawn to SVG without scripts or external links."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from attain.model import Objective
from attain.reports.charts import attainment_spec, axis_titles, burn_down_spec, to_svg
from attain.reports.locale import Locale
from attain.testing import agreement, agreement_model, ratio_objective

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


def _statistic(unit: str | None) -> dict[str, Any]:
    """A p95 objective on the `latency` values of requests, in `unit` (none: unit-less)."""
    indicator: dict[str, Any] = {
        "kind": "statistic",
        "statistic": "percentile",
        "percentile": 95,
        "method": "nearest-rank",
        "events": "requests",
        "value": "latency",
        "op": "le",
        "bound": 300,
    }
    if unit is not None:
        indicator["unit"] = unit
    return {"name": f"p95-{unit or 'none'}", "indicator": indicator, "window": "month"}


def _objectives() -> dict[str, Objective]:
    document = agreement(
        objectives=[ratio_objective("ratio"), _statistic("ms"), _statistic("min"), _statistic("req"), _statistic(None)]
    )
    return {o.name: o for o in agreement_model(document).objectives}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "ratio": "Attainment (%)",
                "p95-ms": "Measured (ms)",
                "p95-min": "Measured (minutes)",
                "p95-req": "Measured (req)",
                "p95-none": "Measured",
            },
        ),
        (
            "zh-CN",
            {
                "ratio": "达成率（%）",
                "p95-ms": "实测值（毫秒）",
                "p95-min": "实测值（分钟）",
                "p95-req": "实测值（req）",
                "p95-none": "实测值",
            },
        ),
    ],
)
def test_axis_titles_name_the_time_zone_and_the_unit(language: str, expected: dict[str, str]) -> None:
    """Days in their zone, attainment and budget in percent, a statistic in its indicator's unit (translated if known)."""
    loc = Locale.of(language)
    day, left = {"en": ("Day (Asia/Shanghai)", "Budget left (%)"), "zh-CN": ("日期（Asia/Shanghai）", "剩余预算（%）")}[
        language
    ]
    for name, objective in _objectives().items():
        titles = axis_titles(loc, objective, "Asia/Shanghai")
        assert titles == {"day": day, "value": expected[name], "remaining": left}
        spec = attainment_spec(DAYS, None, titles, percent=True)
        encoding = spec["layer"][0]["encoding"]
        assert (encoding["x"]["title"], encoding["y"]["title"]) == (day, expected[name])


def test_a_dated_attainment_chart_writes_month_and_day_in_the_given_order() -> None:
    """A rolling window across a month end: 31 October then 1 November are 10-31 and 11-01, in that order."""
    days = [(date(2026, 10, 31), Decimal("0.5")), (date(2026, 11, 1), Decimal(1))]
    line = attainment_spec(days, None, LABELS, percent=True, dated=True)["layer"][0]
    assert line["data"]["values"] == [{"day": "10-31", "value": 50.0}, {"day": "11-01", "value": 100.0}]
    assert line["encoding"]["x"]["sort"] is None


def test_the_drawn_chart_shows_its_axis_titles() -> None:
    """The SVG carries the unit-bearing titles as text."""
    titles = axis_titles(Locale.of("en"), _objectives()["ratio"], "Europe/Berlin")
    svg = str(to_svg(attainment_spec(DAYS, Decimal("0.995"), titles, percent=True)))
    assert ">Day (Europe/Berlin)</text>" in svg
    assert ">Attainment (%)</text>" in svg
