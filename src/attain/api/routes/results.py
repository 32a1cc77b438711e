"""Results: status now, one objective's budget and burn rates, firing alerts, credits, periods.

Status is evaluated from stored data at the start of the current minute and cached until the
minute turns or new data or a new version is stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.api.views import iso
from attain.formats.results import evaluation_data, period_data
from attain.http.deps import RuntimeDep
from attain.http.params import PeriodLabel
from attain.services.store import evaluate_stored

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["results"])

ObjectiveName = Annotated[str, Path(max_length=200, description="The objective's name.")]


@router.get(
    "/{name}/status",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def get_status(version: ReadableAgreement, runtime: RuntimeDep, request: Request) -> Response:
    """Every objective's periods (attainment, budget), burn rate, alerts; credits and termination rights."""
    generation = request.state.generation
    cached = runtime.fresh_status(version.name, generation)
    if cached is None:
        cached = await run_in_threadpool(runtime.cached_status, version.name, generation)
    return Response(cached.json(), media_type="application/json")


@router.get("/{name}/objectives/{objective}")
def get_objective(version: ReadableAgreement, objective: ObjectiveName, runtime: RuntimeDep) -> dict[str, Any]:
    """One objective's current state: its periods with budgets, burn rate, time to exhaustion, alerts."""
    data = evaluation_data(runtime.status(version.name).evaluation)
    found: dict[str, Any] | None = next((o for o in data["objectives"] if o["objective"] == objective), None)
    if found is None:
        raise HTTPException(404, f"agreement {version.name!r} has no objective {objective!r}")
    return found


@router.get("/{name}/alerts")
def get_alerts(version: ReadableAgreement, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The burn-rate alerts firing now, per objective."""
    data = evaluation_data(runtime.status(version.name).evaluation)
    return [
        {"objective": o["objective"]} | alert for o in data["objectives"] for alert in o["alerts"] if alert["firing"]
    ]


@router.get("/{name}/credits")
def get_credits(version: ReadableAgreement, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The service credits of each period evaluated so far (a share of the fee, and the amount when known)."""
    owed: list[dict[str, Any]] = evaluation_data(runtime.status(version.name).evaluation)["credits"]
    return owed


@router.get("/{name}/periods/{period}")
def get_period(
    version: ReadableAgreement, period: PeriodLabel, runtime: RuntimeDep, request: Request
) -> list[dict[str, Any]]:
    """Each objective's result for one calendar period (closed or still open), judged by the version in force."""
    memo = runtime.memo_view(request.state.generation)
    evaluation = evaluate_stored(runtime.store, version.name, runtime.now(), memo=memo).evaluation
    found = [period_data(p) for o in evaluation.objectives for p in o.periods if p.period == period]
    if not found:
        raise HTTPException(404, f"agreement {version.name!r} has no evaluated period {period!r}")
    return found


@router.get("/{name}/results")
def get_results(version: ReadableAgreement, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The stored results of closed periods (`attain evaluate --period`), oldest first."""
    return [
        {"objective": r.objective, "period": r.period, "version": r.version, "evaluatedAt": iso(r.evaluated_at)}
        | dict(r.data)
        for r in runtime.store.results(version.name)
    ]
