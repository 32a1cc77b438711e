"""The dashboard's dependencies: the viewer from the login cookie (or a bearer token), and signing in.

Pages accept the token from the `attain_token` cookie that the login form sets (HttpOnly,
SameSite=Strict) or from `Authorization: Bearer attain_...`, for scripts that fetch a page. A
page that needs a viewer and has none raises `LoginRequired`, which `redirect_to_login` answers
with a redirect to the login form.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from attain.http.deps import Requirement, RuntimeDep, bearer
from attain.services.policy import Action
from attain.services.tokens import Principal, authenticate

TOKEN_COOKIE = "attain_token"  # noqa: S105 - a cookie name, not a secret
"""The cookie the dashboard keeps the token in."""


class LoginRequired(Exception):
    """A dashboard page was asked for without a valid token: the app redirects to the login page."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


async def redirect_to_login(_request: Request, error: Exception) -> Response:
    """The exception handler for `LoginRequired`: 303 to /login, with the page to come back to."""
    assert isinstance(error, LoginRequired)
    return RedirectResponse(f"/login?{urlencode({'next': error.path})}", status_code=303)


async def page_principal(request: Request, runtime: RuntimeDep) -> Principal | None:
    """The viewer of a dashboard page, from the bearer token or the login cookie; None when signed out."""
    secret = bearer(request) or request.cookies.get(TOKEN_COOKIE)
    return None if secret is None else authenticate(runtime.access, secret, runtime.now())


async def page_login(request: Request, principal: Annotated[Principal | None, Depends(page_principal)]) -> Principal:
    """The viewer of a page that needs one; `LoginRequired` (a redirect to /login) when signed out."""
    if principal is None:
        raise LoginRequired(request.url.path)
    return principal


def require_page(action: Action) -> Requirement:
    """The dependency for a dashboard page that needs `action` (signed-out viewers go to /login)."""
    return Requirement(action, page_login)


PageReader = Annotated[Principal, Depends(require_page(Action.READ))]
