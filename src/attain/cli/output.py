"""Printing for the CLI: rich tables for people, JSON for scripts, problems on stderr."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from attain.cli.console import console as console  # noqa: PLC0414 - re-exported: the commands import it from here
from attain.cli.console import print_json as print_json  # noqa: PLC0414 - re-exported
from attain.cli.money import money_text as money_text  # noqa: PLC0414 - re-exported: the commands import it from here
from attain.cli.options import CaseFilter as CaseFilter  # noqa: PLC0414 - re-exported: the commands import it from here
from attain.cli.options import Output as Output  # noqa: PLC0414 - re-exported: the commands import it from here
from attain.engine.case import CaseOutcome, CaseState, ClockState
from attain.engine.credit import PeriodCredit
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, from_us, iso_utc
from attain.engine.outlook import Forecast
from attain.engine.result import Evaluation, ObjectiveEvaluation, PeriodResult
from attain.errors import Problem
from attain.model import Agreement
from attain.model.quantity import display_ratio, format_number, format_ratio

if TYPE_CHECKING:
    from attain.reports.explanation import Explanation
    from attain.reports.locale import Locale
    from attain.services.store import StoredEvaluation


def print_problems(problems: list[Problem], prefix: str = "") -> None:
    """Print each problem on its own line on stderr, in the `FILE:LINE:COLUMN: ...` form, after `prefix`."""
    for problem in problems:
        sys.stderr.write(f"{prefix}{problem}\n")


def print_warnings(warnings: list[Problem]) -> None:
    """Print each warning on its own line on stderr: `FILE:LINE:COLUMN: warning: path.to.field: ...`."""
    for warning in warnings:
        where = f"{warning.file}:{warning.line or 1}:{warning.column or 1}"
        hint = f"; {warning.hint}" if warning.hint else ""
        sys.stderr.write(f"{where}: warning: {warning.path or '(document)'}: {warning.message}{hint}\n")


def print_explanation(explanation: Explanation, loc: Locale | None = None) -> None:
    """Print an explanation: a summary table of objectives, then each objective in words, in `loc`'s language."""
    if loc is None:
        from attain.reports.explanation import ENGLISH  # noqa: PLC0415 - the phrase books load only to explain

        loc = ENGLISH
    out = console()
    status = loc.text(f"x.status.{explanation.status}")
    # Agreement text is data, not markup: `[..]` in a filter must print as written.
    title = f"[bold]{escape(explanation.title)}[/bold]"
    name = escape(explanation.name)
    out.print(loc.text("x.heading", title=title, name=name, version=explanation.version, status=status))
    out.print(escape(loc.text("x.in_force", parties=explanation.parties, effective=explanation.effective)))
    table = Table()
    for column in ("objective", "target", "window", "budget"):
        table.add_column(loc.text(f"x.column.{column}"))
    for item in explanation.objectives:
        table.add_row(*(escape(cell) for cell in (item.name, item.target, item.window, item.budget)))
    out.print(table)
    for item in explanation.objectives:
        name = f"[bold]{escape(item.name)}[/bold]"
        out.print(loc.text("x.titled", name=name, title=escape(item.title)) if item.title != item.name else name)
        for label, lines in (("measures", [item.measured]), ("allows", item.allows), ("credits", item.credits)):
            word = loc.text(f"x.label.{label}")
            for number, line in enumerate(lines):
                out.print(f"  {_pad(word if number == 0 else '', 8)}  {escape(line)}")
    for heading, lines in (
        ("exclusions", explanation.exclusions),
        ("credits", explanation.credit_policy),
        ("termination", explanation.termination),
    ):
        if lines:
            out.print(f"[bold]{loc.text(f'x.h.{heading}')}[/bold]")
            for line in lines:
                out.print(f"  • {escape(line)}")


def _pad(text: str, cells: int) -> str:
    """Text padded with spaces to `cells` terminal cells (a Chinese character takes two)."""
    return text + " " * max(0, cells - cell_len(text))


