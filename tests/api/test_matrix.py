"""The authorization matrix, generated from the OpenAPI document and the dashboard's routes.

Every operation × {admin, editor, viewer, customer A, customer B, no token, revoked, expired} ×
{own, foreign, missing agreement}: callers without a usable token get 401 (the dashboard: a redirect
to the login form), a role without the action gets 403, a foreign or missing agreement gets 404 (the
same answer, so a customer cannot tell them apart), anything else succeeds; and no answer to a
customer names the other customer's agreement. The policy table below is written out by hand: an
operation the server has and the table lacks fails the matrix, so that a new route must be given a
policy here before it ships.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute

from api_support import FOREIGN, NOW, OWN, Api
from attain.services.policy import Action
from attain.services.tokens import issue_token

policy_test: Any = importlib.import_module("api.test_policy")
"""The valid request builder of the policy test (`_request`), so that an allowed call is a real one."""

R, OP, W, D, A, N = (
    Action.READ,
    Action.OPERATE,
    Action.WRITE_AGREEMENTS,
    Action.WRITE_DATA,
    Action.ADMIN,
    Action.NEGOTIATE,
)
POLICY: dict[tuple[str, str], Action | None] = {
    ("GET", "/api/v1/agreements"): R,
    ("POST", "/api/v1/agreements"): W,
    ("GET", "/api/v1/agreements/{name}"): R,
    ("GET", "/api/v1/agreements/{name}/versions"): R,
    ("GET", "/api/v1/agreements/{name}/versions/{number}"): R,
    ("GET", "/api/v1/agreements/{name}/contract"): R,
    ("GET", "/api/v1/agreements/{name}/proposals"): R,
    ("POST", "/api/v1/agreements/{name}/proposals"): N,
    ("POST", "/api/v1/agreements/{name}/proposals/{number}/accept"): N,
    ("POST", "/api/v1/agreements/{name}/proposals/{number}/reject"): N,
    ("POST", "/api/v1/agreements/{name}/proposals/{number}/withdraw"): N,
    ("POST", "/api/v1/agreements/{name}/versions/{number}/accept"): N,
    ("POST", "/api/v1/agreements/{name}/versions/{number}/reject"): N,
    ("POST", "/api/v1/agreements/{name}/versions/{number}/withdraw"): N,
    ("GET", "/api/v1/agreements/{name}/ledger"): R,
    ("POST", "/api/v1/agreements/{name}/ledger/{period}/{step}"): N,
    ("GET", "/api/v1/agreements/{name}/reviews"): R,
    ("POST", "/api/v1/agreements/{name}/reviews"): N,
    ("GET", "/api/v1/agreements/{name}/rights"): R,
    ("POST", "/api/v1/agreements/{name}/rights/{number}/{step}"): N,
    ("GET", "/api/v1/agreements/{name}/exclusion-requests"): R,
    ("POST", "/api/v1/agreements/{name}/exclusion-requests"): N,
    ("POST", "/api/v1/agreements/{name}/exclusion-requests/{number}/{step}"): N,
    ("GET", "/api/v1/agreements/{name}/notifications"): R,
    ("POST", "/api/v1/alertmanager"): D,
    ("POST", "/api/v1/agreements/{name}/{kind}"): D,
    ("GET", "/api/v1/agreements/{name}/status"): R,
    ("GET", "/api/v1/agreements/{name}/objectives/{objective}"): R,
    ("GET", "/api/v1/agreements/{name}/alerts"): R,
    ("GET", "/api/v1/agreements/{name}/credits"): R,
    ("GET", "/api/v1/agreements/{name}/periods/{period}"): R,
    ("GET", "/api/v1/agreements/{name}/drivers"): R,
    ("GET", "/api/v1/agreements/{name}/results"): R,
    ("GET", "/api/v1/agreements/{name}/recommendations"): R,
    ("GET", "/api/v1/agreements/{name}/reports/{period}"): R,
    ("GET", "/api/v1/tokens"): A,
    ("POST", "/api/v1/tokens"): A,
    ("DELETE", "/api/v1/tokens/{token_id}"): A,
    ("GET", "/api/v1/audit"): OP,
    ("GET", "/api/v1/audit/verify"): OP,
    ("GET", "/api/v1/agreements/{name}/audit"): R,
    ("GET", "/healthz"): None,
    ("GET", "/metrics"): OP,
}
"""Each API operation's action (None: public). Written out, never read from the server: see the module docstring."""

