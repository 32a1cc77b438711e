"""`attain recommend`: realistic targets from stored history, as a table or JSON; optionally proposed."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import Output, console, print_json
from attain.engine.instant import from_us, to_us
from attain.errors import InvalidInput, Problem
from attain.reports.locale import Locale
from attain.services.recommend import DEFAULT_PERIODS, ObjectiveAdvice, RecommendationReport

if TYPE_CHECKING:
    from attain.ports import Store


@app.command()
def recommend(  # noqa: PLR0913, PLR0917 - each option is one of the command's documented choices
    name: Annotated[str, typer.Argument(help="A stored agreement.")],
    objective: Annotated[str | None, typer.Option(help="Only this objective.")] = None,
    periods: Annotated[int, typer.Option(min=1, help="How many past whole periods to look at.")] = DEFAULT_PERIODS,
    lang: Annotated[str, typer.Option("--lang", help="Language of the text: en or zh-CN.")] = "en",
    at: Annotated[str | None, typer.Option(help="Look back from this instant (ISO 8601); default: now.")] = None,
    propose: Annotated[bool, typer.Option(help="Propose the recommended targets as a new version.")] = False,
    write: Annotated[Path | None, typer.Option(help="Write the amended agreement YAML to this file.")] = None,
    effective: Annotated[str | None, typer.Option(help="With --propose: take effect on this date.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Realistic targets: what past periods attained and which targets they would have met."""
    from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for store commands
    from attain.services.recommend import recommendations, report_data  # noqa: PLC0415

    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a language: {lang!r} (use en or zh-CN)", param_hint="--lang")
    instant = to_us(parse_instant(at, "--at") or datetime.now(UTC))
    store = open_store()
    report = recommendations(store, name, instant, objective=objective, periods=periods)
    loc = Locale.of(lang)
    if output is Output.JSON:
        print_json(report_data(report))
    else:
        print_report(report, loc)
    if write is not None or propose:
        _amend(report, loc, write, _day(effective), propose=propose, quiet=output is Output.JSON)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [Problem("<command line>", None, None, "--effective", f"not a date: {text!r}", "write YYYY-MM-DD")]
        ) from None


def _amend(
    report: RecommendationReport, loc: Locale, write: Path | None, day: date | None, *, propose: bool, quiet: bool
) -> None:
    """Write the amended agreement and/or propose it through the lifecycle services."""
    from attain.cli.parties import caller  # noqa: PLC0415
    from attain.cli.read import note, now  # noqa: PLC0415
    from attain.formats.native import dump_agreement  # noqa: PLC0415
    from attain.services import proposals  # noqa: PLC0415
    from attain.services.recommend import amended_stored  # noqa: PLC0415
    from attain.settings import Settings  # noqa: PLC0415

    store, kept = proposals.open_negotiation(Settings.from_environ(os.environ, Path.cwd()))
    agreement = amended_stored(store, report)
    if write is not None:
        write.write_text(dump_agreement(agreement), encoding="utf-8")
        note(loc.text("recommend.written", file=write))
    if propose:
        made = proposals.propose(store, kept, agreement, caller(None), now(), effective=day, note="attain recommend")
        text = loc.text(
            "recommend.proposed",
            agreement=made.agreement,
            number=made.number,
            effective=made.effective_from.isoformat(),
        )
        if quiet:
            note(text)
        else:
            console().print(text, markup=False)


def print_report(report: RecommendationReport, loc: Locale) -> None:
    """The report as text: a heading, then per objective its distribution, flags and a table of candidates."""
    out = console()
    at = from_us(report.at).strftime("%Y-%m-%d %H:%M UTC")
    out.print(
        loc.text("recommend.title", agreement=report.agreement, version=report.version, periods=report.periods, at=at),
        markup=False,
    )
    for advice in report.objectives:
        _print_objective(advice, report.currency, loc)
    for objective, reason in report.skipped:
        why = loc.text(f"recommend.reason.{reason}")
        out.print(loc.text("recommend.skipped", objective=objective, reason=why), markup=False)


