"""Realistic targets from stored history: GET /agreements/{name}/recommendations (readers, in their scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.api.schemas.recommendations import RecommendationsOut
from attain.http.deps import RuntimeDep
from attain.services.recommend import DEFAULT_PERIODS, recommendations, report_data

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["results"])


@router.get("/{name}/recommendations", response_model=RecommendationsOut)
async def get_recommendations(
    version: ReadableAgreement,
    runtime: RuntimeDep,
    objective: Annotated[str | None, Query(max_length=200, description="Only this objective.")] = None,
    periods: Annotated[int, Query(ge=1, le=120, description="Past whole periods to look at.")] = DEFAULT_PERIODS,
) -> RecommendationsOut:
    """Per objective: attainment of past periods, candidate targets with the share met, credit cost and budget."""
    report = await run_in_threadpool(
        lambda: recommendations(runtime.store, version.name, runtime.now(), objective=objective, periods=periods)
    )
    return RecommendationsOut.model_validate(report_data(report))