PAGES: dict[tuple[str, str], Action | None] = {
    ("GET", "/login"): None,
    ("POST", "/login"): None,
    ("POST", "/logout"): None,
    ("GET", "/lang/{code}"): None,
    ("GET", "/"): R,
    ("GET", "/agreements/{name}"): R,
    ("GET", "/agreements/{name}/dealings"): R,
    ("GET", "/agreements/{name}/contract"): R,
    ("GET", "/agreements/{name}/reports/{period}"): R,
    ("GET", "/agreements/{name}/objectives/{objective}"): R,
}
"""Each dashboard route's action (None: public)."""

GRANTED: dict[str, set[Action]] = policy_test.GRANTED
STAFF = ("admin", "editor", "viewer")
CUSTOMERS = {"customer A": ("Example Shop", OWN, FOREIGN), "customer B": ("Example Clinic", FOREIGN, OWN)}
"""Each customer token's party, its own agreement and the other's."""
UNUSABLE = ("no token", "revoked", "expired")
PRINCIPALS = (*STAFF, *CUSTOMERS, *UNUSABLE)
MISSING = "no-such"
MARKERS = {OWN: ("Example Shop", "shop-web"), FOREIGN: ("Example Clinic", "clinic-web")}
"""What in an answer would name an agreement: its customer party and its service."""


@dataclass(frozen=True)
class Caller:
    """One principal of the matrix: its name, the policy role it acts as, and its Authorization header."""

    name: str
    role: str | None
    headers: dict[str, str]

    def agreements(self) -> dict[str, str]:
        """The agreement the caller calls own, foreign and missing."""
        if self.name in CUSTOMERS:
            _, own, foreign = CUSTOMERS[self.name]
            return {"own": own, "foreign": foreign, "missing": MISSING}
        return {"own": OWN, "foreign": FOREIGN, "missing": MISSING}


def _caller(api: Api, name: str) -> Caller:
    """The token of principal `name`, issued on `api`'s store (none for `no token`)."""
    access = api.runtime.access
    if name in STAFF:
        return Caller(name, name, api.as_(name))
    if name in CUSTOMERS:
        secret = issue_token(access, "customer", CUSTOMERS[name][0], name, NOW, None).secret
        return Caller(name, "customer", {"Authorization": f"Bearer {secret}"})
    if name == "revoked":
        issued = issue_token(access, "admin", None, "revoked", NOW, None)
        access.revoke_token(issued.stored.id, NOW)
        return Caller(name, None, {"Authorization": f"Bearer {issued.secret}"})
    if name == "expired":
        secret = issue_token(access, "admin", None, "expired", NOW - 2_000_000, NOW - 1_000_000).secret
        return Caller(name, None, {"Authorization": f"Bearer {secret}"})
    return Caller(name, None, {})


def _walk(api: Api) -> Iterator[tuple[str, APIRoute]]:
    yield from ((p, r) for p, r in policy_test._walk(api.app.routes) if isinstance(r, APIRoute))


