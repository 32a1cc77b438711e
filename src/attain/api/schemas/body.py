"""The base of every request and response body."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictBody(BaseModel):
    """A strict body: no coercion, no unknown fields; fields by name in Python, by alias in JSON."""

    model_config = ConfigDict(strict=True, extra="forbid", validate_by_name=True, validate_by_alias=True)
