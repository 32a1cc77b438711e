"""The one error shape every failure has, and the error responses every route may give."""

from __future__ import annotations

from typing import Any

from attain.api.schemas.body import StrictBody


class ProblemOut(StrictBody):
    """One thing wrong with an input: where, what, and what would be valid."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str


class ErrorDetail(StrictBody):
    """The error: HTTP status, a stable code, a sentence, and the problems behind it."""

    status: int
    code: str
    message: str
    problems: list[ProblemOut]


class ErrorOut(StrictBody):
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
