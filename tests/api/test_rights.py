"""Termination rights through the API: the customer reads its own; another customer's answer 404."""

from __future__ import annotations

from api_support import NOW, OWN, Api
from attain.engine.instant import iso_utc
from attain.storage.right import SqlRights


def test_the_customer_reads_the_rights_granted_to_it(api: Api) -> None:
    """A right recorded as an evaluation would (granted 2026-11-01, no deadline) is listed as open."""
    SqlRights(api.runtime.engine).record([(OWN, "uptime", NOW, "terminate", ("2026-09", "2026-10"), None)], NOW)
    [right] = api.client.get(f"/api/v1/agreements/{OWN}/rights", headers=api.as_("customer")).json()
    assert (right["number"], right["objective"], right["grants"], right["grantedAt"], right["periods"]) == (
        1,
        "uptime",
        "terminate",
        iso_utc(NOW),
        ["2026-09", "2026-10"],
    )
    assert (right["exerciseBy"], right["state"]) == (None, "open")
    assert api.client.get("/api/v1/agreements/clinic/rights", headers=api.as_("customer")).status_code == 404
