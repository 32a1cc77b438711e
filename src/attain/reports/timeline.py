"""Charts over time: burn rates, the burn-down's ideal line and projection, alerts and incidents.

Burn rate per alert window with the tiers' factors; alerts and incidents as annotations.

Specs carry numbers, fixed phrases and wall-clock times only (the agreement's local time written
as if it were UTC, drawn on a UTC time scale, so every browser shows the agreement's clock).

- Ideal line: an even spend, budget left `1 − d ÷ N` after day `d` of a period of `N` days.
- Projection (linear, from the burn so far): after `k` days with share `L` left, the budget
  burns `(1 − L) ÷ k` a day, so after day `d ≥ k` the projection is `L − (d − k)·(1 − L) ÷ k`;
  the budget is gone on the first day where that is ≤ 0. Drawn down to 0 at most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from attain.reports.charts import chart_frame

_HEIGHT = 180
SEVERITY_COLOURS = {"page": "#b03a2e", "ticket": "#c98a1b"}


@dataclass(frozen=True)
class Band:
    """An annotation: an interval of wall-clock time (local, naive) with a kind and a label."""

    start: datetime
    end: datetime
    kind: str
    """`alert` or `incident`."""
    label: str
    severity: str = ""


def wall(moment: datetime) -> str:
    """A naive local wall-clock time as the UTC ISO string the UTC time scale draws as written."""
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def ideal_line(days: int) -> list[Decimal]:
    """Budget left after each day of an even spend over `days` days: 1 − d ÷ N, d = 1 … N."""
    return [Decimal(1) - Decimal(d) / Decimal(days) for d in range(1, days + 1)]


def projection(left: Decimal, elapsed: int, days: int) -> list[tuple[int, Decimal]]:
    """Linear projection from `left` after `elapsed` days: (day, share left) for days elapsed … N, never below 0.

    Empty when no day has elapsed.
    """
    if elapsed <= 0:
        return []
    per_day = (Decimal(1) - left) / Decimal(elapsed)
    return [(d, max(Decimal(0), left - (d - elapsed) * per_day)) for d in range(elapsed, days + 1)]


def gone_day(left: Decimal, elapsed: int, days: int) -> int | None:
    """The first day of the period at whose end the linear projection has no budget left; None: it lasts."""
    return next((d for d, share in projection(left, elapsed, days) if share <= 0), None)


def burn_down_over_time(
    days: Sequence[tuple[date, Decimal | None]], total: int, labels: dict[str, str], bands: Sequence[date] = ()
) -> dict[str, Any]:
    """A calendar period's burn-down by day of the period, with the ideal line, the projection and marked days.

    Args:
        days: Each elapsed day and its share left (None: no budget), oldest first.
        total: The period's number of days (the x axis runs 1 … total).
        labels: Axis titles `day`, `value`; legend names `left`, `ideal`, `projection`.
        bands: Days with an alert or incident, marked by a rule.
    """
    shown = [(i + 1, v) for i, (_, v) in enumerate(days) if v is not None]
    rows: list[dict[str, Any]] = [{"day": d, "left": float(v * 100), "line": labels["left"]} for d, v in shown]
    rows += [{"day": d, "left": float(v * 100), "line": labels["ideal"]} for d, v in enumerate(ideal_line(total), 1)]
    if shown:
        last_day, last_left = shown[-1]
        rows += [
            {"day": d, "left": float(v * 100), "line": labels["projection"]}
            for d, v in projection(last_left, last_day, total)
        ]
    names = [labels["left"], labels["ideal"], labels["projection"]]
    x = {"field": "day", "type": "quantitative", "title": labels["day"], "scale": {"domain": [1, total], "nice": False}}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True},
            "data": {"values": rows},
            "encoding": {
                "x": x,
                "y": {"field": "left", "type": "quantitative", "title": labels["value"]},
                "color": {
                    "field": "line",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": names, "range": ["#3b6ea5", "#8c8c8c", "#c98a1b"]},
                },
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": names, "range": [[1, 0], [4, 3], [2, 2]]},
                },
            },
        },
        _rule_y(0, "#444"),
    ]
    marked = sorted({(d - days[0][0]).days + 1 for d in bands if days and days[0][0] <= d <= days[-1][0]})
    if marked:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#b03a2e", "opacity": 0.5},
                "data": {"values": [{"day": d} for d in marked]},
                "encoding": {"x": {"field": "day", "type": "quantitative"}},
            }
        )
    return chart_frame(layers, _HEIGHT)


def burn_rate_spec(
    samples: Sequence[tuple[datetime, str, Decimal | None]],
    thresholds: Sequence[tuple[str, Decimal]],
    bands: Sequence[Band],
    labels: dict[str, str],
) -> dict[str, Any]:
    """The burn rate over each window through time, the tiers' factors as rules, alerts and incidents as bands.

    Args:
        samples: (local wall-clock instant, window name, burn rate or None).
        thresholds: (tier name, factor): the burn rate at which the tier fires.
        bands: Alert firings and incidents.
        labels: Axis titles `time`, `rate`; legend title `window`.
    """
    rows = [{"t": wall(t), "window": w, "rate": float(r)} for t, w, r in samples if r is not None and r.is_finite()]
    times = [t for t, _, _ in samples]
    short = bool(times) and (max(times) - min(times)).days < 3
    layers: list[dict[str, Any]] = []
    if bands:
        band_rows = [
            {"t": wall(b.start), "t2": wall(b.end), "kind": b.kind, "label": b.label, "severity": b.severity}
            for b in bands
        ]
        layers.append(
            {
                "mark": {"type": "rect", "opacity": 0.18},
                "data": {"values": band_rows},
                "encoding": {
                    "x": {"field": "t", "type": "temporal", "scale": {"type": "utc"}},
                    "x2": {"field": "t2"},
                    "color": {
                        "condition": [
                            {"test": "datum.kind === 'incident'", "value": "#555555"},
                            {"test": "datum.severity === 'ticket'", "value": SEVERITY_COLOURS["ticket"]},
                        ],
                        "value": SEVERITY_COLOURS["page"],
                    },
                    "tooltip": [{"field": "label", "type": "nominal"}],
                },
            }
        )
    layers.append(
        {
            "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 1.2},
            "data": {"values": rows},
            "encoding": {
                "x": {
                    "field": "t",
                    "type": "temporal",
                    "title": labels["time"],
                    "scale": {"type": "utc"},
                    # numbers only, so that no English month or weekday name shows on a Chinese page
                    "axis": {"format": "%m-%d %H:%M" if short else "%m-%d", "formatType": "utc"},
                },
                "y": {"field": "rate", "type": "quantitative", "title": labels["rate"], "scale": {"type": "symlog"}},
                "color": {"field": "window", "type": "nominal", "title": labels["window"], "sort": None},
            },
        }
    )
    if thresholds:
        rules = [{"factor": float(f), "tier": name} for name, f in thresholds]
        layers.append(
            {
                "mark": {"type": "rule", "color": "#b03a2e", "strokeDash": [4, 3]},
                "data": {"values": rules},
                "encoding": {"y": {"field": "factor", "type": "quantitative"}},
            }
        )
        layers.append(
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "dy": -6, "color": "#b03a2e", "fontSize": 10},
                "data": {"values": rules},
                "encoding": {
                    "y": {"field": "factor", "type": "quantitative"},
                    "x": {"value": 0},
                    "text": {"field": "tier"},
                },
            }
        )
    return chart_frame(layers, _HEIGHT)


def _rule_y(value: float, colour: str) -> dict[str, Any]:
    return {
        "mark": {"type": "rule", "color": colour},
        "data": {"values": [{"y": value}]},
        "encoding": {"y": {"field": "y", "type": "quantitative"}},
    }
