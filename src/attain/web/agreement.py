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

from attain.engine.instant import from_us
from attain.engine.outlook import Forecast
from attain.engine.period import label as period_label
from attain.engine.period import zone
from attain.engine.result import Evaluation, ObjectiveEvaluation
from attain.errors import InvalidInput
from attain.model import Agreement, CalendarUnit, CaseIndicator, RollingWindow, StatisticIndicator
from attain.ports import AgreementVersion
from attain.reports import charts
from attain.reports.business_time import case_duration
from attain.reports.locale import Locale
from attain.reports.period import ObjectiveReport, PeriodReport, day_zone, period_report
from attain.reports.period_label import parse_period
from attain.reports.phrases import PHRASES as REPORT_PHRASES
from attain.reports.rolling import rolling_left, window_days
from attain.services.runtime import Runtime
from attain.services.store import StoredEvaluation
from attain.web.cases import OpenCases, open_cases
from attain.web.language import Words
from attain.web.overview import CreditLine, ObjectiveRow, budget_left, credit_lines, severity_text, status_rows

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
    status: str
    month: str
    objectives: list[ObjectiveSection]
    credits: list[CreditLine]
    periods: list[str]
    standing: list[str] = field(default_factory=list)
    """Whether it was terminated and when its next review is due, one sentence each."""


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


def current_report(runtime: Runtime, name: str, month: str, evaluation: Evaluation) -> PeriodReport | None:
    """The report of the current month from the store, on the status's `evaluation` (not evaluated again).

    None when the agreement starts later.
    """
    from attain.services.documents import source_from_store  # noqa: PLC0415 - report inputs load on use

    try:
        source = source_from_store(runtime.store, name, month, runtime.memo_view())
        return period_report(source, month, evaluation, _history(source.agreement))
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


def _charts(words: Words, item: ObjectiveReport, now: int, row: ObjectiveRow, month: str, zone: str) -> list[Chart]:
    """The daily attainment chart and, where the objective has a budget, the burn-down, up to `now`.

    A rolling objective's charts show the days of its window (the report's `days` are those),
    a calendar objective's the month's.
    """
    pairs = [(d, left) for d, left in zip(item.days, item.remaining, strict=True) if d.result.start < now]
    indicator = item.objective.indicator
    statistic = isinstance(indicator, StatisticIndicator)
    goal = indicator.bound if isinstance(indicator, StatisticIndicator) else item.objective.target
    titles = charts.axis_titles(words.locale, item.objective, zone)
    values = [(d.day, d.result.statistic if statistic else d.result.ratio) for d, _ in pairs]
    labels = {"day": titles["day"], "value": titles["value"]}
    daily = charts.attainment_spec(values, goal, labels, percent=not statistic, dated=item.rolling)
    period = row.period if item.rolling else month
    found = [Chart(f"chart-{item.objective.name}-daily", words("h.daily"), daily, period)]
    rolling = _rolling_budget(item, now)
    burn = rolling if rolling is not None else [(d.day, left) for d, left in pairs]
    if any(left is not None for _, left in burn):
        labels = {"day": titles["day"], "value": titles["remaining"]}
        spec = charts.burn_down_spec(burn, labels, dated=rolling is not None)
        period = row.period if rolling is not None else month
        found.append(Chart(f"chart-{item.objective.name}-burn", words("h.burndown"), spec, period))
    return found


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


def agreement_page(runtime: Runtime, version: AgreementVersion, words: Words) -> AgreementPage:
    """Gather the agreement page of a stored agreement (the caller has checked the viewer may see it)."""
    state = runtime.status(version.name)
    agreement, evaluation = state.agreement, state.evaluation
    time_zone = agreement.spec.time_zone
    month = _month(runtime, time_zone)
    report = current_report(runtime, version.name, month, evaluation)
    items = {i.objective.name: i for i in report.objectives} if report else {}
    by_name = {o.objective: o for o in evaluation.objectives}
    forecasts = {f.objective: f for f in state.forecasts}
    sections = []
    for row in status_rows(version.name, state, words):
        item, evaluated = items.get(row.objective), by_name.get(row.objective)
        unit = evaluated.current.unit if evaluated and evaluated.current else ""
        intervals, cases = _consumed(words, item, agreement) if item else ([], [])
        section_charts = (
            _charts(words, item, runtime.now(), row, month, day_zone(agreement, item.objective)) if item else []
        )
        sections.append(
            ObjectiveSection(
                row,
                section_charts,
                _burn(words, evaluated, unit),
                _alerts(words, evaluated),
                intervals,
                cases,
                open_cases(words, evaluated, agreement),
                forecast_line(words, forecasts.get(row.objective), time_zone),
            )
        )
    return AgreementPage(
        name=version.name,
        title=agreement.spec.title,
        provider=agreement.spec.parties.provider.name,
        customer=agreement.spec.parties.customer.name,
        version=version.version,
        status=version.status,
        month=month,
        objectives=sections,
        credits=credit_lines(version.name, agreement, evaluation, words),
        periods=_report_periods(evaluation.objectives),
        standing=standing_lines(state, words),
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
