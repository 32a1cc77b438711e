"""API tokens as request and response bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from attain.api.schemas.body import StrictBody
from attain.model.quantity import DateTime


class TokenIn(StrictBody):
    """A token to create."""

    role: Literal["admin", "editor", "viewer", "customer"]
    party: str | None = Field(default=None, max_length=200, description="For a customer: the customer party's name.")
    label: str = Field(default="", max_length=200)
    expires_at: DateTime | None = Field(default=None, alias="expiresAt", description="ISO 8601 instant with an offset.")


class TokenOut(StrictBody):
    """A token as stored (never its secret)."""

    id: int
    prefix: str
    role: str
    party: str | None
    label: str
    created_at: str = Field(alias="createdAt")
    expires_at: str | None = Field(alias="expiresAt")
    revoked_at: str | None = Field(alias="revokedAt")


class IssuedOut(TokenOut):
    """A new token with its secret, shown this once."""

    token: str
