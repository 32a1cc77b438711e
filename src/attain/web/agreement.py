"""The agreement page: objectives with charts, burn rates, alerts, consumption, credits and documents.

Each objective is shown with its charts, burn rates and alerts and what consumed its budget this
period; then the credits owed and the documents to download.

The charts are the report's own Vega-Lite specs (`attain.reports.charts`), fed from the report of
the current month (`attain.reports.period.period_report`) up to today; the browser draws them.
A rolling-window objective's charts show its window instead of the month: the daily attainment
of each of the window's days, and for each of them the budget left of the window ending after it
(`attain.reports.rolling`), today's point being the window ending now, the budget left its row
shows.

The page evaluates the agreement once: the status (cached by the runtime) gives the rows, burn
rates, alerts and credits, and the month's report reuses that evaluation instead of evaluating
again; only the day-by-day view of the month (reaching back two rolling windows where an
objective has one) is computed for the charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from attain.engine.evaluate import evaluate
from attain.engine.instant import from_us
from attain.engine.measurement import Measurements
from attain.engine.outlook import Forecast
from attain.engine.period import label as period_label
from attain.engine.period import local_midnight, next_unit_start, zone
from attain.engine.result import Evaluation, ObjectiveEvaluation
from attain.errors import InvalidInput
from attain.model import (
    Agreement,
    CalendarUnit,
    CalendarWindow,
    CaseIndicator,
    RollingWindow,
    StatisticIndicator,
    stream_name,
)
from attain.ports import AgreementVersion
from attain.reports import charts
from attain.reports.business_time import case_duration
from attain.reports.locale import Locale
from attain.reports.period import Day, ObjectiveReport, PeriodReport, ReportSource, day_zone, period_report
from attain.reports.period_label import parse_period
from attain.reports.phrases import PHRASES as REPORT_PHRASES
from attain.reports.rolling import rolling_left, window_days
from attain.reports.timeline import Band, burn_down_over_time
from attain.services.runtime import Runtime
from attain.services.store import StoredEvaluation
from attain.web.cases import OpenCases, open_cases
from attain.web.drill import bad_minutes, minute_link
from attain.web.language import Words
from attain.web.overview import CreditLine, ObjectiveRow, budget_left, credit_lines, severity_text, status_rows
from attain.web.timeline import TimeRange, bands, burn_chart, choose_range, span_of

REPORT_PERIODS = 6
"""How many recent periods the page offers reports for."""


@dataclass(frozen=True)
class Chart:
    """A chart to draw: its element id, title, Vega-Lite spec and the period it shows."""

    id: str
    title: str
    spec: dict[str, Any]
    period: str


@dataclass(frozen=True)
class ObjectiveSection:
    """One objective on the agreement page."""

    row: ObjectiveRow
    charts: list[Chart] = field(default_factory=list)
    burn: list[tuple[str, str]] = field(default_factory=list)
    alerts: list[tuple[str, str, str, str]] = field(default_factory=list)
    intervals: list[tuple[str, str, str, str]] = field(default_factory=list)
    cases: list[tuple[str, str, str, str]] = field(default_factory=list)
    open_cases: OpenCases = field(default_factory=lambda: OpenCases([], 0))
    bad_minutes: list[tuple[str, str, int, int]] = field(default_factory=list)
    """The latest minutes of the range holding bad events: (local minute, drill-down path, bad, valid)."""
    forecast: str | None = None
    """The open period's forecast in a sentence (`forecast_line`); None when none is made."""


@dataclass(frozen=True)
class AgreementPage:
    """Everything the agreement page shows."""

    name: str
    title: str
    provider: str
    customer: str
    version: int
    """The version in force at the page's instant (the one judging the current periods)."""
    status: str
    month: str
    objectives: list[ObjectiveSection]
    credits: list[CreditLine]
    periods: list[str]
    standing: list[str] = field(default_factory=list)
    """Whether it was terminated and when its next review is due, one sentence each."""
    range: TimeRange | None = None
    """The range the charts show."""
    later: str | None = None
    """A later version agreed but not yet in force, and from when (None: the latest is in force)."""


