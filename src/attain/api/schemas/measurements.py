"""Measurements pushed over HTTP: the request and what it stored."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from attain.api.schemas.body import StrictBody

MAX_PUSH_ROWS = 50_000
"""The most rows one push takes (8 MiB of body holds about this many events); send more in batches."""


class PushIn(StrictBody):
    """Rows of one kind for one stream (events, incidents, cases, announcements) or objective (counts)."""

    stream: str | None = Field(default=None, max_length=200, description="The stream the rows belong to.")
    objective: str | None = Field(
        default=None, max_length=200, description="An objective whose stream the rows belong to (required for counts)."
    )
    rows: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_PUSH_ROWS,
        description="Rows with the columns of the file formats: events `timestamp` (+ value and attributes); "
        "incidents `start`, `end`; cases `case`, `type`, `timestamp`; counts `minute`, `good`, `valid`.",
    )

    @field_validator("rows", mode="before")
    @classmethod
    def _few_enough(cls, rows: Any) -> Any:
        """Refuse an over-long list before its items are looked at (a million rows: at once, not in a minute)."""
        if isinstance(rows, list) and len(rows) > MAX_PUSH_ROWS:
            message = f"at most {MAX_PUSH_ROWS} rows per push, got {len(rows)}; send them in several batches"
            raise ValueError(message)
        return rows


class PushedOut(StrictBody):
    """What a push stored (a replay gets the same answer)."""

    batch: str
    agreement: str
    stream: str
    kind: str
    rows: int
