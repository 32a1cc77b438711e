"""`attain diff`: what changed between two versions of an agreement, term by term, in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, money_text, print_json
from attain.errors import InvalidInput, Problem
from attain.model.quantity import format_number, format_ratio
from attain.model.ratio import display_ratio
from attain.reports.locale import Locale

if TYPE_CHECKING:
    from attain.engine.credit import PeriodCredit
    from attain.engine.result import PeriodResult
    from attain.model import Agreement
    from attain.services.changes import Comparison
    from attain.services.replay import Replay


@app.command()
def diff(
    first: Annotated[str, typer.Argument(help="An agreement file, or a stored agreement's name.")],
    second: Annotated[str, typer.Argument(help="The other file, or the first version's number.")],
    third: Annotated[int | None, typer.Argument(help="With a stored name: the second version's number.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the changes: en or zh-CN.")] = "en",
    replay: Annotated[
        str | None,
        typer.Option(help="FROM..UNTIL (dates): judge past periods by both versions on the stored measurements."),
    ] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Show the changes between two versions: `attain diff OLD.yaml NEW.yaml` or `attain diff NAME 1 2`.

    Each change is one line in words ("availability: target 99.9% → 99.95%"), grouped into the
    contract's terms, which both parties must agree to, and its operation, which is the provider's.
    With `--replay FROM..UNTIL`, both versions also judge the closed periods of that range on the
    stored measurements: per period each objective's attainment and status, and the credit owed.
    """
    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a language: {lang!r} (use en or zh-CN)", param_hint="--lang")
    loc = Locale.of(lang)
    comparison = _compare(first, second, third, loc)
    replayed = None if replay is None else _replay(comparison.before, comparison.after, replay)
    if output is Output.JSON:
        data = comparison.as_dict()
        if replayed is not None:
            data["replay"] = replayed.as_dict()
        print_json(data)
        return
    _print_changes(comparison, loc)
    if replayed is not None:
        _print_replay(replayed)


def _compare(first: str, second: str, third: int | None, loc: Locale) -> Comparison:
    from attain.services import changes  # noqa: PLC0415 - loads the document libraries only for this command

    if third is None:
        return changes.compare_files(Path(first), Path(second), loc)
    from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for stored agreements

    try:
        number = int(second)
    except ValueError:
        raise typer.BadParameter(f"not a version number: {second!r}", param_hint="SECOND") from None
    return changes.compare_stored(open_store(), first, number, third, loc)


def _print_changes(comparison: Comparison, loc: Locale) -> None:
    out = console()
    out.print(comparison.title, markup=False)
    if not comparison.lines:
        out.print(loc.text("diff.none"), markup=False)
        return
    for terms, heading in ((True, "diff.terms"), (False, "diff.operations")):
        lines = [line for line in comparison.lines if line.terms is terms]
        if lines:
            out.print(f"\n{loc.text(heading)}", markup=False)
            for line in lines:
                out.print(f"  - {line.text}", markup=False)


def _replay(before: Agreement, after: Agreement, text: str) -> Replay:
    from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for stored measurements
    from attain.services.replay import replay  # noqa: PLC0415

    first, _, until = text.partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(until)
    except ValueError:
        problem = f"not a range of dates: {text!r}"
        raise InvalidInput(
            [Problem("<command line>", None, None, "--replay", problem, "write 2026-09-01..2026-12-01")]
        ) from None
    return replay(open_store(), before, after, start, end)


def _print_replay(replayed: Replay) -> None:
    table = Table("period", "objective", "before", "after", title=f"Replayed {replayed.first}..{replayed.end}")
    for row in replayed.rows:
        table.add_row(row.period, row.objective, _judged(row.before), _judged(row.after))
    for period, before, after in replayed.credits:
        table.add_row(period, "credit", _owed(before), _owed(after))
    out = console()
    out.print(table)
    for note in replayed.notes:
        out.print(f"note: {note}", markup=False)


def _judged(result: PeriodResult | None) -> str:
    if result is None:
        return "—"
    if result.ratio is not None:
        shown = display_ratio(result.ratio, result.target)
    else:
        shown = "no data" if result.statistic is None else format_number(result.statistic)
    return f"{shown} {result.status.value}"


def _owed(credit: PeriodCredit | None) -> str:
    if credit is None or credit.share == 0:
        return "none"
    money = (
        "" if credit.payable is None or credit.currency is None else f" = {money_text(credit.payable, credit.currency)}"
    )
    return f"{format_ratio(credit.share)} of the fee{money}"