def _month(runtime: Runtime, time_zone: str) -> str:
    """The label of the current calendar month in the agreement's zone."""
    today = from_us(runtime.now()).astimezone(zone(time_zone)).date()
    return period_label(CalendarUnit.MONTH, today.replace(day=1))


def _history(agreement: Agreement) -> timedelta:
    """How far before the month the day-by-day view reaches: two of the longest rolling window (none without one).

    The budget chart of a rolling window shows the window's days, each the end of a window as long.
    """
    lengths = [o.window.rolling for o in agreement.objectives if isinstance(o.window, RollingWindow)]
    return 2 * max(lengths, default=timedelta(0))


def current_report(
    runtime: Runtime, name: str, month: str, evaluation: Evaluation
) -> tuple[PeriodReport, ReportSource] | None:
    """The report of the current month from the store, on the status's `evaluation` (not evaluated again).

    None when the agreement starts later.
    """
    from attain.services.documents import source_from_store  # noqa: PLC0415 - report inputs load on use

    try:
        source = source_from_store(runtime.store, name, month, runtime.memo_view())
        return period_report(source, month, evaluation, _history(source.agreement)), source
    except InvalidInput:
        return None


def range_report(
    runtime: Runtime, name: str, chosen: TimeRange
) -> tuple[PeriodReport, ReportSource, Evaluation] | None:
    """The report of the period the range ends in, its days reaching back over the range, evaluated at its end.

    None when the agreement starts later.
    """
    from attain.services.documents import source_from_store  # noqa: PLC0415 - report inputs load on use

    label = chosen.period or period_label(CalendarUnit.MONTH, chosen.last.replace(day=1))
    try:
        source = source_from_store(runtime.store, name, label, runtime.memo_view())
        unit, first = parse_period(label)
        time_zone = source.agreement.spec.time_zone
        start = local_midnight(first, time_zone)
        end = min(local_midnight(next_unit_start(unit, first), time_zone), runtime.now())
        evaluation = evaluate(source.agreement, source.measurements, max(end, start))
        reach = max(_history(source.agreement), timedelta(microseconds=start - local_midnight(chosen.first, time_zone)))
        return period_report(source, label, evaluation, reach, at=runtime.now()), source, evaluation
    except InvalidInput:
        return None


def _rolling_budget(item: ObjectiveReport, now: int) -> list[tuple[date, Decimal | None]] | None:
    """The budget left of the rolling window ending after each of its days, today's the window ending now.

    None when the objective has a calendar window, no budget, or a window not of whole days.
    """
    window, result = item.objective.window, item.result
    length = window_days(window.rolling) if isinstance(window, RollingWindow) else None
    if length is None or result is None:
        return None
    days = [d for d in (*item.before, *item.days) if d.result.start < now]
    shown = rolling_left(days, length)[-length:]
    if not shown:
        return None
    return [*shown[:-1], (shown[-1][0], budget_left(result))]


def _rolling_over(item: ObjectiveReport, now: int, chosen: TimeRange) -> list[tuple[date, Decimal | None]] | None:
    """The budget left of the rolling window ending after each day of a chosen range (None: no such window)."""
    window = item.objective.window
    length = window_days(window.rolling) if isinstance(window, RollingWindow) else None
    if length is None or item.result is None:
        return None
    days = [d for d in (*item.before, *item.days) if d.result.start < now]
    return [(day, left) for day, left in rolling_left(days, length) if chosen.first <= day <= chosen.last]


@dataclass(frozen=True)
class ChartInputs:
    """What an objective's charts are drawn from besides its report."""

    chosen: TimeRange
    now: int
    month: str
    zone: str
    report: PeriodReport
    measurements: Measurements
    evaluated: ObjectiveEvaluation | None