def _operations(api: Api) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document, as (METHOD, path)."""
    document = api.client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, ops in document["paths"].items() for method in ops]


def _pages(api: Api) -> list[tuple[str, str]]:
    """Every dashboard route (the routes the OpenAPI document leaves out)."""
    return [(m, p) for p, r in _walk(api) if not r.include_in_schema for m in sorted(r.methods or ())]


def test_every_operation_is_in_the_policy_table(api: Api) -> None:
    """An operation without a row here fails loudly, naming the route (add it to POLICY or PAGES)."""
    operations, pages = set(_operations(api)), set(_pages(api))
    assert sorted(operations - POLICY.keys()) == [], "API routes missing from POLICY in tests/api/test_matrix.py"
    assert sorted(pages - PAGES.keys()) == [], "dashboard routes missing from PAGES in tests/api/test_matrix.py"
    assert sorted(POLICY.keys() - operations) == [], "POLICY names routes the server does not have"
    assert sorted(PAGES.keys() - pages) == [], "PAGES names routes the server does not have"


def test_the_table_agrees_with_the_routes(api: Api) -> None:
    """The action each route declares is the action the table gives it (a changed policy is changed twice)."""
    for path, route in _walk(api):
        [declared] = list(policy_test._policies(route.dependant))
        for method in route.methods or ():
            table = POLICY if route.include_in_schema else PAGES
            assert table[(method, path)] == declared, f"{method} {path} declares {declared}"


def _expected(caller: Caller, action: Action | None, scoped: bool, which: str, path: str) -> int | None:
    """The status the matrix requires (None: any success; the request is a valid one)."""
    if action is None:
        return None
    if caller.role is None:
        return 401
    if action not in GRANTED[caller.role]:
        return 403
    if scoped and (which == "missing" or (which == "foreign" and caller.role == "customer")):
        return 404
    if (caller.role, path) in policy_test.RULE_REFUSED:
        return 422
    return None


def _call(api: Api, caller: Caller, method: str, path: str, name: str, which: str) -> Any:
    """A valid request to the route for agreement `name` (`missing`: the own request, pointed elsewhere)."""
    role = caller.role or "admin"
    target = caller.agreements()["own"] if which == "missing" else name
    request = policy_test._request(api, method, path, target, role)
    if path == "/api/v1/tokens/{token_id}":
        request["url"] = f"/api/v1/tokens/{issue_token(api.runtime.access, 'viewer', None, 'x', NOW, None).stored.id}"
    if which == "missing":
        request["url"] = request["url"].replace(f"/agreements/{target}", f"/agreements/{MISSING}", 1)
    headers = {**request.get("headers", {}), **caller.headers}
    return api.client.request(**(request | {"headers": headers}))


def _names_foreign(caller: Caller, body: str) -> bool:
    """Whether an answer to a customer names the other customer's agreement."""
    if caller.name not in CUSTOMERS:
        return False
    foreign = CUSTOMERS[caller.name][2]
    return any(marker in body for marker in (*MARKERS[foreign], f'"{foreign}"', f"/agreements/{foreign}"))


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_api_matrix(api: Api, principal: str) -> None:
    """Each API operation on own, foreign and missing agreements answers this principal as the matrix says."""
    caller = _caller(api, principal)
    requests = 0
    for method, path in _operations(api):
        action = POLICY[(method, path)]
        scoped = "{name}" in path
        for which, name in caller.agreements().items() if scoped else [("own", OWN)]:
            response = _call(api, caller, method, path, name, which)
            requests += 1
            expected = _expected(caller, action, scoped, which, path)
            where = f"{principal} {method} {path} ({which}): {response.status_code} {response.text[:200]}"
            if expected is None:
                assert response.status_code < 300, where
            else:
                assert response.status_code == expected, where
                assert response.json()["error"]["status"] == expected, where
            if expected == 401:
                assert response.headers["www-authenticate"] == "Bearer", where
            if expected == 404:
                assert response.json()["error"]["message"] == f"no agreement named {name!r}", where
            elif method == "GET":
                assert not _names_foreign(caller, response.text), where
    assert requests >= 100


def _page_headers(caller: Caller) -> dict[str, str]:
    """The browser's view: the token in the login cookie, never in a header."""
    secret = caller.headers.get("Authorization", "").removeprefix("Bearer ")
    return {"Cookie": f"attain_token={secret}"} if secret else {}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_dashboard_matrix(api: Api, principal: str) -> None:
    """Each dashboard page on own, foreign and missing agreements: login redirect, 404 alike, never a foreign name."""
    caller = _caller(api, principal)
    for method, path in _pages(api):
        action = PAGES[(method, path)]
        if action is None or method != "GET":
            continue
        scoped = "{name}" in path
        for which, name in caller.agreements().items() if scoped else [("own", OWN)]:
            url = path.format(name=name, period="2026-10", objective="success")
            response = api.client.get(url, headers=_page_headers(caller), follow_redirects=False)
            expected = _expected(caller, action, scoped, which, path)
            where = f"{principal} {url} ({which}): {response.status_code}"
            if expected == 401:
                assert response.status_code == 303, where
                assert response.headers["location"].startswith("/login?"), where
            elif expected == 404:
                assert response.status_code == 404, where
                assert name in response.text, where
                continue
            else:
                assert expected is None, where
                assert response.status_code == 200, where
            assert not _names_foreign(caller, response.text), where
