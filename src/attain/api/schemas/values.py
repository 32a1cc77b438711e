"""The scalar values of response bodies: instants, exact decimals, percentages and minutes as text."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

Instant = Annotated[str, Field(description="An instant, ISO 8601 in UTC.", examples=["2026-11-15T12:00:00Z"])]
Number = Annotated[str, Field(description="An exact decimal as text, without exponent.", examples=["0.9991"])]
Percent = Annotated[str, Field(description="A ratio as an exact percentage.", examples=["99.91%"])]
Minutes = Annotated[str, Field(description="A duration in minutes, exact decimal text.", examples=["90"])]
