"""The API's dependencies: the caller from its bearer token, `require(Action)`, the agreement in scope.

The API authenticates with `Authorization: Bearer attain_...` only, never with the dashboard's
cookie; the policy check and the scope rule are shared with the dashboard (`attain.http.deps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from attain.engine.negotiation import Caller, Side
from attain.http.deps import Requirement, RuntimeDep, actor_of, bearer, visible
from attain.http.params import AgreementName
from attain.ports import AgreementVersion
from attain.services.policy import Action
from attain.services.tokens import Principal, Role

API_PREFIX = "/api/v1"
"""Where the API lives; each router's prefix starts with it, so route templates are full paths."""


UNAUTHENTICATED = "a valid API token is required: send Authorization: Bearer attain_..."


async def api_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """The caller of an API route, from its bearer token; 401 when missing, unknown, revoked or expired."""
    secret = bearer(request)
    generation = getattr(request.state, "generation", None)  # read by `attain.api.authenticate` for this request
    if generation is None:
        generation = runtime.access.generation()
        request.state.generation = generation
    principal = None if secret is None else runtime.principal(secret, generation)
    if principal is None:
        raise HTTPException(401, UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(action: Action) -> Requirement:
    """The dependency for an API route that needs `action`."""
    return Requirement(action, api_principal)


Reader = Annotated[Principal, Depends(require(Action.READ))]
Operator = Annotated[Principal, Depends(require(Action.OPERATE))]
AgreementWriter = Annotated[Principal, Depends(require(Action.WRITE_AGREEMENTS))]
DataWriter = Annotated[Principal, Depends(require(Action.WRITE_DATA))]
Admin = Annotated[Principal, Depends(require(Action.ADMIN))]
Negotiator = Annotated[Principal, Depends(require(Action.NEGOTIATE))]


async def readable_agreement(
    name: AgreementName, principal: Reader, runtime: RuntimeDep, request: Request
) -> AgreementVersion:
    """The agreement a reader asks for, in its scope."""
    return visible(runtime, principal, name, request)


ReadableAgreement = Annotated[AgreementVersion, Depends(readable_agreement)]


@dataclass(frozen=True)
class Reading:
    """The caller of a read route whose answer depends on who asks, and the agreement it concerns, in its scope."""

    principal: Principal
    version: AgreementVersion


async def reading_agreement(name: AgreementName, principal: Reader, runtime: RuntimeDep, request: Request) -> Reading:
    """The agreement a reader asks for, in its scope, with the reader (a customer sees only its own part)."""
    return Reading(principal, visible(runtime, principal, name, request))


ReadingAgreement = Annotated[Reading, Depends(reading_agreement)]


@dataclass(frozen=True)
class Negotiation:
    """The caller of a proposal route and the agreement it concerns, in its scope."""

    principal: Principal
    version: AgreementVersion


async def negotiable_agreement(
    name: AgreementName, principal: Negotiator, runtime: RuntimeDep, request: Request
) -> Negotiation:
    """The agreement whose changes the caller proposes or decides, in its scope (404 otherwise)."""
    return Negotiation(principal, visible(runtime, principal, name, request))


NegotiableAgreement = Annotated[Negotiation, Depends(negotiable_agreement)]


def party_caller(negotiation: Negotiation, on_behalf: str | None) -> Caller:
    """Who a negotiation route acts for: a customer token for its customer, other tokens for the provider.

    An admin token may act for the customer with `on_behalf` (how the customer decided), which the
    step and the audit trail keep; any other token asking to is refused (403).
    """
    principal = negotiation.principal
    actor = actor_of(principal)
    if on_behalf is not None:
        if principal.role is not Role.ADMIN:
            raise HTTPException(403, "only an admin token may act on behalf of the customer")
        return Caller(Side.CUSTOMER, f"{actor} for the customer ({' '.join(on_behalf.split())})")
    return Caller(Side.CUSTOMER if principal.role is Role.CUSTOMER else Side.PROVIDER, actor)
