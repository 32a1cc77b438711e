"""The audit trail: every change, hash-chained per agreement. Provider-wide for operators, own chain for customers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from attain.api.deps import API_PREFIX, Operator, ReadableAgreement
from attain.api.schemas.audit import AuditBreakOut, AuditEntryOut, ChainHeadOut, VerificationOut
from attain.engine.instant import iso_utc, to_us
from attain.http.deps import RuntimeDep
from attain.services.audit import verify
from attain.storage.audit import AuditEntry, SqlAudit

router = APIRouter(prefix=API_PREFIX, tags=["audit"])

Since = Annotated[datetime | None, Query(description="Only entries from this instant on (ISO 8601 with an offset).")]


def _out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        chain=entry.tenant,
        position=entry.position,
        at=iso_utc(entry.at),
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        detail=dict(entry.detail),
        before=entry.before,
        after=entry.after,
        hash=entry.hash,
    )


@router.get("/audit", response_model=list[AuditEntryOut])
def audit_entries(
    _operator: Operator,
    runtime: RuntimeDep,
    since: Since = None,
    chain: Annotated[str | None, Query(description="One chain: an agreement's name, or `*`.")] = None,
) -> list[AuditEntryOut]:
    """Every audit entry (or one chain's), oldest first."""
    start = None if since is None else to_us(since)
    return [_out(e) for e in SqlAudit(runtime.engine).entries(chain, start)]


@router.get("/audit/verify", response_model=VerificationOut)
def audit_verify(_operator: Operator, runtime: RuntimeDep) -> VerificationOut:
    """Recompute every chain: the heads, and the first broken entry of each chain that does not verify."""
    checked = verify(SqlAudit(runtime.engine))
    return VerificationOut(
        ok=checked.ok,
        entries=checked.entries,
        heads={t: ChainHeadOut(position=p, hash=h) for t, (p, h) in checked.heads.items()},
        breaks=[AuditBreakOut(chain=b.tenant, position=b.position, problem=b.problem) for b in checked.breaks],
    )


@router.get("/agreements/{name}/audit", response_model=list[AuditEntryOut])
def agreement_audit(agreement: ReadableAgreement, runtime: RuntimeDep, since: Since = None) -> list[AuditEntryOut]:
    """The agreement's own chain, oldest first: a customer sees the history of its own agreements."""
    start = None if since is None else to_us(since)
    return [_out(e) for e in SqlAudit(runtime.engine).entries(agreement.name, start)]
