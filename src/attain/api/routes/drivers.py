"""What drives failures: an agreement's attribute values ranked by the budget they consumed in a period."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.api.schemas.drivers import DriversOut
from attain.http.deps import RuntimeDep
from attain.reports.drivers import drivers_data
from attain.services.drivers import drivers

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["drivers"])

Period = Annotated[
    str,
    Query(max_length=20, pattern=r"^\d{4}(-(\d{2}|Q[1-4]|W\d{2}|\d{2}-\d{2}))?$", description="e.g. 2026-10"),
]


@router.get("/{name}/drivers", response_model=DriversOut)
async def get_drivers(
    version: ReadableAgreement,
    runtime: RuntimeDep,
    period: Period,
    objective: Annotated[str | None, Query(max_length=200, description="Only this objective.")] = None,
    top: Annotated[int, Query(ge=1, le=100, description="Values shown per attribute before the rest.")] = 5,
) -> DriversOut:
    """Per objective, each attribute's values ranked by the bad events, downtime or breached cases they caused."""
    report = await run_in_threadpool(drivers, runtime.store, version.name, period, runtime.now(), objective, top)
    return DriversOut.model_validate(drivers_data(report))
