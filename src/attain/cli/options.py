"""Choices and option readers shared by the commands, apart from `attain.cli.output` (which prints)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attain.errors import InvalidInput, Problem


class Output(StrEnum):
    """How a command prints its result."""

    TEXT = "text"
    JSON = "json"


class CaseFilter(StrEnum):
    """Which cases `attain status` lists under a case objective's counts."""

    WARNED = "warned"
    """Cases still running that reached a warning share of their goal (or breached it)."""
    OPEN = "open"
    """Every case whose clock has not stopped (open, paused, breached and still running)."""
    ALL = "all"
    """Every case, stopped ones too."""
    NONE = "none"
    """The counts only."""


def parse_instant(text: str | None, option: str) -> datetime | None:
    """Read an option's ISO 8601 instant, or stop with a usage error naming the option."""
    if text is None:
        return None
    from attain.model.iso import read_iso_datetime  # noqa: PLC0415 - `--help` loads no model module

    found = read_iso_datetime(text)
    if found is None or found.tzinfo is None:
        hint = "write ISO 8601 with an offset, e.g. 2027-03-01T00:00:00Z"
        raise InvalidInput([Problem("<command line>", None, None, option, f"not an instant: {text!r}", hint)])
    return found
