"""Exclusion requests as request and response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody
from attain.model.quantity import DateTime


class ExclusionRequestIn(StrictBody):
    """Time to exclude: the kind (one the agreement lists), the range, the objectives, why, and the evidence."""

    kind: str = Field(max_length=32, description="maintenance, emergency-maintenance, force-majeure, third-party …")
    start: DateTime = Field(description="The first instant excluded, ISO 8601 with an offset.")
    end: DateTime = Field(description="The instant the exclusion ends.")
    objectives: list[str] = Field(default_factory=list, max_length=100, description="Objectives; empty: all.")
    reason: str = Field(max_length=2000, description="What happened or will happen.")
    evidence: str = Field(default="", max_length=2000, description="A ticket, a notice, a link.")


class ExclusionDecisionIn(StrictBody):
    """A decision on an exclusion request: a note (required to reject); an admin may act for the customer."""

    note: str | None = Field(default=None, max_length=2000)
    on_behalf: str | None = Field(default=None, alias="onBehalf", max_length=120)


class ExclusionRequestOut(StrictBody):
    """An exclusion request and what became of it."""

    agreement: str
    number: int
    kind: str
    start: str
    end: str
    objectives: list[str]
    reason: str
    evidence: str
    side: str = Field(description="provider or customer: who asked.")
    author: str
    created_at: str = Field(alias="createdAt", description="The server's clock when asked: notice counts from here.")
    state: str = Field(description="proposed, accepted, rejected or withdrawn.")
    decided_by: str | None = Field(alias="decidedBy")
    decided_at: str | None = Field(alias="decidedAt")
    note: str | None
