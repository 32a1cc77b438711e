"""Proposals through the API: the customer proposes, the provider decides, and the other way round, with audit."""

from __future__ import annotations

from api_support import FOREIGN, OWN, Api, agreement_text


def _text(target: str, effective: str) -> str:
    text = agreement_text(OWN, "Example Shop", service=f"{OWN}-web").replace("target: 99%", f"target: {target}")
    return text.replace("2026-10-01", effective)


def _propose(api: Api, role: str, target: str, effective: str) -> dict[str, object]:
    response = api.client.post(
        f"/api/v1/agreements/{OWN}/proposals",
        content=_text(target, effective),
        headers={**api.as_(role), "content-type": "application/yaml"},
        params={"note": "after the review"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_customer_proposes_and_the_provider_accepts(api: Api) -> None:
    """A customer proposal lists its changes in words; the customer cannot accept it, an editor can."""
    made = _propose(api, "customer", "99.5%", "2026-12-01")
    customer_id = next(t.id for t in api.runtime.access.tokens() if t.role == "customer")
    assert (made["number"], made["state"], made["side"], made["author"], made["terms"]) == (
        1,
        "proposed",
        "customer",
        f"token:{customer_id}@Example Shop",
        True,
    )
    assert made["changes"] == [
        "effective.from: October 1, 2026 → December 1, 2026",
        "success: target 99% → 99.5%",
        "metered: target 99% → 99.5%",
    ]
    own = api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/accept", headers=api.as_("customer"))
    assert own.status_code == 422
    assert own.json()["error"]["problems"][0]["message"] == (
        f"token:{customer_id}@Example Shop proposed this change and cannot also decide it; the other party decides"
    )
    accepted = api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/accept", headers=api.as_("editor"))
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["state"], accepted.json()["version"], accepted.json()["changes"]) == ("accepted", 2, [])
    versions = api.client.get(f"/api/v1/agreements/{OWN}/versions", headers=api.as_("customer")).json()
    assert [(v["version"], v["effectiveFrom"]) for v in versions] == [(1, "2026-10-01"), (2, "2026-12-01")]


def test_a_date_before_the_next_period_start_is_refused_with_the_earliest_date(api: Api) -> None:
    """At 2026-11-15 12:00:30 UTC, with no notice, the next month's start (2026-12-01) is the earliest date."""
    _propose(api, "editor", "99.5%", "2026-11-20")
    refused = api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/accept", headers=api.as_("customer"))
    assert refused.status_code == 422
    [problem] = refused.json()["error"]["problems"]
    assert problem["message"] == (
        "shop proposal 1 takes effect on 2026-11-20, before the notice allows: the earliest is 2026-12-01"
    )
    assert problem["hint"] == "propose it again to take effect on 2026-12-01 or later"


def test_only_an_admin_decides_on_behalf_of_the_customer(api: Api) -> None:
    """An editor's proposal: another editor may not decide for the customer; an admin may, and it is recorded."""
    _propose(api, "editor", "99.5%", "2027-01-01")
    body = {"onBehalf": "signed letter of 2026-11-14"}
    editor = api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/accept", json=body, headers=api.as_("editor"))
    assert editor.status_code == 403
    admin = api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/accept", json=body, headers=api.as_("admin"))
    assert admin.status_code == 200, admin.text
    admin_id = next(t.id for t in api.runtime.access.tokens() if t.role == "admin")
    decided = admin.json()
    assert (decided["decidedSide"], decided["decidedBy"]) == (
        "customer",
        f"token:{admin_id} for the customer (signed letter of 2026-11-14)",
    )
    trail = api.client.get(f"/api/v1/agreements/{OWN}/audit", headers=api.as_("customer")).json()
    assert [(e["action"], e["actor"]) for e in trail[1:3]] == [
        ("proposal.created", f"token:{next(t.id for t in api.runtime.access.tokens() if t.role == 'editor')}"),
        ("proposal.accepted", f"token:{admin_id} for the customer (signed letter of 2026-11-14)"),
    ]


def test_reject_needs_a_reason_and_the_other_party(api: Api) -> None:
    """The customer rejects the provider's proposal with a reason; the list shows it rejected."""
    _propose(api, "editor", "99.5%", "2027-01-01")
    url = f"/api/v1/agreements/{OWN}/proposals/1/reject"
    assert api.client.post(url, json={}, headers=api.as_("customer")).status_code == 422
    rejected = api.client.post(url, json={"reason": "we need 99.9%"}, headers=api.as_("customer"))
    assert rejected.status_code == 200, rejected.text
    listed = api.client.get(f"/api/v1/agreements/{OWN}/proposals", headers=api.as_("viewer")).json()
    assert [(p["number"], p["state"], p["reason"]) for p in listed] == [(1, "rejected", "we need 99.9%")]


def test_the_customer_accepts_version_2_by_its_number(api: Api) -> None:
    """`POST .../versions/2/accept` accepts the one open proposal offering v2; v3 is not offered; again: refused."""
    _propose(api, "editor", "99.5%", "2027-01-01")
    other = api.client.post(f"/api/v1/agreements/{FOREIGN}/versions/2/accept", headers=api.as_("customer"))
    assert other.status_code == 404
    later = api.client.post(f"/api/v1/agreements/{OWN}/versions/3/accept", headers=api.as_("customer"))
    assert later.status_code == 422
    assert (
        later.json()["error"]["problems"][0]["message"] == "shop has no proposal of version 3: v2 is the next version"
    )
    author = api.client.post(f"/api/v1/agreements/{OWN}/versions/2/accept", headers=api.as_("editor"))
    assert author.status_code == 422
    accepted = api.client.post(f"/api/v1/agreements/{OWN}/versions/2/accept", headers=api.as_("customer"))
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["number"], accepted.json()["state"], accepted.json()["version"]) == (1, "accepted", 2)
    again = api.client.post(f"/api/v1/agreements/{OWN}/versions/2/accept", headers=api.as_("customer"))
    assert again.status_code == 422
    assert again.json()["error"]["problems"][0]["message"] == "shop proposal 1 is already accepted"


