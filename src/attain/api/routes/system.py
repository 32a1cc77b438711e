"""Health and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from attain.api.deps import Operator
from attain.api.schemas.errors import ERRORS
from attain.api.schemas.system import HealthOut
from attain.http.deps import Public, RuntimeDep

router = APIRouter(tags=["system"])


@router.get("/healthz", dependencies=[Public], response_model=HealthOut)
async def healthz(runtime: RuntimeDep) -> HealthOut:
    """Whether the server is up and its database answers (no token needed)."""
    runtime.access.generation()
    return HealthOut(status="ok")


@router.get("/metrics", response_class=Response, responses={**ERRORS, 200: {"content": {"text/plain": {}}}})
def metrics(_operator: Operator, runtime: RuntimeDep) -> Response:
    """Prometheus metrics: requests, latencies, evaluation time, ingestion lag, budget remaining."""
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
