"""Notification history: messages sent, waiting or dead-lettered about an agreement; a customer sees its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadingAgreement
from attain.api.schemas.notifications import NotificationsOut
from attain.http.deps import RuntimeDep
from attain.model.notify import PartyRole
from attain.services.notifications import DEFAULT_LIMIT, MAX_LIMIT, history
from attain.services.tokens import Role
from attain.storage.outbox import MessageStatus

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["notifications"])


@router.get("/{name}/notifications", response_model=NotificationsOut)
async def list_notifications(
    reading: ReadingAgreement,
    runtime: RuntimeDep,
    status: Annotated[MessageStatus | None, Query(description="Only messages of this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many, newest first.")] = DEFAULT_LIMIT,
) -> NotificationsOut:
    """The agreement's messages, newest first, with their delivery status; a customer sees only its receivers'."""
    party = PartyRole.CUSTOMER.value if reading.principal.role is Role.CUSTOMER else None
    found = await run_in_threadpool(
        lambda: history(runtime.store, runtime.engine, reading.version.name, limit=limit, status=status, party=party)
    )
    return NotificationsOut.model_validate(found.as_dict())
