"""Reviews as request and response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody
from attain.model.quantity import Date


class ReviewIn(StrictBody):
    """A review the parties held."""

    held_on: Date = Field(alias="heldOn", description="The day it was held (YYYY-MM-DD), not after today.")
    participants: list[str] = Field(min_length=1, max_length=50, description="Who took part, from both parties.")
    outcome: str = Field(min_length=1, max_length=4000, description="What came of it.")
    proposal: int | None = Field(default=None, ge=1, le=2**31 - 1, description="The proposal it led to, if any.")


class ReviewOut(StrictBody):
    """A review held."""

    number: int
    held_on: str = Field(alias="heldOn")
    participants: list[str]
    outcome: str
    proposal: int | None
    recorded_by: str = Field(alias="recordedBy")
    recorded_at: str = Field(alias="recordedAt")


class ReviewsOut(StrictBody):
    """How often the agreement is reviewed, when the next review is due, and the reviews held."""

    every: str | None = Field(description="day, week, month, quarter or year; null without a review clause.")
    due: str | None = Field(description="The date the next review is due by.")
    overdue: bool | None
    reviews: list[ReviewOut]
