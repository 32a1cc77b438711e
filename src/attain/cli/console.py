"""Where the CLI prints: the console on stdout, and JSON; apart from `attain.cli.output`, which loads the engine."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from attain.cli.json_text import dumps_indented

if TYPE_CHECKING:
    from rich.console import Console


def console() -> Console:
    """A console on stdout; when piped (no terminal, no COLUMNS), wide enough not to fold tables."""
    from rich.console import Console  # noqa: PLC0415 - JSON output loads no rich

    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(soft_wrap=True, highlight=False, width=wide)


def print_json(data: Any) -> None:
    """Print plain data as indented JSON on stdout (`json.dumps(data, indent=2, ensure_ascii=False, default=str)`)."""
    sys.stdout.write(dumps_indented(data) + "\n")
