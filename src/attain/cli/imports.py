"""`attain import`: OpenSLO, Sloth, Pyrra and slo-generator files as one draft `attain/v1` agreement."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, print_json, print_problems


class ImportTarget(StrEnum):
    """The formats `attain import` writes."""

    ATTAIN_V1 = "attain/v1"


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="OpenSLO, Sloth, Pyrra or slo-generator files.")],
    to: Annotated[ImportTarget, typer.Option("--to", help="attain/v1: an Agreement document.")] = (
        ImportTarget.ATTAIN_V1
    ),
    name: Annotated[str | None, typer.Option(help="The agreement's name; default: from the file name.")] = None,
    out: Annotated[Path | None, typer.Option(help="File to write; default: standard output.")] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Draft an agreement from other tools' SLOs; list on stderr everything not carried over."""
    from attain.services.imports import import_files  # noqa: PLC0415 - loaded only when the command runs

    _ = to  # one target so far; the option names it so that scripts stay valid when more come
    imported = import_files(files, datetime.now(UTC).date(), name)
    text = imported.text()
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    if output is Output.JSON:
        print_json(imported.as_dict() | {"file": str(out) if out else None})
    elif out is None:
        sys.stdout.write(text)
    print_problems(imported.unmapped)
    if out is not None:
        count = len(imported.agreement["spec"]["objectives"])
        typer.echo(f"wrote {out}: {count} objective(s), {len(imported.unmapped)} item(s) not carried over", err=True)
