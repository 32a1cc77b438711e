"""The quarterly review report (`attain review NAME --quarter 2026-Q4`): HTML, PDF, Markdown or JSON.

What the parties look at when they review an agreement: the quarter's periods side by side per
objective, the trend of each (first period against last, and the same attainment chart the
dashboard draws, `attain.reports.charts.attainment_spec`), the credits owed and paid, what drove
failures over the quarter against the quarter before (`attain.engine.drivers`), and, where the
services exist, target recommendations, suggested amendments and breach forecasts. A section
whose service is missing is kept, marked as omitted, so a reader never mistakes it for "nothing
to say". Pure: the facts come in a `QuarterReview` built by `attain.services.quarter_review`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from attain.engine.credit import PeriodCredit
from attain.engine.drivers import DriversReport
from attain.engine.instant import from_us, iso_utc
from attain.engine.period import zone
from attain.engine.result import PeriodResult
from attain.formats.results import period_data
from attain.model import Agreement, Objective
from attain.reports import charts
from attain.reports.document import Format, render
from attain.reports.drivers import driver_rows, driver_summary, drivers_data
from attain.reports.locale import Locale


@dataclass(frozen=True)
class Section:
    """A section another service provides (recommendations, amendments, forecast): lines in words and its JSON.

    `None` in `QuarterReview` means the service is not available, and the section is shown as omitted.
    """

    lines: Mapping[str, tuple[str, ...]]
    """The section's lines by language (`en`, `zh-CN`)."""
    data: Any


@dataclass(frozen=True)
class QuarterCredit:
    """A credit owed for one of the quarter's periods, and where it stands in the ledger (None: no ledger)."""

    credit: PeriodCredit
    state: str | None


@dataclass(frozen=True)
class QuarterReview:
    """Everything the quarterly review shows, gathered by `attain.services.quarter_review`."""

    agreement: Agreement
    quarter: str
    start: int
    end: int
    at: int
    periods: Mapping[str, tuple[PeriodResult, ...]]
    """Each objective's periods within the quarter, by objective name, oldest first."""
    credits: tuple[QuarterCredit, ...]
    drivers: DriversReport
    recommendations: Section | None = None
    amendments: Section | None = None
    forecast: Section | None = None
    sections: tuple[str, ...] = field(default=("recommendations", "amendments", "forecast"))


def trend(results: tuple[PeriodResult, ...]) -> str:
    """`up`, `down` or `flat` from the first attainment to the last; `unknown` with fewer than two."""
    ratios = [r.ratio for r in results if r.ratio is not None]
    if len(ratios) < 2:
        return "unknown"
    return "up" if ratios[-1] > ratios[0] else "down" if ratios[-1] < ratios[0] else "flat"


def _omitted(name: str) -> dict[str, Any]:
    return {
        "omitted": True,
        "reason": f"attain.services.{'forecast' if name == 'forecast' else 'recommend'} is not available",
    }


def review_data(review: QuarterReview) -> dict[str, Any]:
    """The review as language-independent JSON data."""
    data: dict[str, Any] = {
        "agreement": review.agreement.name,
        "version": review.agreement.spec.version,
        "quarter": review.quarter,
        "from": iso_utc(review.start),
        "until": iso_utc(review.end),
        "at": iso_utc(review.at),
        "objectives": [
            {
                "objective": name,
                "trend": trend(results),
                "periods": [period_data(r) for r in results],
            }
            for name, results in review.periods.items()
        ],
        "credits": [
            {
                "period": c.credit.period,
                "share": str(c.credit.share),
                "amount": None if c.credit.amount is None else str(c.credit.amount),
                "currency": c.credit.currency,
                "objectives": list(c.credit.triggered_by),
                "state": c.state,
            }
            for c in review.credits
        ],
        "drivers": drivers_data(review.drivers),
    }
    for name in review.sections:
        section = getattr(review, name)
        data[name] = _omitted(name) if section is None else section.data
    return data


def _objective(agreement: Agreement, name: str) -> Objective | None:
    """The objective of that name in the latest version (None when a later version dropped it)."""
    return next((o for o in agreement.objectives if o.name == name), None)


def _title(agreement: Agreement, name: str) -> str:
    objective = _objective(agreement, name)
    return name if objective is None else objective.title or name


def _targets(results: tuple[PeriodResult, ...]) -> list[Decimal]:
    """The targets that judged the periods, each once, oldest first (a new version may have changed it)."""
    found: list[Decimal] = []
    for r in results:
        if r.target is not None and r.target not in found:
            found.append(r.target)
    return found


def _cell(loc: Locale, result: PeriodResult | None) -> str:
    if result is None:
        return loc.text("review.no_result")
    shown = loc.text("review.no_result") if result.ratio is None else loc.attainment(result.ratio, result.target)
    return f"{shown} · {loc.text(f'r.{result.status.value}')}"


def _table(loc: Locale, review: QuarterReview) -> tuple[list[str], list[list[str]]]:
    """Columns (the periods' labels, by start) and one row per objective: its name, target, then each period."""
    starts: dict[str, int] = {}
    for results in review.periods.values():
        for r in results:
            starts.setdefault(r.period, r.start)
    labels = sorted(starts, key=lambda p: (starts[p], p))
    rows = []
    for name, results in review.periods.items():
        by_label = {r.period: r for r in results}
        target = " → ".join(loc.percent(t) for t in _targets(results)) or loc.text("review.no_result")
        rows.append([_title(review.agreement, name), target, *(_cell(loc, by_label.get(p)) for p in labels)])
    return labels, rows


