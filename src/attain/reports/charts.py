"""Charts for reports: Vega-Lite specifications rendered to SVG on the server by vl-convert.

Two charts per objective: daily attainment against the target line, and the error budget left
at the end of each day of the period (the burn-down). Axes are titled with their units
(`axis_titles`): the days' time zone, percent, or the indicator's unit. Specs carry numbers,
fixed phrases, a time zone name and a unit only, never an agreement's names; Vega escapes
every text it draws. The SVG is inlined in the HTML (and so in the PDF): no script, no
external URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from attain.errors import MissingExtra
from attain.model import Objective, StatisticIndicator
from attain.reports.locale import Locale

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
_FONT = "Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif"
_WIDTH, _HEIGHT = 520, 160
_UNITS = ("ms", "s", "min", "h")
"""Units of a statistic whose names are translated on an axis (others are written as the agreement writes them)."""


def axis_titles(loc: Locale, objective: Objective, zone: str) -> dict[str, str]:
    """The axis titles of an objective's charts, with units, in the locale's language.

    Returns:
        `day`: the days and their time zone, "Day (Asia/Shanghai)"; `value`: the daily values,
        "Attainment (%)" or, for a statistic, "Measured (ms)"; `remaining`: "Budget left (%)".
    """
    indicator = objective.indicator
    if isinstance(indicator, StatisticIndicator):
        unit = indicator.unit
        if unit is None:
            value = loc.text("measured_value")
        else:
            value = loc.text("axis.value", unit=loc.text(f"axis.unit.{unit}") if unit in _UNITS else unit)
    else:
        value = loc.text("axis.attainment")
    return {"day": loc.text("axis.day", zone=zone), "value": value, "remaining": loc.text("axis.remaining")}


def _x_axis(title: str, *, dated: bool) -> dict[str, Any]:
    """The day axis: day of the month, or month-day (`10-31`) in the given order for days across months."""
    x: dict[str, Any] = {"field": "day", "type": "ordinal", "title": title, "axis": {"labelAngle": 0}}
    if dated:
        # Many days (a 90-day range) would overprint: labels that would overlap are left out.
        x |= {"sort": None, "axis": {"labelAngle": -45, "labelOverlap": "greedy"}}
    return x


def _day(day: date, *, dated: bool) -> str | int:
    return day.strftime("%m-%d") if dated else day.day


def attainment_spec(
    days: Sequence[tuple[date, Decimal | None]],
    target: Decimal | None,
    labels: dict[str, str],
    *,
    percent: bool,
    dated: bool = False,
) -> dict[str, Any]:
    """Daily values as points joined by a line, and the target as a rule.

    Args:
        days: Each day and its value (a ratio when `percent`, else a statistic); None: no data.
        target: The target ratio, or the statistic's bound; None draws no rule.
        labels: Axis titles: `day`, `value`.
        percent: Whether values are ratios shown as percentages.
        dated: Whether days are written month-day (`10-31`) in the given order, for a range that
            crosses a month (a rolling window); else as the day of the month.
    """
    scale = Decimal(100) if percent else Decimal(1)
    values = [{"day": _day(d, dated=dated), "value": float(v * scale)} for d, v in days if v is not None]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True, "color": "#3b6ea5"},
            "data": {"values": values},
            "encoding": {
                "x": _x_axis(labels["day"], dated=dated),
                "y": {"field": "value", "type": "quantitative", "title": labels["value"], "scale": {"zero": False}},
            },
        }
    ]
    if target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#b03a2e", "strokeDash": [4, 3]},
                "data": {"values": [{"target": float(target * scale)}]},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    return chart_frame(layers)


def burn_down_spec(
    days: Sequence[tuple[date, Decimal | None]], labels: dict[str, str], *, dated: bool = False
) -> dict[str, Any]:
    """The share of the error budget left at the end of each day, with the zero line.

    Args:
        days: Each day and the share left (None: no budget), oldest first.
        labels: Axis titles: `day`, `value`.
        dated: Whether days are written month-day (`10-31`) in the given order, for a range that
            crosses a month; else as the day of the month.
    """
    values = [{"day": _day(d, dated=dated), "left": float(v * 100)} for d, v in days if v is not None]
    x = _x_axis(labels["day"], dated=dated)
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "area", "line": True, "color": "#7fa7d1", "opacity": 0.6},
            "data": {"values": values},
            "encoding": {
                "x": x,
                "y": {"field": "left", "type": "quantitative", "title": labels["value"]},
            },
        },
        {
            "mark": {"type": "rule", "color": "#444"},
            "data": {"values": [{"zero": 0}]},
            "encoding": {"y": {"field": "zero", "type": "quantitative"}},
        },
    ]
    return chart_frame(layers)


def chart_frame(layers: list[dict[str, Any]], height: int = _HEIGHT) -> dict[str, Any]:
    """A layered Vega-Lite chart in the reports' and dashboard's common frame (size, font, background)."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": _WIDTH,
        "height": height,
        "background": "white",
        "config": {"font": _FONT, "view": {"stroke": None}},
        "layer": layers,
    }


def to_svg(spec: dict[str, Any]) -> Markup:
    """Render a Vega-Lite spec to inline SVG markup (no scripts, no external references)."""
    try:
        import vl_convert  # noqa: PLC0415 - loaded only when a chart is drawn
    except ModuleNotFoundError:
        needed_by = "drawing the charts of a report (attain report, attain demo)"
        raise MissingExtra.of("reports", needed_by, "vl_convert") from None

    svg = str(vl_convert.vegalite_to_svg(spec))
    # Vega writes no script or link; strip any all the same, as a second line of defence.
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.IGNORECASE | re.DOTALL)
    svg = re.sub(r"\s(?:xlink:)?href=\"(?!#)[^\"]*\"", "", svg)
    return Markup(svg)  # noqa: S704 - produced by vl-convert from numbers and fixed phrases
