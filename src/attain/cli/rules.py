"""`attain rules`: Prometheus recording and alerting rules, Sloth-compatible, from SLO specs."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from attain.cli.app import app
from attain.errors import InvalidInput, Problem
from attain.model.quantity import parse_duration
from attain.rules.document import VERSION, RuleFormat
from attain.rules.prometheus import RuleOptions
from attain.rules.validate import LABEL_NAME
from attain.services.rules import generate_rules, validate_inputs


@app.command()
def rules(  # noqa: PLR0913, PLR0917 - one parameter per documented option
    inputs: Annotated[list[Path], typer.Argument(help="Agreements, OpenSLO v1alpha SLOs, Sloth specs, or folders.")],
    period: Annotated[str | None, typer.Option(help="SLO period, e.g. 30d; default: 30d, or the window.")] = None,
    out: Annotated[Path | None, typer.Option(help="File to write; default: standard output.")] = None,
    format_: Annotated[
        RuleFormat | None, typer.Option("--format", help="Default: prometheus-operator for Kubernetes inputs only.")
    ] = None,
    extra_label: Annotated[list[str] | None, typer.Option(help="k=v label on every SLO; repeat.")] = None,
    disable_alerts: Annotated[bool, typer.Option(help="Leave out the alert rules.")] = False,
    disable_recordings: Annotated[bool, typer.Option(help="Leave out the recording rules.")] = False,
    alert_windows: Annotated[list[Path] | None, typer.Option(help="Sloth AlertWindows file or folder.")] = None,
    validate_only: Annotated[bool, typer.Option("--validate", help="Only validate, as sloth validate.")] = False,
    ignore_slo_duplicates: Annotated[
        bool, typer.Option(help="With --validate: accept an SLO id given twice, as sloth validate's flag.")
    ] = False,
    fs_exclude: Annotated[
        str | None, typer.Option(help="With --validate: skip files found in folders matching.")
    ] = None,
    fs_include: Annotated[str | None, typer.Option(help="With --validate: read only found files matching.")] = None,
) -> None:
    """Generate Prometheus SLO rules with Sloth's names, labels and groups; exit 2 on invalid input."""
    chosen = _period(period)
    if validate_only:
        problems = validate_inputs(
            inputs, chosen, ignore_duplicates=ignore_slo_duplicates, exclude=fs_exclude, include=fs_include
        )
        if problems:
            raise InvalidInput(problems)
        typer.echo(f"{len(inputs)} input(s) valid")
        return
    options = RuleOptions(VERSION, _labels(extra_label or []), disable_alerts, disable_recordings)
    result = generate_rules(inputs, options, period=chosen, alert_windows=alert_windows or [], output=format_)
    for note in result.skipped:
        sys.stderr.write(f"attain: skipped {note}\n")
    if out is None:
        typer.echo(result.text, nl=False)
    else:
        out.write_text(result.text, encoding="utf-8")


def _period(text: str | None) -> timedelta | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError:
        raise InvalidInput(
            [Problem("<command line>", None, None, "--period", f"not a duration: {text!r}", "e.g. 30d")]
        ) from None


def _labels(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not LABEL_NAME.match(key):
            hint = "write k=v with a Prometheus label name, e.g. team=payments"
            raise InvalidInput([Problem("<command line>", None, None, "--extra-label", f"not a label: {pair!r}", hint)])
        found[key] = value
    return found
