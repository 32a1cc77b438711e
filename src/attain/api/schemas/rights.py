"""Termination rights as request and response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class RightOut(StrictBody):
    """A termination right granted to the customer, and where it stands."""

    agreement: str
    number: int
    objective: str
    grants: str = Field(description="terminate, terminate-without-penalty or renegotiate.")
    granted_at: str = Field(alias="grantedAt")
    periods: list[str] = Field(description="The periods that earned it.")
    exercise_by: str | None = Field(
        alias="exerciseBy", description="The deadline (exerciseWithin after it was granted)."
    )
    state: str = Field(description="open, exercised, waived or lapsed.")
    decided_by: str | None = Field(alias="decidedBy")
    decided_at: str | None = Field(alias="decidedAt")
    note: str | None


class RightStepIn(StrictBody):
    """Exercising or waiving a right: a note, and for an admin how the customer said so."""

    note: str | None = Field(default=None, max_length=2000, description="A note kept with the step.")
    on_behalf: str | None = Field(
        default=None,
        alias="onBehalf",
        max_length=120,
        description="Admin only: act for the customer, recording how it told the provider ('notice letter of ...').",
    )