def _marked_days(found: list[Band]) -> list[date]:
    """Every local day an annotation touches."""
    days: set[date] = set()
    for band in found:
        day = band.start.date()
        while day <= band.end.date():
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def _charts(
    words: Words, item: ObjectiveReport, row: ObjectiveRow, agreement: Agreement, c: ChartInputs
) -> list[Chart]:
    """Daily attainment, the error budget and the burn rate over time, over the chosen range.

    The current period shows a rolling objective's window and a calendar objective's month up to
    now; another range shows its own days.
    """
    now, chosen = c.now, c.chosen
    current = chosen.kind == "current"
    every = item.days if current else (*item.before, *item.days)
    pairs = [
        (d, left)
        for d, left in zip(every, (item.remaining if current else (None,) * len(every)), strict=True)
        if d.result.start < now and (current or chosen.first <= d.day <= chosen.last)
    ]
    indicator = item.objective.indicator
    statistic = isinstance(indicator, StatisticIndicator)
    goal = indicator.bound if isinstance(indicator, StatisticIndicator) else item.objective.target
    titles = charts.axis_titles(words.locale, item.objective, c.zone)
    values = [(d.day, d.result.statistic if statistic else d.result.ratio) for d, _ in pairs]
    labels = {"day": titles["day"], "value": titles["value"]}
    dated = item.rolling or (not current and chosen.first.month != chosen.last.month)
    daily = charts.attainment_spec(values, goal, labels, percent=not statistic, dated=dated)
    shown = (row.period if item.rolling else c.month) if current else _range_text(words, chosen)
    name = item.objective.name
    found = [Chart(f"chart-{name}-daily", words("h.daily"), daily, shown)]
    span = item.span if current else span_of(chosen, agreement.spec.time_zone, now)
    annotations = bands(c.evaluated, c.measurements, stream_name(item.objective), span, agreement.spec.time_zone, words)
    budget = _budget_chart(words, item, titles, c, pairs, _marked_days(annotations))
    if budget is not None:
        found.append(Chart(f"chart-{name}-burn", words("h.burndown"), budget, shown))
    rates = burn_chart(words, agreement, item.objective, c.evaluated, c.measurements, span, annotations)
    if rates is not None:
        found.append(Chart(f"chart-{name}-rate", words("h.burn_rate_over_time"), rates, shown))
    return found


def _budget_chart(
    words: Words,
    item: ObjectiveReport,
    titles: dict[str, str],
    c: ChartInputs,
    pairs: list[tuple[Day, Decimal | None]],
    marked: list[date],
) -> dict[str, Any] | None:
    """A rolling window's budget left per day, or a calendar period's burn-down with its ideal line and projection."""
    labels = {"day": titles["day"], "value": titles["remaining"]}
    rolling = _rolling_budget(item, c.now) if c.chosen.kind == "current" else _rolling_over(item, c.now, c.chosen)
    if rolling is not None:
        return charts.burn_down_spec(rolling, labels, dated=True) if any(v is not None for _, v in rolling) else None
    window, report = item.objective.window, c.report
    single = c.chosen.kind in {"current", "period"}
    if not single or not isinstance(window, CalendarWindow) or window.calendar is not report.unit:
        return None
    left = item.remaining if c.chosen.kind == "period" else tuple(v for _, v in pairs)
    days = [(d.day, v) for d, v in zip(item.days, left, strict=False) if d.result.start < c.now]
    if not any(v is not None for _, v in days):
        return None
    total = (next_unit_start(report.unit, report.first) - report.first).days
    names = {"left": words("burn.left"), "ideal": words("burn.ideal"), "projection": words("burn.projection")}
    return burn_down_over_time(days, total, labels | names, marked)


def _bad_minutes(
    words: Words, name: str, agreement: Agreement, item: ObjectiveReport, c: ChartInputs
) -> list[tuple[str, str, int, int]]:
    """The range's latest bad minutes of an objective counted per minute, with their drill-down links."""
    time_zone = agreement.spec.time_zone
    span = item.span if c.chosen.kind == "current" else span_of(c.chosen, time_zone, c.now)
    found = bad_minutes(c.measurements.counts.get(item.objective.name), span)
    return [
        (
            words.locale.instant(from_us(at), time_zone),
            minute_link(name, item.objective.name, at, time_zone),
            bad,
            valid,
        )
        for at, bad, valid in found
    ]


def _range_text(words: Words, chosen: TimeRange) -> str:
    """The range in words: its period label, or its first and last days."""
    if chosen.period:
        return chosen.period
    return words("range.span", first=words.locale.date(chosen.first), last=words.locale.date(chosen.last))