def print_evaluation(evaluation: Evaluation, agreement: Agreement) -> None:
    """Print each objective's periods as a table, then alerts, credits and termination rights."""
    out = console()
    out.print(
        f"[bold]{evaluation.agreement}[/bold] version {evaluation.version} at {from_us(evaluation.at).isoformat()}"
    )
    table = Table()
    for column in ("objective", "period", "status", "attained", "target", "budget left"):
        table.add_column(column)
    for objective, result in zip(agreement.objectives, evaluation.objectives, strict=True):
        for period in result.periods:
            row = _period_row(period, objective.target)
            style = {"breached": "red", "at_risk": "yellow", "met": "green"}.get(row[1], "")
            table.add_row(objective.name, row[0], f"[{style}]{row[1]}[/{style}]" if style else row[1], *row[2:])
    out.print(table)
    for result in evaluation.objectives:
        for alert in result.alerts:
            if alert.firing:
                out.print(f"[red]ALERT[/red] {result.objective}: {alert.severity} burn rate over {alert.factor}")
    for credit in evaluation.credits:
        if credit.share:
            out.print(f"credit {credit_text(credit)}")
    for grant in evaluation.termination:
        out.print(f"termination right: {grant.rule.grants.value} ({grant.objective}: {', '.join(grant.periods)})")


def print_status(
    results: Sequence[StoredEvaluation], cases: CaseFilter = CaseFilter.WARNED, *, forecasts: bool = True
) -> None:
    """What a service manager wants first: per objective this period, budget, burn, forecast, alerts, credits, cases."""
    out = console()
    for result in results:
        evaluation, agreement = result.evaluation, result.agreement
        out.print(f"[bold]{agreement.spec.title}[/bold] ({agreement.name}, version {evaluation.version})")
        table = Table()
        for column in ("objective", "period", "status", "attained", "target", "budget left", "burn rate 1h", "alerts"):
            table.add_column(column)
        for objective, state in zip(agreement.objectives, evaluation.objectives, strict=False):
            current = state.current
            if current is None:
                continue
            row = _period_row(current, objective.target)
            burn = _rate(state.burn_rate)
            firing = ", ".join(a.severity for a in state.alerts if a.firing) or "-"
            style = {"breached": "red", "at_risk": "yellow", "met": "green"}.get(row[1], "")
            table.add_row(
                state.objective, row[0], f"[{style}]{row[1]}[/{style}]" if style else row[1], *row[2:], burn, firing
            )
        out.print(table)
        if forecasts:
            _print_forecasts(out, result)
        for state in evaluation.objectives:
            if state.cases is not None:
                _print_cases(out, state, cases)
        owed = [c for c in evaluation.credits if c.share]
        for credit in owed:
            out.print(f"  credit owed for {credit_text(credit)}")
        if result.adjustments:
            out.print(f"  {result.adjustments} late-data adjustment(s) to closed periods")
        _print_standing(out, result)


def _print_forecasts(out: Console, result: StoredEvaluation) -> None:
    for forecast in result.forecasts:
        out.print(f"  {forecast_text(forecast)}", markup=False)


def print_riskiest_forecast(results: Sequence[StoredEvaluation]) -> None:
    """The one forecast most likely to breach, in a line (what `attain demo` shows); nothing without any."""
    riskiest = max(
        ((r, f) for r in results for f in r.forecasts),
        key=lambda pair: pair[1].projection.breach_probability,
        default=None,
    )
    if riskiest is not None:
        state, forecast = riskiest
        console().print(f"{state.agreement.name}: {forecast_text(forecast)}", markup=False)


def forecast_text(forecast: Forecast) -> str:
    """One open period's forecast in a line (docs/review.md, "Forecast").

    `forecast availability 2026-12: 99.92% expected at the end (target 99.9%), breach probability
    44.4%; at the current burn the budget lasts the period` (or `… is gone on 2026-12-20 13:00 UTC`,
    or `… is already gone`).
    """
    p = forecast.projection
    if p.budget_gone_at is None:
        gone = "lasts the period"
    elif p.budget_gone_at <= forecast.at:
        gone = "is already gone"
    else:
        gone = f"is gone on {from_us(p.budget_gone_at):%Y-%m-%d %H:%M} UTC"
    target = forecast.target
    return (
        f"forecast {forecast.objective} {forecast.period}: {display_ratio(p.projected_ratio, target)} expected "
        f"at the end (target {format_ratio(target)}), breach probability {format_ratio(p.breach_probability)}; "
        f"at the current burn the budget {gone}"
    )


def _print_standing(out: Console, result: StoredEvaluation) -> None:
    """Whether the agreement was terminated, and its next review due."""
    if result.ended is not None:
        ended = result.ended
        out.print(
            f"  terminated: right {ended.right} ({ended.grants}) exercised {iso_utc(ended.exercised_at)}, "
            f"ends {iso_utc(ended.ends_at)}; not evaluated past it",
            markup=False,
        )
    if result.review is not None:
        late = " (overdue)" if result.review.overdue else ""
        out.print(f"  review due by {result.review.due.isoformat()}{late}", markup=False)


