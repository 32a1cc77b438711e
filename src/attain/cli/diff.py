"""`attain diff`: what changed between two versions of an agreement, term by term, in words."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from attain.cli.app import OutputOption, app
from attain.cli.output import Output, console, print_json
from attain.reports.locale import Locale


@app.command()
def diff(
    first: Annotated[str, typer.Argument(help="An agreement file, or a stored agreement's name.")],
    second: Annotated[str, typer.Argument(help="The other file, or the first version's number.")],
    third: Annotated[int | None, typer.Argument(help="With a stored name: the second version's number.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the changes: en or zh-CN.")] = "en",
    output: OutputOption = Output.TEXT,
) -> None:
    """Show the changes between two versions: `attain diff OLD.yaml NEW.yaml` or `attain diff NAME 1 2`.

    Each change is one line in words ("availability: target 99.9% → 99.95%"), grouped into the
    contract's terms, which both parties must agree to, and its operation, which is the provider's.
    """
    from attain.services import changes  # noqa: PLC0415 - loads the document libraries only for this command

    if lang not in ("en", "zh-CN"):
        raise typer.BadParameter(f"not a language: {lang!r} (use en or zh-CN)", param_hint="--lang")
    loc = Locale.of(lang)
    if third is None:
        comparison = changes.compare_files(Path(first), Path(second), loc)
    else:
        from attain.cli.store import open_store  # noqa: PLC0415 - SQLAlchemy only for stored agreements

        try:
            number = int(second)
        except ValueError:
            raise typer.BadParameter(f"not a version number: {second!r}", param_hint="SECOND") from None
        comparison = changes.compare_stored(open_store(), first, number, third, loc)
    if output is Output.JSON:
        print_json(comparison.as_dict())
        return
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
