"""The server: the API and the dashboard in one FastAPI app over one runtime.

    create_server(settings)            # opens and migrates the configured database
    create_server(runtime=runtime)     # tests: a runtime with their own clock

The API (`attain.api.app.create_app`) knows nothing of the dashboard, and the dashboard
(`attain.web.install`) nothing of the API: both answer from the same
`attain.services.runtime.Runtime` and share the HTTP edge in `attain.http`. Only this module
imports both. `attain serve` runs the app under uvicorn; nothing here reads the environment.
"""

from __future__ import annotations

from fastapi import FastAPI

from attain.api.app import create_app
from attain.api.limits import DEFAULT_MAX_BODY_BYTES
from attain.http.request_log import RequestLog, request_logger
from attain.services.runtime import Runtime
from attain.settings import Settings
from attain.web import install as install_dashboard


def create_server(
    settings: Settings | None = None, *, runtime: Runtime | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> FastAPI:
    """The API (under /api/v1, with /healthz and /metrics) and the dashboard (/) as one ASGI application.

    The dashboard's pages share the API's error handlers and middleware (the body limit, the
    request metrics), as they did when the API installed them. Outside them all, every request
    is logged in one line (`attain.http.request_log`) at the level and in the format of the
    runtime's settings.

    Args:
        settings: Where the data is; used when no runtime is given.
        runtime: The shared parts, ready made (tests).
        max_body_bytes: The largest request body accepted (413 beyond it).

    Raises:
        ValueError: neither settings nor a runtime was given.
        InvalidInput: the settings' log level or format is not a valid one.
    """
    app = create_app(settings, runtime=runtime, max_body_bytes=max_body_bytes)
    install_dashboard(app)
    app.add_middleware(RequestLog, logger=request_logger(app.state.runtime.settings))
    return app
