"""Proposals as request and response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class DecisionIn(StrictBody):
    """A decision on a proposal: accept, reject (with a reason) or withdraw."""

    reason: str | None = Field(default=None, max_length=2000, description="Why it is rejected (required to reject).")
    on_behalf: str | None = Field(
        default=None,
        alias="onBehalf",
        max_length=120,
        description="Admin only: decide for the customer, recording how it decided ('signed letter of 2026-12-04').",
    )


class ProposalOut(StrictBody):
    """A proposal and what became of it; while open, what it changes against the version in force."""

    agreement: str
    number: int
    state: str = Field(description="proposed, accepted, rejected or withdrawn.")
    effective_from: str = Field(alias="effectiveFrom")
    side: str = Field(description="provider or customer: who proposed it.")
    author: str
    note: str
    terms: bool = Field(
        description="Whether it changes terms (the other party decides) or only operation (the provider)."
    )
    waive_notice: bool = Field(alias="waiveNotice")
    proposed_at: str = Field(alias="proposedAt")
    decided_by: str | None = Field(alias="decidedBy")
    decided_side: str | None = Field(alias="decidedSide")
    decided_at: str | None = Field(alias="decidedAt")
    reason: str | None
    version: int | None = Field(description="The version it became, when accepted.")
    digest: str = Field(description="sha256 of the proposed document.")
    changes: list[str] = Field(description="What it changes against the version in force when listed, in words.")
