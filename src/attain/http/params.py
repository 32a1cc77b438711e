"""The path parameters API routes and dashboard pages share: an agreement's name, a period's label."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

AgreementName = Annotated[str, Path(min_length=1, max_length=200, description="The agreement's name.")]
PeriodLabel = Annotated[
    str, Path(max_length=20, pattern=r"^\d{4}(-(\d{2}|Q[1-4]|W\d{2}|\d{2}-\d{2}))?$", description="e.g. 2026-10")
]
CreditPeriod = Annotated[
    str,
    Path(
        max_length=60,
        pattern=r"^\d{4}(-(\d{2}|Q[1-4]|W\d{2}|\d{2}-\d{2}))?(@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)?$",
        description="A credited period: its label (e.g. 2026-10), or LABEL@START (START in ISO 8601 UTC, "
        "e.g. 2027-03-29@2027-03-28T16:00:00Z) where one label names two periods",
    ),
]