def _burn(words: Words, evaluated: ObjectiveEvaluation | None, unit: str) -> list[tuple[str, str]]:
    """Burn rates per alert window (or over the last hour), the budget used per hour and how long it lasts."""
    if evaluated is None:
        return []
    loc = words.locale
    rate = "—" if evaluated.burn_rate is None else loc.number(evaluated.burn_rate, 2)
    per_hour = "—" if evaluated.burn_per_hour is None else budget_amount(words, evaluated.burn_per_hour, unit)
    lasts = (
        "—"
        if evaluated.exhaustion is None
        else loc.duration(evaluated.exhaustion // timedelta(minutes=1) * timedelta(minutes=1))
    )
    windows = [
        (words("burn.window", window=loc.duration(timedelta(microseconds=w))), "—" if r is None else loc.number(r, 2))
        for w, r in evaluated.burn_rates
    ]
    rates = windows or [(words("burn.1h"), rate)]
    return [*rates, (words("burn.per_hour"), per_hour), (words("burn.exhaustion"), lasts)]


def forecast_line(words: Words, forecast: Forecast | None, time_zone: str) -> str | None:
    """An open period's forecast in the page's language (docs/review.md, "Forecast"); None stays None."""
    if forecast is None:
        return None
    loc, p = words.locale, forecast.projection
    if p.budget_gone_at is None:
        gone = words("forecast.lasts")
    elif p.budget_gone_at <= forecast.at:
        gone = words("forecast.gone_already")
    else:
        gone = words("forecast.gone", when=loc.instant(from_us(p.budget_gone_at), time_zone))
    return words(
        "forecast.text",
        projected=loc.attainment(p.projected_ratio, forecast.target),
        period=forecast.period,
        chance=loc.percent(p.breach_probability),
        gone=gone,
    )


def budget_amount(words: Words, amount: Decimal, unit: str) -> str:
    """An amount of error budget with its unit in the page's language: 1.5 minutes / 1.5分钟."""
    number = words.locale.number(amount, 2)
    key = f"budget_unit.{unit}"
    return words(key, n=number) if key in REPORT_PHRASES[words.code] else f"{number} {unit}".strip()


def _alerts(words: Words, evaluated: ObjectiveEvaluation | None) -> list[tuple[str, str, str, str]]:
    if evaluated is None:
        return []
    loc = words.locale
    return [
        (
            severity_text(words, a.severity),
            " / ".join(loc.duration(timedelta(microseconds=w)) for w in (a.long_window, a.short_window)),
            loc.number(a.factor, 2),
            words("yes" if a.firing else "no"),
        )
        for a in evaluated.alerts
    ]


def _case_time(loc: Locale, item: ObjectiveReport, agreement: Agreement, value: timedelta) -> str:
    """A case's elapsed time or goal: business terms when its clock runs on a business calendar."""
    indicator = item.objective.indicator
    if isinstance(indicator, CaseIndicator):
        return case_duration(loc, indicator, value, agreement)
    return loc.duration(value)


def _consumed(
    words: Words, item: ObjectiveReport, agreement: Agreement
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """The downtime and violation intervals, and the breached cases, of the current period."""
    loc, time_zone, minute = words.locale, agreement.spec.time_zone, timedelta(minutes=1)
    intervals = [
        (
            kind,
            loc.instant(from_us(s), time_zone),
            loc.instant(from_us(e), time_zone),
            loc.duration(timedelta(microseconds=e - s) // timedelta(minutes=1) * timedelta(minutes=1)),
        )
        for kind, spans in (
            (words("consumed.down"), item.consumption.downtime),
            (words("consumed.violation"), item.consumption.violations),
        )
        for s, e in spans
    ]
    cases = [
        (
            c.case,
            c.priority or "—",
            _case_time(loc, item, agreement, timedelta(microseconds=c.elapsed) // minute * minute),
            _case_time(loc, item, agreement, timedelta(microseconds=c.goal or 0)),
        )
        for c in item.consumption.breached_cases
    ]
    return intervals, cases


def _report_periods(evaluated: tuple[ObjectiveEvaluation, ...]) -> list[str]:
    """The most recent calendar periods of the evaluation that reports can be made for, newest first."""
    labels: set[str] = set()
    for objective in evaluated:
        for period in objective.periods:
            try:
                parse_period(period.period)
            except InvalidInput:
                continue
            labels.add(period.period)
    return sorted(labels, reverse=True)[:REPORT_PERIODS]


def agreement_page(
    runtime: Runtime, version: AgreementVersion, words: Words, asked: tuple[str, str, str, str] = ("", "", "", "")
) -> AgreementPage:
    """Gather the agreement page of a stored agreement (the caller has checked the viewer may see it).

    `asked`: the range's query parameters (kind, period, from, to); the current period by default.
    """
    state = runtime.status(version.name)
    agreement, evaluation = state.agreement, state.evaluation
    time_zone = agreement.spec.time_zone
    month = _month(runtime, time_zone)
    today = from_us(runtime.now()).astimezone(zone(time_zone)).date()
    periods = _report_periods(evaluation.objectives)
    chosen = choose_range(*asked, today, [p for p in periods if p != month], words)
    made: tuple[PeriodReport, ReportSource, Evaluation] | None
    if chosen.kind == "current":
        current = current_report(runtime, version.name, month, evaluation)
        made = (*current, evaluation) if current else None
    else:
        made = range_report(runtime, version.name, chosen)
    items = {i.objective.name: i for i in made[0].objectives} if made else {}
    shown = {o.objective: o for o in made[2].objectives} if made else {}
    by_name = {o.objective: o for o in evaluation.objectives}
    forecasts = {f.objective: f for f in state.forecasts}
    sections = []
    for row in status_rows(version.name, state, words):
        item, evaluated = items.get(row.objective), by_name.get(row.objective)
        unit = evaluated.current.unit if evaluated and evaluated.current else ""
        intervals, cases = _consumed(words, item, agreement) if item else ([], [])
        section_charts: list[Chart] = []
        minutes: list[tuple[str, str, int, int]] = []
        if item and made:
            inputs = ChartInputs(
                chosen,
                runtime.now(),
                month,
                day_zone(agreement, item.objective),
                made[0],
                made[1].measurements,
                shown.get(row.objective),
            )
            section_charts = _charts(words, item, row, agreement, inputs)
            minutes = _bad_minutes(words, version.name, agreement, item, inputs)
        sections.append(
            ObjectiveSection(
                row,
                section_charts,
                _burn(words, evaluated, unit),
                _alerts(words, evaluated),
                intervals,
                cases,
                open_cases(words, evaluated, agreement),
                minutes,
                forecast_line(words, forecasts.get(row.objective), time_zone),
            )
        )
    return AgreementPage(
        name=version.name,
        title=agreement.spec.title,
        provider=agreement.spec.parties.provider.name,
        customer=agreement.spec.parties.customer.name,
        version=evaluation.version,
        status=version.status,
        month=month,
        objectives=sections,
        credits=credit_lines(version.name, agreement, evaluation, words),
        periods=periods,
        standing=standing_lines(state, words),
        range=chosen,
        later=words("version.later", version=version.version, date=words.locale.date(version.effective_from))
        if version.version > evaluation.version
        else None,
    )


def standing_lines(state: StoredEvaluation, words: Words) -> list[str]:
    """A terminated agreement's end and the next review due, in the viewer's language (empty: neither)."""
    loc, time_zone = words.locale, state.agreement.spec.time_zone
    lines = []
    if state.ended is not None:
        ended = state.ended
        exercised = loc.instant(from_us(ended.exercised_at), time_zone)
        ends = loc.instant(from_us(ended.ends_at), time_zone)
        lines.append(words("agreement.terminated", right=ended.right, exercised=exercised, ends=ends))
    review = state.agreement.spec.review
    if state.review is not None and review is not None:
        key = "dealings.review.overdue" if state.review.overdue else "dealings.review.due"
        lines.append(words(key, every=loc.unit(review.every), due=loc.date(state.review.due)))
    return lines
