"""The periodic report in words and charts, in English or Simplified Chinese, as HTML, Markdown or PDF.

`render_report(report, language, fmt)` turns the facts of `attain.reports.period` into text
formatted for the language (babel), draws the charts (HTML and PDF only; Markdown shows the
daily values as a table), and lays them out through the report templates. `--format json`
is `attain.reports.period_data`, which is language-independent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from markupsafe import Markup

from attain.engine.instant import Interval, from_us
from attain.engine.period import next_unit_start
from attain.engine.result import PeriodResult
from attain.model import Agreement, CaseIndicator, StatisticIndicator
from attain.reports import charts, wording
from attain.reports.business_time import case_duration
from attain.reports.document import Format, render
from attain.reports.locale import Locale
from attain.reports.period import ObjectiveReport, PeriodReport, day_zone
from attain.reports.period_data import budget_used, report_data
from attain.reports.standing import case_lines, gap_lines

LABELS = [
    "h.report", "h.summary", "h.daily", "h.burndown", "h.consumed", "h.cases", "h.excluded", "h.trend",
    "h.credits", "h.rights", "h.quality", "objective", "period", "status", "target", "attainment", "budget_used",
    "measured_value", "day", "remaining", "start", "end", "duration", "colon", "paren.open", "paren.close",
]  # fmt: skip


@dataclass(frozen=True)
class ObjectiveView:
    """One objective of the report, as text and charts."""

    name: str
    title: str
    window: str
    """Which window the objective's days, budget and causes cover, for a rolling objective; else empty."""
    status: str
    status_text: str
    label: str
    attainment: str
    target: str
    budget_used: str
    days: list[tuple[str, str, str, str]]
    attainment_chart: Markup | None
    burn_down_chart: Markup | None
    consumed: list[str]
    gaps: list[str]
    cases: list[str]
    intervals: list[tuple[str, str, str, str]]
    excluded: list[tuple[str, str, str, str]]
    excluded_total: str
    trend: list[tuple[str, str, str]]


def _result_text(loc: Locale, result: PeriodResult | None, unit: str | None = None) -> str:
    """Attainment as shown beside its target (`shown_ratio`: cut), or a statistic with its unit (579.504秒)."""
    if result is None:
        return "—"
    if result.ratio is not None:
        return loc.attainment(result.ratio, result.target)
    return "—" if result.statistic is None else wording.bound(loc, result.statistic.quantize(Decimal("0.001")), unit)


def _status(loc: Locale, result: PeriodResult | None) -> tuple[str, str]:
    status = "no_data" if result is None else result.status.value
    return status, loc.text(f"r.{status}")


