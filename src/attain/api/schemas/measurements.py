"""Measurements pushed over HTTP: the request and what it stored."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from attain.api.schemas.body import StrictBody


class PushIn(StrictBody):
    """Rows of one kind for one stream (events, incidents, cases, announcements) or objective (counts)."""

    stream: str | None = Field(default=None, max_length=200, description="The stream the rows belong to.")
    objective: str | None = Field(
        default=None, max_length=200, description="An objective whose stream the rows belong to (required for counts)."
    )
    rows: list[dict[str, Any]] = Field(
        min_length=1,
        description="Rows with the columns of the file formats: events `timestamp` (+ value and attributes); "
        "incidents `start`, `end`; cases `case`, `type`, `timestamp`; counts `minute`, `good`, `valid`.",
    )


class PushedOut(StrictBody):
    """What a push stored (a replay gets the same answer)."""

    batch: str
    agreement: str
    stream: str
    kind: str
    rows: int
