"""The `attain` commands. Each parses its arguments, calls one service and prints the result."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from attain import services
from attain.cli.output import Output, console, print_explanation, print_json, print_problems
from attain.errors import AttainError, InvalidInput
from attain.formats.template import LANGUAGES, TEMPLATES, describe_template

app = typer.Typer(
    name="attain",
    help="Service level agreements end to end: write, agree, measure, evaluate, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OutputOption = Annotated[Output, typer.Option("--output", "-o", help="text for people, json for scripts.")]


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
    """Check agreements and OpenSLO documents; exit 2 and list every problem if any."""
    result = services.validate_files(files)
    if output is Output.JSON:
        print_json(result.as_dict())
    else:
        print_problems(result.bundle.problems)
        if result.ok:
            found = len(result.bundle.agreements) + len(result.bundle.openslo)
            console().print(f"{len(files)} file(s) valid: {found} object(s)")
    if not result.ok:
        raise typer.Exit(InvalidInput.exit_code)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="An agreement file.")],
    output: OutputOption = Output.TEXT,
) -> None:
    """Say what each objective measures and allows, the credits owed and the termination rules."""
    explanation = services.explain_file(file)
    if output is Output.JSON:
        print_json(explanation.as_dict())
    else:
        print_explanation(explanation)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the attain/v1 agreement format, for editors."""
    sys.stdout.write(services.schema_text())


@app.command()
def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the demo agreement.")] = Path("attain-demo"),
) -> None:
    """Create an agreement from the cloud-uptime template, validate it and explain it."""
    target = directory / "cloud-uptime.yaml"
    services.create_from_template("cloud-uptime", "en", target, force=True)
    console().print(f"[bold]1. created[/bold] {target} from template cloud-uptime")
    result = services.validate_files([target])
    print_problems(result.bundle.problems)
    if not result.ok:
        raise typer.Exit(InvalidInput.exit_code)
    console().print(f"[bold]2. validated[/bold] {target}: no problems")
    console().print("[bold]3. explained[/bold]")
    print_explanation(services.explain_file(target))


def main() -> None:
    """Run the CLI, turning attain's errors into messages and exit codes."""
    try:
        app()
    except AttainError as error:
        problems = error.problems if isinstance(error, InvalidInput) else None
        if problems:
            print_problems(problems)
        else:
            sys.stderr.write(f"attain: {error}\n")
        sys.exit(error.exit_code)
