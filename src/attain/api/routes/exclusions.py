"""Exclusion requests: one party asks to exclude time, the other accepts or rejects it, the asker may withdraw it.

A customer token acts for its customer on its own agreements, an editor or admin token for the
provider; an admin may decide `onBehalf` of the customer. The request's time is the server's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path

from attain.api.deps import API_PREFIX, NegotiableAgreement, ReadableAgreement, party_caller
from attain.api.schemas.exclusions import ExclusionDecisionIn, ExclusionRequestIn, ExclusionRequestOut
from attain.engine.negotiation import State
from attain.http.deps import RuntimeDep
from attain.services.exclusions import decide, request, request_data
from attain.storage.exclusion_request import SqlExclusionRequests

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["exclusions"])

RequestNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The request's number, from 1 per agreement.")]
Step = Annotated[Literal["accept", "reject", "withdraw"], Path(description="The decision.")]
_STATES = {"accept": State.ACCEPTED, "reject": State.REJECTED, "withdraw": State.WITHDRAWN}


@router.get("/{name}/exclusion-requests", response_model=list[ExclusionRequestOut])
def list_requests(version: ReadableAgreement, runtime: RuntimeDep) -> list[ExclusionRequestOut]:
    """The agreement's exclusion requests, by number."""
    kept = SqlExclusionRequests(runtime.engine).requests(version.name)
    return [ExclusionRequestOut.model_validate(request_data(r)) for r in kept]


@router.post("/{name}/exclusion-requests", status_code=201, response_model=ExclusionRequestOut)
def create_request(
    body: ExclusionRequestIn, negotiation: NegotiableAgreement, runtime: RuntimeDep
) -> ExclusionRequestOut:
    """Ask to exclude a time range; it counts only once the other party accepts it."""
    made = request(
        runtime.store,
        SqlExclusionRequests(runtime.engine),
        negotiation.version.name,
        kind=body.kind,
        span=(body.start, body.end),
        objectives=body.objectives,
        reason=body.reason,
        evidence=body.evidence,
        caller=party_caller(negotiation, None),
        now=runtime.now(),
    )
    return ExclusionRequestOut.model_validate(request_data(made))


@router.post("/{name}/exclusion-requests/{number}/{step}", response_model=ExclusionRequestOut)
def decide_request(
    number: RequestNumber,
    step: Step,
    negotiation: NegotiableAgreement,
    runtime: RuntimeDep,
    body: ExclusionDecisionIn | None = None,
) -> ExclusionRequestOut:
    """Accept or reject the other party's request, or withdraw your own."""
    given = body or ExclusionDecisionIn()
    caller = party_caller(negotiation, given.on_behalf)
    kept = SqlExclusionRequests(runtime.engine)
    done = decide(
        runtime.store, kept, negotiation.version.name, number, _STATES[step], caller, runtime.now(), given.note
    )
    return ExclusionRequestOut.model_validate(request_data(done))
