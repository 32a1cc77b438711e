"""The dependencies API routes and dashboard pages share: the runtime, the policy check, the agreement in scope.

Who the caller is differs by edge: the API reads `Authorization: Bearer attain_...` only
(`attain.api.deps`); dashboard pages also read the token from the `attain_token` cookie set by
the login form (`attain.web.deps`). The API never reads the cookie, so a page can never be made
to write through the API with the browser's cookie. What both do with a caller is here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from attain.actor import act_as
from attain.ports import AgreementVersion
from attain.services.policy import Action, allows
from attain.services.runtime import Runtime
from attain.services.tokens import Principal


async def get_runtime(request: Request) -> Runtime:
    """The server's shared parts."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def bearer(request: Request) -> str | None:
    """The secret of the request's `Authorization: Bearer ...` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class Requirement:
    """A dependency that lets a caller through only if its role holds `action`; 403 otherwise."""

    def __init__(self, action: Action, source: Callable[..., Awaitable[Principal]]) -> None:
        self.action = action
        self.__signature__ = _signature(source)
        self._source = source

    async def __call__(self, principal: Principal) -> Principal:
        """Check the caller's role, and record the caller as the author of the request's changes."""
        if not allows(principal.role, self.action):
            raise HTTPException(403, f"a {principal.role.value} token may not {self.action.value}")
        act_as(actor_of(principal))
        return principal


def actor_of(principal: Principal) -> str:
    """How the audit trail names a caller: `token:7`, or `token:7@Acme` for a customer's token."""
    party = f"@{principal.party}" if principal.party else ""
    return f"token:{principal.token_id}{party}"


def _signature(source: Callable[..., Awaitable[Principal]]) -> object:
    import inspect  # noqa: PLC0415 - only to build the dependency's signature

    parameter = inspect.Parameter(
        "principal", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Annotated[Principal, Depends(source)]
    )
    return inspect.Signature([parameter], return_annotation=Principal)


def customer_of(runtime: Runtime, version: AgreementVersion) -> str:
    """The customer party named in a stored version."""
    return runtime.customer(version)


def visible(runtime: Runtime, principal: Principal, name: str, request: Request | None = None) -> AgreementVersion:
    """The latest version of agreement `name` if the caller may see it; 404 when unknown or foreign.

    Reuses the data's generation that the API's caller dependency kept on `request.state.generation`.
    """
    generation = getattr(request.state, "generation", None) if request is not None else None
    if generation is None:
        generation = runtime.access.generation()
    version = runtime.latest(name, generation)
    if version is None or not principal.sees(customer_of(runtime, version)):
        raise HTTPException(404, f"no agreement named {name!r}")
    return version


def public() -> None:
    """The policy of a route anyone may call (health, the login page): declared, never implied."""


Public = Depends(public)
