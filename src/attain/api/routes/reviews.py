"""Reviews: when the next is due, those held, and recording one (either party, on its own agreements)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, NegotiableAgreement, ReadableAgreement
from attain.api.schemas.reviews import ReviewIn, ReviewOut, ReviewsOut
from attain.http.deps import RuntimeDep, actor_of
from attain.services.reviews import record_review, review_data, review_state

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["reviews"])


@router.get("/{name}/reviews", response_model=ReviewsOut)
def list_reviews(version: ReadableAgreement, runtime: RuntimeDep) -> ReviewsOut:
    """How often the agreement is reviewed, when the next review is due (and whether it is overdue), those held."""
    return ReviewsOut.model_validate(review_state(runtime.store, runtime.engine, version.name, runtime.now()).as_dict())


@router.post("/{name}/reviews", status_code=201, response_model=ReviewOut)
async def create_review(body: ReviewIn, negotiation: NegotiableAgreement, runtime: RuntimeDep) -> ReviewOut:
    """Record a review the parties held: the day, who took part, the outcome, the proposal it led to."""
    kept = await run_in_threadpool(
        lambda: record_review(
            runtime.store,
            runtime.engine,
            negotiation.version.name,
            held_on=body.held_on,
            participants=body.participants,
            outcome=body.outcome,
            proposal=body.proposal,
            actor=actor_of(negotiation.principal),
            now=runtime.now(),
        )
    )
    return ReviewOut.model_validate(review_data(kept))
