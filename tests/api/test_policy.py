"""Every route has a policy, and every API route answers each role on own and foreign objects as the policy says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api_support import FOREIGN, NOW, OWN, Api, agreement_text
from attain.engine.claims import CreditState
from attain.engine.negotiation import Caller, Side, State
from attain.formats.bundle import load_bundle_text
from attain.http.deps import Requirement, public
from attain.services import exclusions, proposals
from attain.services.policy import Action
from attain.storage.credit import CreditEntry, SqlCredits
from attain.storage.exclusion_request import SqlExclusionRequests
from attain.storage.proposal import SqlProposals
from attain.storage.right import SqlRights

ROLES = ("admin", "editor", "viewer", "customer")
GRANTED = {
    "admin": set(Action),
    "editor": {Action.READ, Action.OPERATE, Action.WRITE_AGREEMENTS, Action.WRITE_DATA, Action.NEGOTIATE},
    "viewer": {Action.READ, Action.OPERATE},
    "customer": {Action.READ, Action.NEGOTIATE},
}
"""Written out here, not read from `attain.services.policy`, so that a change there must be made twice."""

QUERIES = {"/drivers": "?period=2026-10"}
"""The query a route needs beside its path (its required query parameters)."""

EVENT = {"timestamp": "2026-11-15T11:00:00Z", "outcome": "ok"}


_MONTHS = iter(range(1, 10_000))
"""Each proposal made here takes effect a month after the one before (2027-01, 2027-02, …), so none collide."""


def _proposal_text(name: str) -> str:
    """A new version of `name` with a target no earlier version had, taking effect on the next unused month's first day."""
    month = next(_MONTHS)
    customer = "Example Shop" if name == OWN else "Example Clinic"
    text = agreement_text(name, customer, service=f"{name}-web").replace(
        "target: 99%", f"target: {90 + month % 9}.{month:04d}%"
    )
    return text.replace("2026-10-01", f"{2027 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-01")


def _open_proposal(api: Api, name: str, role: str, path: str) -> int:
    """A proposal the role may decide (accept, reject) or withdraw: made by the other side or its own."""
    side = Side.CUSTOMER if role == "customer" else Side.PROVIDER
    author_side = side if path.endswith("/withdraw") else side.other
    [agreement] = load_bundle_text(_proposal_text(name), "p.yaml").agreements
    kept = SqlProposals(api.runtime.engine)
    return proposals.propose(api.runtime.store, kept, agreement, Caller(author_side, "cli:author"), NOW).number


def _only_open_version(api: Api, name: str, role: str, path: str) -> int:
    """The version number a single open proposal offers: earlier open proposals are withdrawn first."""
    kept = SqlProposals(api.runtime.engine)
    for earlier in kept.proposals(name):
        if earlier.state is State.PROPOSED:
            kept.close(earlier, State.WITHDRAWN, "cli:author", earlier.side, NOW, None)
    _open_proposal(api, name, role, path)
    return api.runtime.store.versions(name)[-1].version + 1


def _open_exclusion_request(api: Api, name: str, role: str) -> int:
    """An exclusion request in 2030 made by the other side, so that the role may accept it."""
    author = Side.PROVIDER if role == "customer" else Side.CUSTOMER
    kept = SqlExclusionRequests(api.runtime.engine)
    span = (datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, 2, tzinfo=UTC))
    made = exclusions.request(
        api.runtime.store, kept, name, kind="maintenance", span=span, objectives=[], reason="test",
        evidence="", caller=Caller(author, "cli:author"), now=NOW,
    )  # fmt: skip
    return made.number


def _credit_step(api: Api, name: str, role: str) -> str:
    """A credit entry for `name`'s 2026-10 that the role's step applies to: owed for a claim, claimed for approval."""
    customer = role == "customer"
    state = CreditState.OWED if customer else CreditState.CLAIMED
    entry = CreditEntry(name, "2026-10", 1, Decimal("0.1"), None, None, ("uptime",), state, NOW, None, "token:0@C")
    SqlCredits(api.runtime.engine).record([entry], NOW)
    return "claim" if customer else "approve"