def _print_objective(advice: ObjectiveAdvice, currency: str | None, loc: Locale) -> None:
    out, r = console(), advice.recommendation
    target = loc.percent(r.target)
    head = loc.text(
        "recommend.objective",
        objective=advice.objective,
        kind=advice.kind,
        window=window_text(advice.window, loc),
        target=target,
        count=len(r.periods),
    )
    out.print(f"[bold]{escape(head)}[/bold]")
    for line in describe(advice, loc):
        out.print(line, markup=False)
    if not r.candidates:
        return
    table = Table()
    for column in ("target", "met", "credit", "budget"):
        table.add_column(loc.text(f"recommend.col.{column}"), justify="left" if column == "target" else "right")
    for c in r.candidates:
        marks = [loc.text("recommend.current")] if c.current else []
        if r.recommended is not None and c.target == r.recommended.target:
            marks.append(loc.text("recommend.recommended"))
        label = loc.percent(c.target) + (f" ({', '.join(marks)})" if marks else "")
        credit = loc.percent(c.credit_share)
        if c.credit_amount is not None and currency is not None:
            credit += f" = {loc.money(c.credit_amount, currency)}"
        table.add_row(label, f"{c.met}/{c.periods}", credit, budget_text(c.budget, r.unit, loc))
    out.print(table)


def window_text(window: str, loc: Locale) -> str:
    """A window label in the language: month → 月; rolling 28d → 滚动 28d."""
    if window.startswith("rolling "):
        return loc.text("recommend.rolling", span=window.removeprefix("rolling "))
    return loc.text(f"unit.{window}")


def escape(text: str) -> str:
    """Text safe inside rich markup."""
    from rich.markup import escape as rich_escape  # noqa: PLC0415

    return rich_escape(text)


def budget_text(value: Decimal, unit: str, loc: Locale) -> str:
    """An error budget in its unit, to two decimals."""
    key = "recommend.cases" if unit == "cases" else f"budget_unit.{unit}"
    try:
        return loc.text(key, n=loc.number(value))
    except KeyError:
        return f"{loc.number(value)} {unit}"


def describe(advice: ObjectiveAdvice, loc: Locale) -> list[str]:
    """The lines about one objective above its table: distribution, trend, flags, low volume, seasonality."""
    r = advice.recommendation
    if r.distribution is None:
        return [loc.text("recommend.none")]
    d = r.distribution
    quantiles = {f"p{int(q * 100)}": loc.percent(v) for q, v in d.percentiles}
    lines = [
        loc.text(
            "recommend.distribution",
            least=loc.percent(d.least),
            most=loc.percent(d.most),
            p10=quantiles["p10"],
            p50=quantiles["p50"],
            p90=quantiles["p90"],
        )
    ]
    if r.trend is not None:
        slope = loc.number(r.trend.slope * 100, 4)
        lines.append(
            loc.text("recommend.trend", direction=loc.text(f"recommend.trend.{r.trend.direction}"), slope=slope)
        )
    missed = sum(1 for v in r.periods if not v.met)
    if r.too_loose:
        lines.append(loc.text("recommend.loose", target=loc.percent(r.target)))
    if r.too_strict:
        lines.append(loc.text("recommend.strict", missed=missed, count=len(r.periods), target=loc.percent(r.target)))
    if r.low_volume:
        lines.append(loc.text("recommend.low", periods=", ".join(r.low_volume), unit=r.unit.rstrip("s")))
    season = advice.seasonality
    if season is not None:
        day, hour = season.worst(season.weekdays), season.worst(season.hours)
        if day is not None and hour is not None and day.ratio is not None and hour.ratio is not None:
            lines.append(
                loc.text(
                    "recommend.season",
                    weekday=loc.weekday(day.index),
                    weekday_ratio=loc.percent(day.ratio),
                    hour=f"{hour.index:02d}",
                    hour_ratio=loc.percent(hour.ratio),
                )
            )
    return lines


def summary_line(advice: ObjectiveAdvice, loc: Locale) -> str | None:
    """One line: the recommended target against the current one and how often it was met (None: no history)."""
    r = advice.recommendation
    if r.recommended is None:
        return None
    return loc.text(
        "recommend.line",
        objective=advice.objective,
        recommended=loc.percent(r.recommended.target),
        target=loc.percent(r.target),
        met=r.recommended.met,
        count=r.recommended.periods,
    )


def demo_line(store: Store, names: list[str], at: int, loc: Locale) -> str | None:
    """The first recommendation among the agreements that differs from the current target (else the first one)."""
    from attain.services.recommend import recommendations  # noqa: PLC0415

    found = [(name, a) for name in names for a in recommendations(store, name, at).objectives]
    moved = [(name, a) for name, a in found if _differs(a)]
    for name, advice in moved or found:
        line = summary_line(advice, loc)
        if line is not None:
            return loc.text("recommend.demo", agreement=name, line=line)
    return None


def _differs(advice: ObjectiveAdvice) -> bool:
    chosen = advice.recommendation.recommended
    return chosen is not None and chosen.target != advice.recommendation.target