def test_a_version_inside_the_notice_is_refused_naming_the_earliest_date(api: Api) -> None:
    """At 2026-11-15 the provider's v2 for 2026-11-20 is refused by the customer: the earliest is 2026-12-01."""
    _propose(api, "editor", "99.5%", "2026-11-20")
    refused = api.client.post(f"/api/v1/agreements/{OWN}/versions/2/accept", headers=api.as_("customer"))
    assert refused.status_code == 422
    [problem] = refused.json()["error"]["problems"]
    assert problem["message"] == (
        "shop proposal 1 takes effect on 2026-11-20, before the notice allows: the earliest is 2026-12-01"
    )
    listed = api.client.get(f"/api/v1/agreements/{OWN}/proposals", headers=api.as_("viewer")).json()
    assert [(p["number"], p["state"]) for p in listed] == [(1, "proposed")]


def test_two_open_proposals_of_version_2_must_be_named_by_number(api: Api) -> None:
    """Two open proposals both offer v2: the route refuses and names them; rejecting by number works."""
    _propose(api, "editor", "99.5%", "2027-01-01")
    _propose(api, "editor", "99.7%", "2027-02-01")
    url = f"/api/v1/agreements/{OWN}/versions/2/reject"
    both = api.client.post(url, json={"reason": "no"}, headers=api.as_("customer"))
    assert both.status_code == 422
    [problem] = both.json()["error"]["problems"]
    assert problem["message"] == "2 open proposals of shop offer version 2"
    assert problem["hint"] == (
        "name one by its number with --proposal: 1 (effective 2027-01-01), 2 (effective 2027-02-01)"
    )
    withdrawn = api.client.post(f"/api/v1/agreements/{OWN}/versions/2/withdraw", headers=api.as_("editor"))
    assert withdrawn.status_code == 422
    api.client.post(f"/api/v1/agreements/{OWN}/proposals/1/withdraw", headers=api.as_("editor"))
    rejected = api.client.post(url, json={"reason": "we need 99.9%"}, headers=api.as_("customer"))
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["number"], rejected.json()["state"], rejected.json()["reason"]) == (
        2,
        "rejected",
        "we need 99.9%",
    )