_GRANTS = iter(range(1, 10_000))
"""Each right recorded here is granted a microsecond after the one before, so none is the same right."""


def _open_right(api: Api, name: str) -> int:
    """A new open right (renegotiate, so that exercising it ends nothing) of `name`; its number."""
    rights = SqlRights(api.runtime.engine)
    rights.record([(name, "uptime", NOW - next(_GRANTS), "renegotiate", ("2026-10",), None)], NOW)
    return rights.entries(name)[-1].number


RULE_REFUSED = {("editor", "/api/v1/agreements/{name}/rights/{number}/{step}")}
"""Routes a role's policy allows but the rules refuse (422): only the customer uses its termination rights."""


def _number(api: Api, method: str, path: str, name: str, role: str) -> int:
    """The number a route's `{number}` names: an open proposal, version, exclusion request or right the role may use."""
    del method  # every route with a number to fill takes it from its path
    if "/proposals/{number}" in path:
        return _open_proposal(api, name, role, path)
    if "/versions/{number}/" in path:
        return _only_open_version(api, name, role, path)
    if "/exclusion-requests/{number}" in path:
        return _open_exclusion_request(api, name, role)
    if path.endswith("/rights/{number}/{step}"):
        return _open_right(api, name)
    return 1


def _request(api: Api, method: str, path: str, name: str, role: str = "admin") -> dict[str, Any]:
    """A valid request to the route for agreement `name` (so an allowed call must succeed)."""
    number = _number(api, method, path, name, role)
    step = _credit_step(api, name, role) if path.endswith("/ledger/{period}/{step}") else "accept"
    step = "exercise" if path.endswith("/rights/{number}/{step}") else step
    fill = {"name": name, "objective": "uptime", "period": "2026-10", "number": str(number), "kind": "events"}
    fill["step"] = step
    token_id = api.runtime.access.tokens()[-1].id
    url = path.format(**fill, token_id=token_id) + next((q for end, q in QUERIES.items() if path.endswith(end)), "")
    request: dict[str, Any] = {"method": method, "url": url}
    if path.endswith("/{kind}"):
        request["json"] = {"stream": "requests", "rows": [EVENT]}
        request["headers"] = {"Idempotency-Key": f"policy-{name}"}
    elif path == "/api/v1/agreements" and method == "POST":
        request["content"] = agreement_text(
            name, "Example Shop" if name == OWN else "Example Clinic", service=f"{name}-web"
        )
        request["headers"] = {"content-type": "application/yaml"}
    elif path == "/api/v1/alertmanager":
        alert = {"status": "firing", "labels": {"agreement": name}, "startsAt": "2026-11-15T11:00:00Z"}
        request["json"] = {"version": "4", "alerts": [alert | {"fingerprint": "policy"}]}
    elif path == "/api/v1/tokens" and method == "POST":
        request["json"] = {"role": "viewer", "label": "made by the policy test"}
    elif path.endswith("/proposals") and method == "POST":
        request["content"] = _proposal_text(name)
        request["headers"] = {"content-type": "application/yaml"}
    elif path.endswith("/reviews") and method == "POST":
        request["json"] = {"heldOn": "2026-11-01", "participants": ["A", "B"], "outcome": "made by the policy test"}
    elif path.endswith("/exclusion-requests") and method == "POST":
        start, end = "2030-01-01T00:00:00Z", "2030-01-01T02:00:00Z"
        request["json"] = {"kind": "maintenance", "start": start, "end": end, "reason": "test"}
    elif path.endswith("/rights/{number}/{step}") and role == "admin":
        request["json"] = {"onBehalf": "notice letter"}
    elif path.endswith("/reject"):
        request["json"] = {"reason": "made by the policy test"}
    return request