def credit_text(credit: PeriodCredit) -> str:
    """One period's credit: its share, the amount in its currency, the objectives that triggered it.

    `2027-01: 25% of the fee = 2,125.00 EUR (storage-availability)`; without an amount (no fee, or
    a fee per another unit) the share alone.
    """
    amount = ""
    if credit.payable is not None and credit.currency is not None:
        amount = f" = {money_text(credit.payable, credit.currency)}"
    return f"{credit.period}: {format_ratio(credit.share)} of the fee{amount} ({', '.join(credit.triggered_by)})"


OPEN_CASES_SHOWN = 5
"""How many cases `attain status` lists per objective (all of them with `--cases all`), nearest due first."""


def _listed(case: CaseOutcome, cases: CaseFilter) -> bool:
    """Whether `--cases` lists the case: warned cases are running ones at a warning share or past the goal."""
    running = case.clock_state is not ClockState.STOPPED
    if cases is CaseFilter.WARNED:
        return running and (case.warning is not None or case.state is CaseState.BREACHED)
    return cases is CaseFilter.ALL or (cases is CaseFilter.OPEN and running)


def _print_cases(out: Console, state: ObjectiveEvaluation, cases: CaseFilter) -> None:
    """A case objective's counts per state, then the cases `--cases` selects, nearest their due instant first."""
    every = state.cases or ()
    counts = ", ".join(f"{sum(1 for c in every if c.state is s)} {s.value}" for s in CaseState)
    out.print(f"  {escape(state.objective)} cases: {counts}; {sum(1 for c in every if c.at_risk)} at risk")
    listed = [c for c in every if _listed(c, cases)]
    if not listed:
        return
    table = Table()
    for column in ("case", "priority", "state", "elapsed", "goal", "used", "warning", "due (UTC)"):
        table.add_column(column)
    shown = len(listed) if cases is CaseFilter.ALL else OPEN_CASES_SHOWN
    for case in sorted(listed, key=_due_order)[:shown]:
        used = "-" if case.used is None else format_ratio(case.used.quantize(Decimal("0.001"), ROUND_FLOOR))
        state_text = case.state.value + (" (at risk)" if case.at_risk else "")
        warning = "-" if case.warning is None else format_ratio(case.warning)
        due = "-" if case.due is None else iso_utc(case.due)
        cells = (
            case.case,
            case.priority or "-",
            state_text,
            _hours(case.elapsed),
            _hours(case.goal),
            used,
            warning,
            due,
        )
        table.add_row(*(escape(cell) for cell in cells))
    out.print(table)
    if len(listed) > shown:
        out.print(f"  … and {len(listed) - shown} more (--cases all lists them, --output json gives every case)")


def _due_order(case: CaseOutcome) -> tuple[bool, int, str]:
    """Nearest due instant first; paused cases (no due instant) last; then by case id."""
    return case.due is None, case.due or 0, case.case


def _hours(us: int | None) -> str:
    """Clock time as hours and minutes, e.g. `27h 05m` (seconds cut)."""
    if us is None:
        return "-"
    return f"{us // US_PER_HOUR}h {us % US_PER_HOUR // US_PER_MINUTE:02d}m"


def _period_row(period: PeriodResult, target: Decimal | None) -> list[str]:
    """A table row: period (marked open), status, attainment, target, budget remaining.

    The target shown is the one that judged the period (`period.target`, of the version then in
    force), so a later version agreed but not yet in force does not show its target beside a
    period it does not judge; `target` (the objective's as written) is the fallback.
    """
    if period.target is not None:
        target = period.target
    budget = period.budget
    unit = {"minutes": "min"}.get(budget.unit, budget.unit) if budget else ""
    remaining = "-" if budget is None else f"{format_number(budget.remaining.quantize(Decimal('0.01')))} {unit}"
    if period.ratio is not None:
        attained = display_ratio(period.ratio, period.target)
    elif period.statistic is not None:
        attained = format_number(period.statistic.quantize(Decimal("0.001")))
    else:  # a statistic that fell on a timed-out event (missing: worst) has no finite value
        attained = "beyond measured" if period.detail.get("beyond_measured") else "-"
    label = period.period + ("" if period.closed else " (open)")
    return [label, period.status.value, attained, "-" if target is None else format_ratio(target), remaining]


def _rate(rate: Decimal | None) -> str:
    """A burn rate for a table: two decimals, ∞ when a 100% target meets a bad event."""
    if rate is None:
        return "-"
    return format_number(rate.quantize(Decimal("0.01"))) if rate.is_finite() else "∞"
