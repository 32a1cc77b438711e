"""Signing in and out, and the language switch (the pages anyone may open).

Login CSRF: the login form carries a random nonce that is also set, on `GET /login`, in a cookie
that is HttpOnly and SameSite=Strict; `POST /login` accepts the token only when the two match
and the request's `Origin` (when sent) is this server. A form posted from another site carries
no such cookie, so it cannot sign a victim in with the attacker's token. The token cookie itself
is HttpOnly and SameSite=Strict (Secure on https), and the API never reads it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from attain.http.deps import Public, RuntimeDep
from attain.services.tokens import authenticate
from attain.web.deps import TOKEN_COOKIE
from attain.web.language import LANG_COOKIE
from attain.web.render import page, words_for

router = APIRouter(include_in_schema=False)

NONCE_COOKIE = "attain_login"
"""The cookie that holds the login form's nonce."""
LANG_SECONDS = 365 * 24 * 3600
"""How long the language choice is remembered."""


def local_path(target: str | None) -> str:
    r"""`target` if it is a path on this server (`/...`, not `//host` or `/\\host`), else `/`."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return "/"


def same_origin(request: Request) -> bool:
    """Whether a form was posted from this server's own pages, by `Origin` and `Sec-Fetch-Site` when sent."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _form(request: Request, target: str, error: str | None, status: int) -> Response:
    """The login form with a fresh nonce, also set in the nonce cookie."""
    nonce = secrets.token_urlsafe(24)
    context = {"next": local_path(target), "nonce": nonce, "error": error}
    response = page(request, "login.html", context, status)
    secure = request.url.scheme == "https"
    response.set_cookie(
        NONCE_COOKIE, nonce, max_age=3600, path="/login", secure=secure, httponly=True, samesite="strict"
    )
    return response


@router.get("/login", dependencies=[Public])
def login_form(request: Request, next_: Annotated[str, Query(alias="next", max_length=2000)] = "/") -> Response:
    """The sign-in form: one field, the token."""
    return _form(request, next_, None, 200)


@router.post("/login", dependencies=[Public])
def login(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str, Form(max_length=200)],
    nonce: Annotated[str, Form(max_length=100)] = "",
    next_: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the token; on success set the token cookie and go to `next` (a local path) or the overview."""
    words = words_for(request)
    expected = request.cookies.get(NONCE_COOKIE, "")
    if not same_origin(request) or not expected or not hmac.compare_digest(expected.encode(), nonce.encode()):
        return _form(request, next_, words("login.refused"), 403)
    if authenticate(runtime.access, token.strip(), runtime.now()) is None:
        return _form(request, next_, words("login.invalid"), 401)
    response = RedirectResponse(local_path(next_), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(TOKEN_COOKIE, token.strip(), path="/", secure=secure, httponly=True, samesite="strict")
    response.delete_cookie(NONCE_COOKIE, path="/login", secure=secure, httponly=True, samesite="strict")
    return response


@router.post("/logout", dependencies=[Public])
def logout(request: Request) -> Response:
    """Clear the token cookie and show the sign-in form."""
    response = RedirectResponse("/login", status_code=303)
    if same_origin(request):
        secure = request.url.scheme == "https"
        response.delete_cookie(TOKEN_COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
    return response


@router.get("/lang/{code}", dependencies=[Public])
def switch_language(
    request: Request,
    code: Literal["en", "zh-CN"],
    next_: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> Response:
    """Remember the chosen language in a cookie and go back to `next` (a local path)."""
    response = RedirectResponse(local_path(next_), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(LANG_COOKIE, code, max_age=LANG_SECONDS, path="/", secure=secure, httponly=True, samesite="lax")
    return response