def _trend_lines(loc: Locale, review: QuarterReview) -> list[str]:
    lines = []
    for name, results in review.periods.items():
        ratios = [r for r in results if r.ratio is not None]
        direction = loc.text(f"review.trend.{trend(results)}")
        if len(ratios) < 2:
            lines.append(loc.text("review.trend.line", objective=name, first="—", last="—", direction=direction))
            continue
        first, last = ratios[0], ratios[-1]
        assert first.ratio is not None
        assert last.ratio is not None
        lines.append(
            loc.text(
                "review.trend.line",
                objective=name,
                first=loc.attainment(first.ratio, first.target),
                last=loc.attainment(last.ratio, last.target),
                direction=direction,
            )
        )
    return lines


def _charts(loc: Locale, review: QuarterReview) -> list[tuple[str, Markup]]:
    """The dashboard's attainment chart per objective with two periods or more, one point per period."""
    drawn = []
    for name, results in review.periods.items():
        objective, targets = _objective(review.agreement, name), _targets(results)
        days = [(_local_first_day(review, r), r.ratio) for r in results]
        if len([d for d in days if d[1] is not None]) < 2 or objective is None or not targets:
            continue
        titles = charts.axis_titles(loc, objective, review.agreement.spec.time_zone)
        labels = {"day": loc.text("review.axis.period"), "value": titles["value"]}
        spec = charts.attainment_spec(days, targets[-1], labels, percent=True, dated=True)
        drawn.append((_title(review.agreement, name), charts.to_svg(spec)))
    return drawn


def _local_first_day(review: QuarterReview, result: PeriodResult) -> date:
    """The first local day of a period, where its point stands on the chart."""
    return from_us(result.start).astimezone(zone(review.agreement.spec.time_zone)).date()


def _credit_lines(loc: Locale, review: QuarterReview) -> list[str]:
    owed = [c for c in review.credits if c.credit.share > 0]
    if not owed:
        return [loc.text("review.credit.none")]
    lines = []
    paid: dict[str, Decimal] = {}
    for c in owed:
        amount = ""
        if c.credit.amount is not None and c.credit.currency is not None:
            amount = loc.text("aside", text=loc.money(c.credit.amount.quantize(Decimal("0.01")), c.credit.currency))
            if c.state == "issued":
                paid[c.credit.currency] = paid.get(c.credit.currency, Decimal(0)) + c.credit.amount
        state = "" if c.state is None else loc.text("review.credit.state", state=loc.text(f"review.state.{c.state}"))
        objectives = loc.join(list(c.credit.triggered_by))
        share = loc.percent(c.credit.share)
        lines.append(
            loc.text("review.credit.line", period=c.credit.period, share=share, amount=amount, objectives=objectives)
            + state
        )
    if paid:
        total = loc.join([loc.money(v.quantize(Decimal("0.01")), k) for k, v in sorted(paid.items())])
        lines.append(loc.text("review.credit.paid", total=total))
    return lines


def _drivers(loc: Locale, review: QuarterReview) -> list[dict[str, Any]]:
    return [
        {"objective": o.objective, "summary": driver_summary(loc, o), "rows": driver_rows(loc, o)}
        for o in review.drivers.objectives
    ]


def _section(loc: Locale, review: QuarterReview, name: str, language: str) -> dict[str, Any]:
    section: Section | None = getattr(review, name)
    if section is None:
        what = loc.text("review.omitted.forecast" if name == "forecast" else "review.omitted.recommendations")
        return {
            "heading": loc.text(f"review.h.{name}"),
            "lines": [loc.text("review.omitted", what=what)],
            "omitted": True,
        }
    return {"heading": loc.text(f"review.h.{name}"), "lines": list(section.lines[language]), "omitted": False}


LABELS = (
    "review.h.periods",
    "review.h.trend",
    "review.h.credits",
    "review.h.drivers",
    "review.objective",
    "review.target",
    "drivers.dimension",
    "drivers.value",
    "drivers.bad",
    "drivers.share",
    "drivers.budget",
    "drivers.previous",
    "drivers.change",
)


def render_review(review: QuarterReview, language: str, fmt: Format) -> bytes:
    """The quarterly review as HTML, Markdown, PDF or JSON bytes."""
    if fmt is Format.JSON:
        return (json.dumps(review_data(review), indent=2, ensure_ascii=False) + "\n").encode()
    loc = Locale.of(language)
    spec = review.agreement.spec
    columns, rows = _table(loc, review)
    made = loc.instant(from_us(review.at), spec.time_zone)
    context = {
        "title": spec.title,
        "heading": loc.text("review.heading", title=loc.text("review.title"), quarter=review.quarter),
        "intro": loc.text(
            "review.intro",
            name=review.agreement.name,
            version=spec.version,
            provider=spec.parties.provider.name,
            customer=spec.parties.customer.name,
            made=made,
        ),
        "columns": columns,
        "rows": rows,
        "trend": _trend_lines(loc, review),
        "charts": [] if fmt is Format.MD else _charts(loc, review),
        "credits": _credit_lines(loc, review),
        "drivers_intro": loc.text("drivers.title", period=review.drivers.period, previous=review.drivers.previous),
        "drivers": _drivers(loc, review),
        "sections": [_section(loc, review, name, language) for name in review.sections],
        "l": {key: loc.text(key) for key in LABELS},
    }
    return render("review", context, fmt, language)
