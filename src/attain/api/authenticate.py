"""The bearer token checked from the request's headers, before any byte of its body is read.

FastAPI reads and parses a route's body before it resolves the route's dependencies, so an
unauthenticated caller could make the server take (and parse) up to the body limit before the
401. This middleware stands in front of the body limit: for a route whose dependencies include
the API's caller (`attain.api.deps.api_principal`), a request without a usable token is answered
401, with `Connection: close`, without calling `receive`. Public routes (health, the OpenAPI
document, the dashboard's pages) pass untouched; the route's own dependency still decides the role.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from attain.api.deps import UNAUTHENTICATED, api_principal
from attain.api.errors import error_body
from attain.http.deps import bearer
from attain.services.runtime import Runtime


class Authenticate:
    """ASGI middleware answering 401 from the headers alone for the routes that need an API token."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute], runtime: Runtime) -> None:
        self.app = app
        self._routes = routes  # the app's list, read at the first request: the dashboard adds its pages later
        self._runtime = runtime
        self._table: list[tuple[BaseRoute, bool]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a request for a guarded route without a usable token; pass anything else on."""
        if scope["type"] == "http":
            route = self._guarded_route(scope)
            if route is not None and not self._authenticated(scope):
                scope["route"] = route  # counted under its template by the request metrics
                await _refuse(send)
                return
        await self.app(scope, receive, send)

    def _guarded_route(self, scope: Scope) -> BaseRoute | None:
        """The route the router will pick (its first full match), if it needs a token."""
        if self._table is None:
            self._table = [(r, isinstance(r, APIRoute) and _needs_token(r.dependant)) for r in _flatten(self._routes)]
        for route, guarded in self._table:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route if guarded else None
        return None

    def _authenticated(self, scope: Scope) -> bool:
        secret = bearer(Request(scope))
        if secret is None:
            return False
        generation = self._runtime.access.generation()
        scope.setdefault("state", {})["generation"] = generation  # `api_principal` reads the data's generation once
        return self._runtime.principal(secret, generation) is not None


def _flatten(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The routes in the order the router tries them, those of included routers in their place."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps an included router whole
        if included is not None:
            yield from _flatten(included.routes)
        else:
            yield route


def _needs_token(dependant: Any) -> bool:
    """Whether a route's dependency tree asks for the API's caller."""
    return dependant.call is api_principal or any(_needs_token(d) for d in dependant.dependencies)


async def _refuse(send: Send) -> None:
    body = json.dumps(error_body(401, UNAUTHENTICATED)).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", b"Bearer"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})
