"""Termination rights: what the customer was granted and until when (exercising or waiving one: `attain right`)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.api.schemas.rights import RightOut
from attain.http.deps import RuntimeDep
from attain.services.rights import open_rights, right_data, sync

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["rights"])


@router.get("/{name}/rights", response_model=list[RightOut])
async def list_rights(version: ReadableAgreement, runtime: RuntimeDep) -> list[RightOut]:
    """The termination rights granted, brought up to date now (new grants recorded, expired ones lapsed)."""
    entries = await run_in_threadpool(sync, runtime.store, open_rights(runtime.engine), version.name, runtime.now())
    return [RightOut.model_validate(right_data(e)) for e in entries]