def _intervals(loc: Locale, kind: str, intervals: tuple[Interval, ...], zone: str) -> list[tuple[str, str, str, str]]:
    return [
        (
            kind,
            loc.instant(from_us(s), zone),
            loc.instant(from_us(e), zone),
            loc.duration(timedelta(microseconds=e - s) // timedelta(seconds=1) * timedelta(seconds=1)),
        )
        for s, e in intervals
    ]


def _case_time(loc: Locale, item: ObjectiveReport, agreement: Agreement, value: timedelta) -> str:
    """A case's elapsed time or goal: business terms when its clock runs on a business calendar."""
    indicator = item.objective.indicator
    if isinstance(indicator, CaseIndicator):
        return case_duration(loc, indicator, value, agreement)
    return loc.duration(value)


def _consumed(loc: Locale, item: ObjectiveReport, agreement: Agreement) -> list[str]:
    result, objective = item.result, item.objective
    lines: list[str] = []
    if isinstance(objective.indicator, StatisticIndicator):
        if result is not None and result.statistic is not None:
            ind = objective.indicator
            lines.append(
                loc.text(
                    "consumed.statistic",
                    statistic=wording.statistic_name(loc, ind),
                    value=wording.bound(loc, result.statistic.quantize(Decimal("0.001")), ind.unit),
                    op=ind.op.symbol,
                    bound=wording.bound(loc, ind.bound, ind.unit),
                )
            )
        elif result is not None and result.detail.get("beyond_measured"):
            ind = objective.indicator
            lines.append(
                loc.text(
                    "consumed.statistic.beyond",
                    statistic=wording.statistic_name(loc, ind),
                    missing=loc.number(int(result.detail["missing"])),
                    count=loc.number(int(result.valid or 0)),
                    op=ind.op.symbol,
                    bound=wording.bound(loc, ind.bound, ind.unit),
                )
            )
        return lines
    for case in item.consumption.breached_cases:
        goal = _case_time(loc, item, agreement, timedelta(microseconds=case.goal or 0))
        minute = timedelta(minutes=1)
        elapsed = _case_time(loc, item, agreement, timedelta(microseconds=case.elapsed) // minute * minute)
        lines.append(
            loc.text("consumed.case", case=case.case, priority=case.priority or "—", elapsed=elapsed, goal=goal)
        )
    is_events = result is not None and result.unit in {"events", "slices"} and result.valid is not None
    if is_events and result is not None and result.valid is not None and result.good is not None:
        bad = loc.number(result.valid - result.good, 0)
        lines.append(loc.text("consumed.events", bad=bad, valid=loc.number(result.valid, 0)))
    if not lines and not item.consumption.downtime and not item.consumption.violations:
        lines.append(loc.text("consumed.none"))
    return lines


def objective_view(loc: Locale, report: PeriodReport, item: ObjectiveReport, *, charts_on: bool) -> ObjectiveView:
    """One objective of the report in words (and charts, when `charts_on`)."""
    objective, result, zone = item.objective, item.result, report.agreement.spec.time_zone
    statistic = isinstance(objective.indicator, StatisticIndicator)
    unit = objective.indicator.unit if isinstance(objective.indicator, StatisticIndicator) else None
    status, status_text = _status(loc, result)
    used = budget_used(item)
    dated = len({(d.day.year, d.day.month) for d in item.days}) > 1
    days = [
        (
            d.day.strftime("%m-%d") if dated else str(d.day.day),
            _result_text(loc, d.result, unit),
            loc.text(f"r.{d.result.status.value}"),
            "—" if left is None else loc.percent(left),
        )
        for d, left in zip(item.days, item.remaining, strict=True)
    ]
    attainment_chart: Markup | None = None
    burn_down_chart: Markup | None = None
    if charts_on:
        attainment_chart, burn_down_chart = _charts(loc, report, item, dated=dated)
    window = ""
    if item.rolling:
        start, end = (loc.instant(from_us(t), zone) for t in item.span)
        window = loc.text("report.window", start=start, end=end, zone=zone)
    excluded = _intervals(loc, loc.text("h.excluded"), item.consumption.excluded, zone)
    excluded_us = sum(e - s for s, e in item.consumption.excluded)
    return ObjectiveView(
        name=objective.name,
        title=objective.title or objective.name,
        window=window,
        status=status,
        status_text=status_text,
        label=loc.text("measured_value" if statistic else "attainment"),
        attainment=_result_text(loc, result, unit),
        target=wording.target(loc, objective, zone),
        budget_used="—" if used is None else loc.percent(used),
        days=days,
        attainment_chart=attainment_chart,
        burn_down_chart=burn_down_chart,
        consumed=_consumed(loc, item, report.agreement),
        gaps=gap_lines(loc, objective, result, zone),
        cases=case_lines(loc, report.agreement, objective, item.cases, report.at),
        intervals=_intervals(loc, loc.text("consumed.down"), item.consumption.downtime, zone)
        + _intervals(loc, loc.text("consumed.violation"), item.consumption.violations, zone),
        excluded=excluded,
        excluded_total=loc.text("excluded.total", duration=loc.duration(timedelta(microseconds=excluded_us)))
        if excluded_us
        else loc.text("excluded.none"),
        trend=[(p.period, _result_text(loc, p, unit), loc.text(f"r.{p.status.value}")) for p in item.trend],
    )


def _charts(loc: Locale, report: PeriodReport, item: ObjectiveReport, *, dated: bool) -> tuple[Markup, Markup | None]:
    """The daily attainment chart and, where the objective has a budget, the burn-down, over the objective's days."""
    objective = item.objective
    indicator = objective.indicator
    statistic = isinstance(indicator, StatisticIndicator)
    titles = charts.axis_titles(loc, objective, day_zone(report.agreement, objective))
    values = [(d.day, d.result.statistic if statistic else d.result.ratio) for d in item.days]
    goal = indicator.bound if isinstance(indicator, StatisticIndicator) else objective.target
    labels = {"day": titles["day"], "value": titles["value"]}
    attainment = charts.to_svg(charts.attainment_spec(values, goal, labels, percent=not statistic, dated=dated))
    if all(left is None for left in item.remaining):
        return attainment, None
    burn = [(d.day, left) for d, left in zip(item.days, item.remaining, strict=True)]
    labels = {"day": titles["day"], "value": titles["remaining"]}
    return attainment, charts.to_svg(charts.burn_down_spec(burn, labels, dated=dated))


def _credit(loc: Locale, report: PeriodReport) -> list[str]:
    credit, fee = report.credit, report.agreement.spec.fee
    if credit is None or credit.share == 0:
        return [loc.text("credit.none")]
    amount = ""
    if credit.amount is not None and fee is not None:
        amount = loc.text("credit.amount", amount=loc.money(credit.amount.quantize(Decimal("0.01")), fee.currency))
        if credit.payable == 0:
            amount += loc.text("credit.unpaid")
    return [loc.text("credit.owed", share=loc.percent(credit.share), period=report.label, amount=amount)]


def _rights(loc: Locale, report: PeriodReport) -> list[str]:
    if not report.grants:
        return [loc.text("rights.none")]
    titles = {o.name: o.title or o.name for o in report.agreement.spec.objectives}
    return [
        loc.text(
            "rights.grant",
            objective=titles.get(g.objective, g.objective),
            grant=loc.text(f"grant.{g.rule.grants.value}"),
            periods=loc.join(list(g.periods)),
        )
        for g in report.grants
    ]


def _quality(loc: Locale, report: PeriodReport) -> list[str]:
    lines = []
    if report.adjustments is not None:
        lines.append(
            loc.text("quality.adjustments", count=report.adjustments)
            if report.adjustments
            else loc.text("quality.no_adjustments")
        )
    for item in report.objectives:
        missing = item.days_without_data
        if missing and not isinstance(item.objective.indicator, CaseIndicator):
            days = loc.join([loc.date(d) for d in missing])
            lines.append(
                loc.text("quality.missing_days", objective=item.objective.title or item.objective.name, days=days)
            )
    if len(lines) <= 1:
        lines.append(loc.text("quality.complete"))
    if report.chain is not None:
        lines.append(loc.text("quality.chain", position=report.chain[0], hash=report.chain[1]))
    return lines


def render_report(report: PeriodReport, language: str, fmt: Format) -> bytes:
    """The periodic report as HTML, Markdown, PDF or JSON bytes."""
    if fmt is Format.JSON:
        return (json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n").encode()
    loc = Locale.of(language)
    spec, zone = report.agreement.spec, report.agreement.spec.time_zone
    last_day = next_unit_start(report.unit, report.first) - timedelta(days=1)
    period_name = loc.month(report.first) if report.unit.value == "month" else report.label
    context = {
        "title": spec.title,
        "heading": loc.text("h.report"),
        "lines": [
            loc.text("report.version", name=report.agreement.name, version=spec.version),
            loc.text(
                "report.period", period=period_name, start=loc.date(report.first), end=loc.date(last_day), zone=zone
            ),
        ],
        "objectives": [objective_view(loc, report, o, charts_on=fmt is not Format.MD) for o in report.objectives],
        "credits": _credit(loc, report),
        "rights": _rights(loc, report),
        "quality": _quality(loc, report),
        "l": {key: loc.text(key) for key in [*LABELS, "colon", "paren.open", "paren.close"]},
    }
    return render("report", context, fmt, language)
