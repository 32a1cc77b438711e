"""Commands on agreement files: init, validate, explain, evaluate (with --data, or on the store), schema."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from attain import services
from attain.cli.app import OutputOption, app, parse_instant
from attain.cli.output import (
    Output,
    console,
    print_evaluation,
    print_explanation,
    print_json,
    print_problems,
    print_warnings,
)
from attain.errors import InvalidInput, ObjectiveBreached
from attain.formats.results import evaluation_data
from attain.formats.template import LANGUAGES, TEMPLATES, describe_template
from attain.reports.locale import Language, Locale


@app.command()
def init(
    template: Annotated[str | None, typer.Option(help=f"One of: {', '.join(TEMPLATES)}.")] = None,
    lang: Annotated[str, typer.Option(help=f"Language of the prose: {' or '.join(LANGUAGES)}.")] = "en",
    out: Annotated[Path | None, typer.Option(help="File to write; default: TEMPLATE.yaml here.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the templates and exit.")] = False,
    output: OutputOption = Output.TEXT,
) -> None:
    """Write a ready agreement from an industry template."""
    if list_ or template is None:
        rows = [{"template": name, "description": describe_template(name)} for name in TEMPLATES]
        if output is Output.JSON:
            print_json(rows)
        else:
            for row in rows:
                console().print(f"{row['template']:<20} {row['description']}")
        return
    target = out or Path(f"{template}.yaml")
    agreement = services.create_from_template(template, lang, target, force=force)
    result = {"file": str(target), "agreement": agreement.name, "objectives": len(agreement.objectives)}
    if output is Output.JSON:
        print_json(result)
    else:
        console().print(f"wrote {target}: agreement {agreement.name} with {len(agreement.objectives)} objectives")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Agreement and OpenSLO files (YAML or JSON).")],
    output: OutputOption = Output.TEXT,
) -> None:
    """Check agreements and OpenSLO documents; exit 2 and list every problem if any, warnings beside them."""
    result = services.validate_files(files)
    if output is Output.JSON:
        print_json(result.as_dict())
    else:
        print_problems(result.bundle.problems)
        print_warnings(result.bundle.warnings)
        if result.ok:
            found = len(result.bundle.agreements) + len(result.bundle.openslo)
            warned = f", {len(result.bundle.warnings)} warning(s)" if result.bundle.warnings else ""
            console().print(f"{len(files)} file(s) valid: {found} object(s){warned}")
    if not result.ok:
        raise typer.Exit(InvalidInput.exit_code)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="An agreement file.")],
    lang: Annotated[Language, typer.Option("--lang", help="Language of the sentences: en or zh-CN.")] = Language.EN,
    output: OutputOption = Output.TEXT,
) -> None:
    """Say what each objective measures and allows, the credits owed and the termination rules."""
    explanation = services.explain_file(file, lang)
    if output is Output.JSON:
        print_json(explanation.as_dict())
    else:
        print_explanation(explanation, Locale(lang))


@app.command()
def evaluate(
    target: Annotated[
        str | None, typer.Argument(help="With --data: an agreement file. Without: a stored agreement's name.")
    ] = None,
    data: Annotated[Path | None, typer.Option(help="Directory of measurement files (CSV or JSON Lines).")] = None,
    at: Annotated[str | None, typer.Option(help="Evaluation instant, ISO 8601 with offset; default: now.")] = None,
    since: Annotated[str | None, typer.Option(help="Start of the range; default: the effective date.")] = None,
    period: Annotated[
        str | None, typer.Option(help="Store mode: evaluate and store closed period P (2026-10).")
    ] = None,
    output: OutputOption = Output.TEXT,
) -> None:
    """Evaluate against measurement files (--data) or stored data; exit 3 when a period is breached."""
    instant = parse_instant(at, "--at") or datetime.now(UTC)
    if data is None:
        from attain.cli.store import evaluate_stored_command  # noqa: PLC0415 - SQLAlchemy only when needed

        evaluate_stored_command(target, instant, parse_instant(since, "--since"), period, output)
        return
    if target is None:
        raise typer.BadParameter("give the agreement file to evaluate against --data")
    agreement, evaluation = services.evaluate_file(Path(target), data, instant, parse_instant(since, "--since"))
    if output is Output.JSON:
        print_json(evaluation_data(evaluation))
    else:
        print_evaluation(evaluation, agreement)
    if evaluation.breached:
        raise typer.Exit(ObjectiveBreached.exit_code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the attain/v1 agreement format, for editors."""
    sys.stdout.write(services.schema_text())
