"""Health as a response body."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from attain.api.schemas.body import StrictBody


class HealthOut(StrictBody):
    """The server is up and its database answers."""

    status: Literal["ok"] = Field(description="Always `ok`: a failing database gives an error instead.")
