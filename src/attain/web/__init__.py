"""The dashboard: server-rendered pages over the server's runtime, with assets shipped in the package.

    install(app)    # adds the pages (not in the OpenAPI schema) and mounts /static

Pages: `/` (overview), `/agreements/{name}` (an agreement), its contract and reports as
downloads, `/login`, `/logout` and `/lang/{code}`. See docs/dashboard.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from attain.web import pages, session
from attain.web.deps import LoginRequired, redirect_to_login

STATIC = Path(__file__).parent / "static"
"""The stylesheet, the script that draws charts, and the vendored chart libraries."""

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Add the dashboard's pages to `app` and serve its assets at /static.

    The app holds the server's runtime in `app.state.runtime` (`attain.services.runtime.Runtime`);
    a page asked for while signed out is redirected to the login form.
    """
    app.add_exception_handler(LoginRequired, redirect_to_login)
    app.include_router(session.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
