"""Termination rights: what the customer was granted and until when; the customer exercises or waives one.

A customer token exercises or waives a right of its own agreement (another customer's answers
404); an admin may do so `onBehalf` of the customer. The provider's tokens may not (422, the rule
says why). Exercising a right to terminate ends the agreement after the rule's notice: from then
on its status says `terminated` and it is not evaluated past that instant.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, NegotiableAgreement, ReadableAgreement, party_caller
from attain.api.schemas.rights import RightOut, RightStepIn
from attain.engine.rights import RightState
from attain.http.deps import RuntimeDep
from attain.services.rights import open_rights, right_data, sync, take

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["rights"])

RightNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The right's number, from 1 per agreement.")]
RightStep = Annotated[Literal["exercise", "waive"], Path(description="The step to take.")]


@router.get("/{name}/rights", response_model=list[RightOut])
async def list_rights(version: ReadableAgreement, runtime: RuntimeDep) -> list[RightOut]:
    """The termination rights granted, brought up to date now (new grants recorded, expired ones lapsed)."""
    entries = await run_in_threadpool(sync, runtime.store, open_rights(runtime.engine), version.name, runtime.now())
    return [RightOut.model_validate(right_data(e)) for e in entries]


@router.post("/{name}/rights/{number}/{step}", response_model=RightOut)
def right_step(
    number: RightNumber,
    step: RightStep,
    negotiation: NegotiableAgreement,
    runtime: RuntimeDep,
    body: RightStepIn | None = None,
) -> RightOut:
    """The customer exercises (before its deadline) or waives an open right."""
    given = body or RightStepIn()
    caller = party_caller(negotiation, given.on_behalf)
    name = negotiation.version.name
    ledger = open_rights(runtime.engine)
    sync(runtime.store, ledger, name, runtime.now())
    to = RightState.EXERCISED if step == "exercise" else RightState.WAIVED
    done = take(ledger, name, number, to, caller, runtime.now(), given.note, store=runtime.store)
    return RightOut.model_validate(right_data(done))
