"""Commands that write documents: `attain render` (the contract) and `attain report` (a period)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from attain.cli.app import app, parse_instant
from attain.cli.output import console
from attain.engine.instant import to_us
from attain.reports.document import Format

LangOption = Annotated[str, typer.Option("--lang", help="Language of the document: en or zh-CN.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="File to write; default: standard output.")]


def _write(content: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    console().print(f"wrote {out} ({len(content):,} bytes)")


def _refuse_terminal(format_: Format, out: Path | None) -> None:
    """Refuse to write PDF bytes to a terminal, where they are noise that can upset it."""
    if format_ is Format.PDF and out is None and sys.stdout.isatty():
        raise typer.BadParameter("a PDF is not for a terminal: pass --out FILE (or pipe to a file)", param_hint="--out")


def _check_lang(lang: str) -> None:
    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a document language: {lang!r} (use en or zh-CN)", param_hint="--lang")


@app.command()
def render(
    agreement: Annotated[str, typer.Argument(help="An agreement file, or a stored agreement's name.")],
    lang: LangOption = "en",
    format_: Annotated[Format, typer.Option("--format", help="html, pdf or md.")] = Format.HTML,
    out: OutOption = None,
) -> None:
    """Write the agreement as a contract document: scope, service levels, remedies, clauses, signatures."""
    from attain.reports.contract import render_contract  # noqa: PLC0415
    from attain.services import documents as inputs  # noqa: PLC0415 - document libraries load only for these commands

    _check_lang(lang)
    _refuse_terminal(format_, out)
    if format_ is Format.JSON:
        raise typer.BadParameter("the contract is html, pdf or md; for JSON use `attain explain -o json`")
    path = Path(agreement)
    if path.exists():
        loaded = inputs.agreement_from_file(path)
    else:
        from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for stored agreements

        loaded = inputs.agreement_from_store(open_store(), agreement)
    _write(render_contract(loaded, lang, format_), out)


@app.command()
def report(
    agreement: Annotated[str, typer.Argument(help="With --data: an agreement file. Without: a stored agreement.")],
    period: Annotated[str, typer.Option(help="The period: 2026-10, 2026-Q4, 2026-W40, 2026 or 2026-10-05.")],
    lang: LangOption = "en",
    format_: Annotated[Format, typer.Option("--format", help="html, pdf, md or json.")] = Format.HTML,
    out: OutOption = None,
    data: Annotated[Path | None, typer.Option(help="Directory of measurement files; default: the store.")] = None,
    at: Annotated[
        str | None, typer.Option(help="Report instant, ISO 8601 with offset; default: now (a running period so far).")
    ] = None,
) -> None:
    """Write the report of one period: attainment, budget, charts, what consumed it, credits, rights."""
    from attain.reports.period import period_report  # noqa: PLC0415
    from attain.reports.period_view import render_report  # noqa: PLC0415
    from attain.services import documents as inputs  # noqa: PLC0415 - document libraries load only for these commands

    _check_lang(lang)
    _refuse_terminal(format_, out)
    if data is not None:
        source = inputs.source_from_files(Path(agreement), data)
    else:
        from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for stored agreements

        source = inputs.source_from_store(open_store(), agreement, period)
    instant = to_us(parse_instant(at, "--at") or datetime.now(UTC))
    _write(render_report(period_report(source, period, at=instant), lang, format_), out)
