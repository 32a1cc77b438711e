"""Agreements and their versions as API bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class VersionOut(StrictBody):
    """One stored version of an agreement."""

    name: str
    version: int
    digest: str
    effective_from: str = Field(alias="effectiveFrom")
    effective_until: str | None = Field(alias="effectiveUntil")
    status: str
    stored_at: str = Field(alias="storedAt")


class AgreementOut(StrictBody):
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


class AppliedOut(StrictBody):
    """What applying a document did to one agreement."""

    name: str
    version: int
    created: bool