def _policies(dependant: Dependant) -> Iterator[Action | None]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Requirement):
            yield dependency.call.action
        elif dependency.call is public:
            yield None
        yield from _policies(dependency)


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every route with its full path, through included routers (FastAPI keeps them nested)."""
    for route in routes:
        if hasattr(route, "original_router"):
            assert not route.include_context.dependencies, "policies are declared per route, not per router"
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + route.path, route


def _api_routes(api: Api) -> list[tuple[str, str, Action]]:
    routes = []
    for path, route in _walk(api.app.routes):
        if isinstance(route, APIRoute) and path.startswith(("/api/v1", "/metrics")):
            [action] = [a for a in _policies(route.dependant) if a is not None]
            routes.extend((method, path, action) for method in sorted(route.methods))
    return routes


FRAMEWORK_ROUTES = {"/api/v1/openapi.json", "/api/v1/docs", "/static"}
"""Routes that are not ours to guard: the OpenAPI document, its viewer, the static assets."""


def test_every_route_declares_exactly_one_policy(api: Api) -> None:
    """A route without a policy (or with two) fails this test, the dashboard's pages included."""
    checked = 0
    for path, route in _walk(api.app.routes):
        if isinstance(route, APIRoute):
            policies = list(_policies(route.dependant))
            assert len(policies) == 1, f"{path} declares {len(policies)} policies: {policies}"
            checked += 1
        else:
            assert path in FRAMEWORK_ROUTES, f"{path} is neither a guarded route nor a known framework route"
    assert checked >= 17


def test_public_routes_are_only_health_and_sign_in(api: Api) -> None:
    """Only health, login, logout and the language switch are open to anyone."""
    open_paths = {p for p, r in _walk(api.app.routes) if isinstance(r, APIRoute) and None in _policies(r.dependant)}
    assert open_paths <= {"/healthz", "/login", "/logout", "/lang/{code}"}
    assert "/healthz" in open_paths


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_own_and_foreign_objects(api: Api, role: str) -> None:
    """Allowed calls succeed, forbidden ones get 403, and a customer gets 404 for another customer's agreement."""
    routes = _api_routes(api)
    assert len(routes) >= 17
    for method, path, action in routes:
        for name in (OWN, FOREIGN):
            response = api.client.request(**_merge(_request(api, method, path, name, role), api.as_(role)))
            scoped = "{name}" in path
            if action not in GRANTED[role]:
                expected = 403
            elif role == "customer" and scoped and name == FOREIGN:
                expected = 404
            elif (role, path) in RULE_REFUSED:
                expected = 422
            else:
                assert response.status_code < 300, f"{role} {method} {path} ({name}): {response.text[:300]}"
                continue
            assert response.status_code == expected, f"{role} {method} {path} ({name}): {response.status_code}"
            assert response.json()["error"]["status"] == expected


def test_customer_lists_hold_no_foreign_rows(api: Api) -> None:
    """A customer's list of agreements holds its own agreement only; a viewer's holds both."""
    own = api.client.get("/api/v1/agreements", headers=api.as_("customer")).json()
    every = api.client.get("/api/v1/agreements", headers=api.as_("viewer")).json()
    assert [a["name"] for a in own] == [OWN]
    assert [a["name"] for a in every] == [FOREIGN, OWN]


def test_foreign_and_unknown_agreements_answer_alike(api: Api) -> None:
    """A customer cannot tell another customer's agreement from one that does not exist."""
    foreign = api.client.get(f"/api/v1/agreements/{FOREIGN}/status", headers=api.as_("customer"))
    unknown = api.client.get("/api/v1/agreements/no-such/status", headers=api.as_("customer"))
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["error"]["message"] == "no agreement named 'clinic'"
    assert unknown.json()["error"]["message"] == "no agreement named 'no-such'"


def test_no_token_a_bad_token_and_a_revoked_token_get_401(api: Api) -> None:
    """Without a usable token every API route answers 401 with a Bearer challenge."""
    revoked = api.runtime.access.tokens()[1]
    api.runtime.access.revoke_token(revoked.id, 1)
    for headers in ({}, {"Authorization": "Bearer attain_wrong"}, api.as_("editor"), {"Authorization": "Basic x"}):
        response = api.client.get("/api/v1/agreements", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def _merge(request: dict[str, Any], auth: dict[str, str]) -> dict[str, Any]:
    return request | {"headers": {**request.get("headers", {}), **auth}}
