"""The dependencies routes share: the runtime, the caller, the policy check, the agreement in scope.

The API authenticates with `Authorization: Bearer attain_...` only. Dashboard pages also accept the
token from the `attain_token` cookie set by the login form (HttpOnly, SameSite=Strict); the API
does not, so a page can never be made to write through the API with the browser's cookie.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from attain.api.errors import LoginRequired
from attain.ports import AgreementVersion
from attain.services.policy import Action, allows
from attain.services.runtime import Runtime
from attain.services.tokens import Principal, authenticate

API_PREFIX = "/api/v1"
"""Where the API lives; each router's prefix starts with it, so route templates are full paths."""

TOKEN_COOKIE = "attain_token"  # noqa: S105 - a cookie name, not a secret
"""The cookie the dashboard keeps the token in."""


async def get_runtime(request: Request) -> Runtime:
    """The server's shared parts."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def api_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """The caller of an API route, from its bearer token; 401 when missing, unknown, revoked or expired."""
    secret = _bearer(request)
    generation = runtime.access.generation()
    request.state.generation = generation
    principal = None if secret is None else runtime.principal(secret, generation)
    if principal is None:
        raise HTTPException(
            401,
            "a valid API token is required: send Authorization: Bearer attain_...",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


async def page_principal(request: Request, runtime: RuntimeDep) -> Principal | None:
    """The viewer of a dashboard page, from the bearer token or the login cookie; None when signed out."""
    secret = _bearer(request) or request.cookies.get(TOKEN_COOKIE)
    return None if secret is None else authenticate(runtime.access, secret, runtime.now())


async def page_login(request: Request, principal: Annotated[Principal | None, Depends(page_principal)]) -> Principal:
    """The viewer of a page that needs one; `LoginRequired` (a redirect to /login) when signed out."""
    if principal is None:
        raise LoginRequired(request.url.path)
    return principal


class Requirement:
    """A dependency that lets a caller through only if its role holds `action`; 403 otherwise."""

    def __init__(self, action: Action, source: Callable[..., Awaitable[Principal]]) -> None:
        self.action = action
        self.__signature__ = _signature(source)
        self._source = source

    async def __call__(self, principal: Principal) -> Principal:
        """Check the caller's role."""
        if not allows(principal.role, self.action):
            raise HTTPException(403, f"a {principal.role.value} token may not {self.action.value}")
        return principal


def _signature(source: Callable[..., Awaitable[Principal]]) -> object:
    import inspect  # noqa: PLC0415 - only to build the dependency's signature

    parameter = inspect.Parameter(
        "principal", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Annotated[Principal, Depends(source)]
    )
    return inspect.Signature([parameter], return_annotation=Principal)


def require(action: Action) -> Requirement:
    """The dependency for an API route that needs `action`."""
    return Requirement(action, api_principal)


def require_page(action: Action) -> Requirement:
    """The dependency for a dashboard page that needs `action` (signed-out viewers go to /login)."""
    return Requirement(action, page_login)


PageReader = Annotated[Principal, Depends(require_page(Action.READ))]
Reader = Annotated[Principal, Depends(require(Action.READ))]
Operator = Annotated[Principal, Depends(require(Action.OPERATE))]
AgreementWriter = Annotated[Principal, Depends(require(Action.WRITE_AGREEMENTS))]
DataWriter = Annotated[Principal, Depends(require(Action.WRITE_DATA))]
Admin = Annotated[Principal, Depends(require(Action.ADMIN))]


def customer_of(runtime: Runtime, version: AgreementVersion) -> str:
    """The customer party named in a stored version."""
    return runtime.customer(version)


def visible(runtime: Runtime, principal: Principal, name: str, request: Request | None = None) -> AgreementVersion:
    """The latest version of agreement `name` if the caller may see it; 404 when unknown or foreign.

    Reuses the data's generation that `api_principal` kept on `request.state.generation`.
    """
    generation = getattr(request.state, "generation", None) if request is not None else None
    if generation is None:
        generation = runtime.access.generation()
    version = runtime.latest(name, generation)
    if version is None or not principal.sees(customer_of(runtime, version)):
        raise HTTPException(404, f"no agreement named {name!r}")
    return version


AgreementName = Annotated[str, Path(min_length=1, max_length=200, description="The agreement's name.")]


async def readable_agreement(
    name: AgreementName, principal: Reader, runtime: RuntimeDep, request: Request
) -> AgreementVersion:
    """The agreement a reader asks for, in its scope."""
    return visible(runtime, principal, name, request)


ReadableAgreement = Annotated[AgreementVersion, Depends(readable_agreement)]


def public() -> None:
    """The policy of a route anyone may call (health, the login page): declared, never implied."""


Public = Depends(public)
