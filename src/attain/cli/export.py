"""`attain export`: an agreement as OpenSLO v1 objects, its SLA-only data in `attain.dev/` annotations."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from attain.cli.app import app
from attain.formats.openslo import dump_openslo
from attain.formats.openslo.export import export_objects
from attain.model import Agreement


class ExportFormat(StrEnum):
    """The formats `attain export` writes."""

    OPENSLO = "openslo"


@app.command()
def export(
    agreement: Annotated[str, typer.Argument(help="An agreement file, or a stored agreement's name.")],
    format_: Annotated[ExportFormat, typer.Option("--format", help="openslo: OpenSLO v1 YAML.")] = ExportFormat.OPENSLO,
    out: Annotated[Path | None, typer.Option("--out", help="File to write; default: standard output.")] = None,
) -> None:
    """Export an agreement's services and objectives as OpenSLO v1; `attain.dev/` annotations keep the rest."""
    _ = format_  # one format so far; the option names it so that scripts stay valid when more come
    text = dump_openslo(export_objects(_load(agreement)))
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)


def _load(agreement: str) -> Agreement:
    from attain.services import documents as inputs  # noqa: PLC0415 - loaded only when the command runs

    path = Path(agreement)
    if path.exists():
        return inputs.agreement_from_file(path)
    from attain.cli.read import open_store  # noqa: PLC0415 - SQLAlchemy only for stored agreements

    return inputs.agreement_from_store(open_store(), agreement)
