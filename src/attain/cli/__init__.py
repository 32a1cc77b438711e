"""The `attain` command line: thin commands over `attain.services`."""

from __future__ import annotations

from attain.cli.app import app, main

__all__ = ["app", "main"]
