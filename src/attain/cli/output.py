"""Printing for the CLI: rich tables for people, JSON for scripts, problems on stderr."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from attain.errors import Problem
from attain.reports.explanation import Explanation


class Output(StrEnum):
    """How a command prints its result."""

    TEXT = "text"
    JSON = "json"


def console() -> Console:
    """A console on stdout that never wraps file paths mid-way."""
    return Console(soft_wrap=True, highlight=False)


def print_json(data: Any) -> None:
    """Print plain data as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_problems(problems: list[Problem]) -> None:
    """Print each problem on its own line on stderr, in the `FILE:LINE:COLUMN: ...` form."""
    for problem in problems:
        sys.stderr.write(f"{problem}\n")


def print_explanation(explanation: Explanation) -> None:
    """Print an explanation: a summary table of objectives, then each objective in words."""
    out = console()
    out.print(
        f"[bold]{explanation.title}[/bold] ({explanation.name}, version {explanation.version}, {explanation.status})"
    )
    out.print(f"{explanation.parties}; in force {explanation.effective}")
    table = Table()
    for column in ("objective", "target", "window", "budget per period"):
        table.add_column(column)
    for item in explanation.objectives:
        table.add_row(item.name, item.target, item.window, item.budget)
    out.print(table)
    for item in explanation.objectives:
        out.print(f"[bold]{item.name}[/bold]" + (f": {item.title}" if item.title != item.name else ""))
        out.print(f"  measures  {item.measured}")
        for label, lines in (("allows", item.allows), ("credits", item.credits)):
            for number, line in enumerate(lines):
                out.print(f"  {label if number == 0 else '':<8}  {line}")
    for heading, lines in (
        ("Exclusions", explanation.exclusions),
        ("Credits", explanation.credit_policy),
        ("Termination", explanation.termination),
    ):
        if lines:
            out.print(f"[bold]{heading}[/bold]")
            for line in lines:
                out.print(f"  • {line}")
