"""The `attain` command line: thin commands over `attain.services`.

`main` starts in `attain.cli.start` (a plain `status` or `summary` runs without typer); `app`, the
typer application, is imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attain.cli.start import main

if TYPE_CHECKING:
    from attain.cli.app import app

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """`app` from `attain.cli.app`, imported on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from attain.cli.app import app  # noqa: PLC0415 - typer only when the typer application is used

    return app
