"""`create_app`: the API under /api/v1, health and metrics, assembled.

    create_app(settings)            # opens and migrates the configured database
    create_app(runtime=runtime)     # tests: a runtime with their own clock

The API knows nothing of the dashboard: `attain.server.create_server` adds it to this app.
Nothing here reads the environment: `attain serve` passes the settings.
"""

from __future__ import annotations

from fastapi import FastAPI

from attain import __version__
from attain.api import errors
from attain.api.authenticate import Authenticate
from attain.api.deps import API_PREFIX
from attain.api.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit
from attain.api.request_metrics import RequestMetrics
from attain.api.routes import (
    agreements,
    alertmanager,
    audit,
    drivers,
    exclusions,
    ledger,
    measurements,
    notifications,
    proposals,
    recommendations,
    reports,
    results,
    reviews,
    rights,
    system,
    tokens,
)
from attain.api.schemas.errors import ERRORS
from attain.services.runtime import Runtime, create_runtime
from attain.settings import Settings


def create_app(
    settings: Settings | None = None, *, runtime: Runtime | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> FastAPI:
    """The ASGI application.

    Args:
        settings: Where the data is; used when no runtime is given.
        runtime: The shared parts, ready made (tests).
        max_body_bytes: The largest request body accepted (413 beyond it).

    Raises:
        ValueError: neither settings nor a runtime was given.
    """
    if runtime is None:
        if settings is None:
            raise ValueError("create_app needs settings or a runtime")
        runtime = create_runtime(settings)
    app = FastAPI(
        title="attain",
        version=__version__,
        summary="Service level agreements: agreements, measurements, status, budgets, alerts, credits, reports.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.runtime = runtime
    errors.install(app)
    # the negotiation routers come before measurements, whose POST /{name}/{kind} would take their paths
    routers = (
        agreements,
        proposals,
        ledger,
        reviews,
        rights,
        exclusions,
        notifications,
        alertmanager,
        measurements,
        results,
        recommendations,
        reports,
        drivers,
        tokens,
        audit,
    )
    for module in routers:
        app.include_router(module.router, responses=ERRORS)
    app.include_router(system.router)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    # outside the body limit: a caller without a token is refused before any byte of its body is read
    app.add_middleware(Authenticate, routes=app.router.routes, runtime=runtime)
    app.add_middleware(RequestMetrics, metrics=runtime.metrics)
    return app
