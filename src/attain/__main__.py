"""Run the CLI as `python -m attain`."""

from __future__ import annotations

from attain.cli import main

main()
