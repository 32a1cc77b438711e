"""The `attain` commands. Each parses its arguments, calls one service and prints the result."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from attain import services
from attain.actor import acting_as
from attain.cli.output import (
    Output,
    console,
    print_evaluation,
    print_explanation,
    print_json,
    print_problems,
    print_warnings,
)
from attain.errors import AttainError, InvalidInput, ObjectiveBreached, Problem
from attain.formats.results import evaluation_data
from attain.formats.template import LANGUAGES, TEMPLATES, describe_template
from attain.model.quantity import parse_datetime
from attain.reports.locale import Language, Locale
from attain.settings import UNSAFE_DURABILITY_VARIABLE

app = typer.Typer(
    name="attain",
    help="Service level agreements end to end: write, agree, measure, evaluate, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OutputOption = Annotated[Output, typer.Option("--output", "-o", help="text for people, json for scripts.")]


@app.callback()
def _everywhere(
    unsafe_durability: Annotated[
        bool,
        typer.Option(
            "--unsafe-durability",
            help="Open a store whose settings could lose committed writes (logged); "
            "same as ATTAIN_UNSAFE_DURABILITY=1.",
        ),
    ] = False,
) -> None:
    """Options for every command."""
    if unsafe_durability:
        os.environ[UNSAFE_DURABILITY_VARIABLE] = "1"  # the commands read their settings from the environment


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


def parse_instant(text: str | None, option: str) -> datetime | None:
    """Read an option's ISO 8601 instant, or stop with a usage error naming the option."""
    if text is None:
        return None
    try:
        return parse_datetime(text)
    except ValueError:
        hint = "write ISO 8601 with an offset, e.g. 2027-03-01T00:00:00Z"
        raise InvalidInput([Problem("<command line>", None, None, option, f"not an instant: {text!r}", hint)]) from None


from attain.cli import audit as _audit_commands  # noqa: E402 - registers `attain audit` on `app`
from attain.cli import credits as _credit_commands  # noqa: E402 - registers `attain credits` and `attain credit`
from attain.cli import diff as _diff_commands  # noqa: E402 - registers `attain diff` on `app`
from attain.cli import documents as _document_commands  # noqa: E402 - registers render and report
from attain.cli import drivers as _driver_commands  # noqa: E402 - registers `attain drivers` on `app`
from attain.cli import exclusions as _exclusion_commands  # noqa: E402 - registers `attain exclusion(s)`
from attain.cli import export as _export_commands  # noqa: E402 - registers `attain export` on `app`
from attain.cli import imports as _import_commands  # noqa: E402 - registers `attain import` on `app`
from attain.cli import notifications as _notification_commands  # noqa: E402 - registers `attain notifications`
from attain.cli import prometheus as _prometheus_commands  # noqa: E402 - registers `attain fetch` on `app`
from attain.cli import proposals as _proposal_commands  # noqa: E402 - registers propose, accept, reject …
from attain.cli import recommend as _recommend_commands  # noqa: E402 - registers `attain recommend` on `app`
from attain.cli import reviews as _review_commands  # noqa: E402 - registers `attain review` and `attain reviews`
from attain.cli import rights as _right_commands  # noqa: E402 - registers `attain rights` and `attain right`
from attain.cli import rules as _rules_commands  # noqa: E402 - registers `attain rules` on `app`
from attain.cli import scheduler as _scheduler_commands  # noqa: E402 - registers `attain scheduler` on `app`
from attain.cli import serve as _serve_commands  # noqa: E402 - registers `attain serve` and `attain token`
from attain.cli import sql as _sql_commands  # noqa: E402 - registers `attain pull` on `app`
from attain.cli import store as _store_commands  # noqa: E402 - registers the store commands on `app`

_ = (
    _audit_commands,
    _credit_commands,
    _diff_commands,
    _driver_commands,
    _document_commands,
    _exclusion_commands,
    _export_commands,
    _import_commands,
    _recommend_commands,
    _notification_commands,
    _prometheus_commands,
    _proposal_commands,
    _review_commands,
    _right_commands,
    _rules_commands,
    _scheduler_commands,
    _serve_commands,
    _sql_commands,
    _store_commands,
)


def _user() -> str:
    """Who the command's changes are recorded as in the audit trail: `cli:` and the login name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in this environment (a container without one)
        return "cli"


def main() -> None:
    """Run the CLI, turning attain's errors into messages and exit codes."""
    try:
        with acting_as(_user()):
            app()
    except AttainError as error:
        problems = error.problems if isinstance(error, InvalidInput) else None
        if problems:
            print_problems(problems)
        else:
            sys.stderr.write(f"attain: {error}\n")
        sys.exit(error.exit_code)
