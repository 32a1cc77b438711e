"""The API's request and response bodies (pydantic, strict), as the OpenAPI document shows them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from attain.model.quantity import DateTime


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", validate_by_name=True, validate_by_alias=True)


class ProblemOut(_Strict):
    """One thing wrong with an input: where, what, and what would be valid."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str


class ErrorDetail(_Strict):
    """The error: HTTP status, a stable code, a sentence, and the problems behind it."""

    status: int
    code: str
    message: str
    problems: list[ProblemOut]


class ErrorOut(_Strict):
    """Every failure's body."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (401, "No valid token."),
        (403, "The token's role may not do this."),
        (404, "Unknown, or not visible to this token."),
        (413, "The body is over the limit."),
        (422, "The input cannot be used; `problems` says why."),
    )
}
"""The error responses every API route may give."""


class VersionOut(_Strict):
    """One stored version of an agreement."""

    name: str
    version: int
    digest: str
    effective_from: str = Field(alias="effectiveFrom")
    effective_until: str | None = Field(alias="effectiveUntil")
    status: str
    stored_at: str = Field(alias="storedAt")


class AgreementOut(_Strict):
    """An agreement's latest version, with who it is between and what it promises."""

    name: str
    title: str
    version: int
    status: str
    effective_from: str = Field(alias="effectiveFrom")
    provider: str
    customer: str
    services: list[str]
    objectives: list[str]


class AgreementDocumentOut(AgreementOut):
    """An agreement with its canonical `attain/v1` document."""

    document: str


class AppliedOut(_Strict):
    """What applying a document did to one agreement."""

    name: str
    version: int
    created: bool


class PushIn(_Strict):
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


class PushedOut(_Strict):
    """What a push stored (a replay gets the same answer)."""

    batch: str
    agreement: str
    stream: str
    kind: str
    rows: int


class TokenIn(_Strict):
    """A token to create."""

    role: Literal["admin", "editor", "viewer", "customer"]
    party: str | None = Field(default=None, max_length=200, description="For a customer: the customer party's name.")
    label: str = Field(default="", max_length=200)
    expires_at: DateTime | None = Field(default=None, alias="expiresAt", description="ISO 8601 instant with an offset.")


class TokenOut(_Strict):
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
