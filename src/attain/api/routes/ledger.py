"""The credit ledger: what closed periods owe, and its claim and settlement by the two parties.

`GET` brings the ledger up to date (new entries for newly closed periods, expiry of unclaimed
ones) and lists it. A customer token claims a credit of its own agreement; an editor or admin
token approves, rejects (with a reason) or issues it; an admin may claim `onBehalf` of the customer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, NegotiableAgreement, ReadableAgreement, party_caller
from attain.api.schemas.ledger import CreditEntryOut, CreditStepIn
from attain.engine.claims import Step
from attain.http.deps import RuntimeDep
from attain.http.params import CreditPeriod
from attain.services.credits import entry_data, sync, take
from attain.storage.credit import CreditEntry, SqlCredits

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["credits"])

StepName = Annotated[Literal["claim", "approve", "reject", "issue"], Path(description="The step to take.")]


def _out(entry: CreditEntry) -> CreditEntryOut:
    return CreditEntryOut.model_validate(entry_data(entry))


@router.get("/{name}/ledger", response_model=list[CreditEntryOut])
async def credit_ledger(version: ReadableAgreement, runtime: RuntimeDep) -> list[CreditEntryOut]:
    """The credits the agreement's closed periods owe, brought up to date now, by period."""
    entries = await run_in_threadpool(sync, runtime.store, SqlCredits(runtime.engine), version.name, runtime.now())
    return [_out(e) for e in entries]


@router.post("/{name}/ledger/{period}/{step}", response_model=CreditEntryOut)
def credit_step(
    period: CreditPeriod,
    step: StepName,
    negotiation: NegotiableAgreement,
    runtime: RuntimeDep,
    body: CreditStepIn | None = None,
) -> CreditEntryOut:
    """Take a step on a credit: the customer claims; the provider approves, rejects or issues."""
    given = body or CreditStepIn()
    caller = party_caller(negotiation, given.on_behalf)
    ledger = SqlCredits(runtime.engine)
    moved = take(
        ledger,
        negotiation.version.name,
        period,
        Step(step),
        caller,
        runtime.now(),
        reason=given.reason,
        reference=given.reference,
    )
    return _out(moved)
