"""The credit ledger as request and response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class CreditStepIn(StrictBody):
    """A step on a credit entry: a claim, an approval, a rejection (with a reason) or an issue (with a reference)."""

    reason: str | None = Field(default=None, max_length=2000, description="Why a claim is rejected (required then).")
    reference: str | None = Field(
        default=None, max_length=200, description="The credit note or payment it was issued as."
    )
    on_behalf: str | None = Field(
        default=None,
        alias="onBehalf",
        max_length=120,
        description="Admin only: claim for the customer, saying how it asked.",
    )


class CreditEntryOut(StrictBody):
    """A credit a closed period owes, and where it stands."""

    agreement: str
    period: str
    start: str = Field(
        description="The period's start, ISO 8601 UTC: with the label it names the period, since one label can "
        "name two (a later version that moved the window to another zone); a step names such a period "
        "`LABEL@START`."
    )
    version: int = Field(description="The version that judged the period.")
    state: str = Field(description="owed, claimed, approved, issued, rejected or expired.")
    share: str = Field(description="Share of the fee, exact decimal.")
    amount: str | None = Field(description="The amount payable, exact decimal; null without a fee for the period.")
    currency: str | None
    objectives: list[str] = Field(description="The objectives whose attainment fell in a credit tier.")
    owed_at: str = Field(alias="owedAt")
    claim_by: str | None = Field(alias="claimBy", description="The claim deadline (claimWithin after the period).")
    claimed_by: str | None = Field(alias="claimedBy")
    claimed_at: str | None = Field(alias="claimedAt")
    decided_by: str | None = Field(alias="decidedBy")
    decided_at: str | None = Field(alias="decidedAt")
    reason: str | None
    reference: str | None
    issued_at: str | None = Field(alias="issuedAt")
    uncapped: str | None = Field(
        description="The amount before creditPolicy.maxPerYear lowered it, exact decimal; null when not capped."
    )
    capped: str | None = Field(description="When and why the yearly cap lowered the amount; null when not capped.")
