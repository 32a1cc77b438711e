"""Results: status now, one objective's budget and burn rates, firing alerts, credits, periods.

Status is evaluated from stored data at the start of the current minute and cached until the
minute turns or new data or a new version is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.api.schemas.results import (
    CreditOut,
    FiringAlertOut,
    ObjectiveOut,
    PeriodOut,
    StatusOut,
    StoredResultOut,
)
from attain.api.views import iso
from attain.formats.results import evaluation_data, period_data
from attain.http.deps import RuntimeDep
from attain.http.params import PeriodLabel
from attain.services.store import evaluate_stored, status_data

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["results"])

ObjectiveName = Annotated[str, Path(max_length=200, description="The objective's name.")]


@router.get("/{name}/status", response_model=StatusOut)
async def get_status(version: ReadableAgreement, runtime: RuntimeDep, request: Request) -> Response:
    """Every objective's periods (attainment, budget), burn rate, alerts; credits and termination rights."""
    generation = request.state.generation
    cached = runtime.fresh_status(version.name, generation)
    if cached is None:
        cached = await run_in_threadpool(runtime.cached_status, version.name, generation)
    # The cached body is the JSON of StatusOut already; answering it as is skips a second serialisation.
    return Response(cached.json(), media_type="application/json")


@router.get("/{name}/objectives/{objective}", response_model=ObjectiveOut)
def get_objective(version: ReadableAgreement, objective: ObjectiveName, runtime: RuntimeDep) -> ObjectiveOut:
    """One objective's current state: its periods with budgets, burn rate, time to exhaustion, alerts."""
    data = status_data(runtime.status(version.name))
    objectives = data["objectives"]
    assert isinstance(objectives, list)
    found = next((o for o in objectives if o["objective"] == objective), None)
    if found is None:
        raise HTTPException(404, f"agreement {version.name!r} has no objective {objective!r}")
    return ObjectiveOut.model_validate(found)


@router.get("/{name}/alerts", response_model=list[FiringAlertOut])
def get_alerts(version: ReadableAgreement, runtime: RuntimeDep) -> list[FiringAlertOut]:
    """The burn-rate alerts firing now, per objective."""
    data = evaluation_data(runtime.status(version.name).evaluation)
    return [
        FiringAlertOut.model_validate({"objective": o["objective"]} | alert)
        for o in data["objectives"]
        for alert in o["alerts"]
        if alert["firing"]
    ]


@router.get("/{name}/credits", response_model=list[CreditOut])
def get_credits(version: ReadableAgreement, runtime: RuntimeDep) -> list[CreditOut]:
    """The service credits of each period evaluated so far (a share of the fee, and the amount when known)."""
    owed = evaluation_data(runtime.status(version.name).evaluation)["credits"]
    return [CreditOut.model_validate(credit) for credit in owed]


@router.get("/{name}/periods/{period}", response_model=list[PeriodOut])
def get_period(
    version: ReadableAgreement, period: PeriodLabel, runtime: RuntimeDep, request: Request
) -> list[PeriodOut]:
    """Each objective's result for one calendar period (closed or still open), judged by the version in force."""
    memo = runtime.memo_view(request.state.generation)
    evaluation = evaluate_stored(runtime.store, version.name, runtime.now(), memo=memo).evaluation
    found = [
        PeriodOut.model_validate(period_data(p)) for o in evaluation.objectives for p in o.periods if p.period == period
    ]
    if not found:
        raise HTTPException(404, f"agreement {version.name!r} has no evaluated period {period!r}")
    return found


@router.get("/{name}/results", response_model=list[StoredResultOut])
def get_results(version: ReadableAgreement, runtime: RuntimeDep) -> list[StoredResultOut]:
    """The stored results of closed periods (`attain evaluate --period`), oldest first."""
    return [
        StoredResultOut.model_validate(
            {"objective": r.objective, "period": r.period, "version": r.version, "evaluatedAt": iso(r.evaluated_at)}
            | dict(r.data)
        )
        for r in runtime.store.results(version.name)
    ]
