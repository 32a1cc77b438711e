"""Stored objects as API bodies."""

from __future__ import annotations

from attain.api.schemas.agreements import AgreementDocumentOut, AgreementOut, VersionOut
from attain.api.schemas.tokens import TokenOut
from attain.engine.instant import iso_utc
from attain.ports import AgreementVersion
from attain.services.runtime import Runtime
from attain.storage.access import StoredToken


def iso(instant: int | None) -> str | None:
    """An instant (µs) as ISO 8601 UTC text, or None."""
    return None if instant is None else iso_utc(instant)


def version_out(version: AgreementVersion) -> VersionOut:
    """A stored version's summary."""
    return VersionOut(
        name=version.name,
        version=version.version,
        digest=version.digest,
        effective_from=version.effective_from.isoformat(),
        effective_until=None if version.effective_until is None else version.effective_until.isoformat(),
        status=version.status,
        stored_at=iso(version.stored_at) or "",
    )


def agreement_out(runtime: Runtime, version: AgreementVersion) -> AgreementOut:
    """An agreement's summary from its stored version."""
    agreement = runtime.agreement(version)
    spec = agreement.spec
    return AgreementOut(
        name=version.name,
        title=spec.title,
        version=version.version,
        status=version.status,
        effective_from=version.effective_from.isoformat(),
        provider=spec.parties.provider.name,
        customer=spec.parties.customer.name,
        services=[s.name for s in spec.services],
        objectives=[o.name for o in agreement.objectives],
    )


def agreement_document_out(runtime: Runtime, version: AgreementVersion) -> AgreementDocumentOut:
    """An agreement's summary and its canonical document."""
    summary = agreement_out(runtime, version)
    return AgreementDocumentOut(**summary.model_dump(), document=version.document)


def token_out(token: StoredToken) -> TokenOut:
    """A stored token, without its secret."""
    return TokenOut(
        id=token.id,
        prefix=token.prefix,
        role=token.role,
        party=token.party,
        label=token.label,
        created_at=iso(token.created_at) or "",
        expires_at=iso(token.expires_at),
        revoked_at=iso(token.revoked_at),
    )
