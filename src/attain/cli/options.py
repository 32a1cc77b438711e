"""Choices shared by the commands, kept apart from `attain.cli.output` so that defining an option loads no printing."""

from __future__ import annotations

from enum import StrEnum


class Output(StrEnum):
    """How a command prints its result."""

    TEXT = "text"
    JSON = "json"
