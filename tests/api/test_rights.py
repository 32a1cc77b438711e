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


def test_the_customer_exercises_a_right_and_the_agreement_is_terminated(api: Api) -> None:
    """The provider may not exercise; the customer does, so status says terminated; a second right cannot end it again."""
    rights = SqlRights(api.runtime.engine)
    rights.record([(OWN, "uptime", NOW, "terminate", ("2026-09", "2026-10"), None)], NOW)
    rights.record([(OWN, "success", NOW, "terminate-without-penalty", ("2026-10",), None)], NOW)
    before = api.client.get(f"/api/v1/agreements/{OWN}/status", headers=api.as_("customer")).json()
    assert (before["terminated"], before["review"]) == (None, None)
    editor = api.client.post(f"/api/v1/agreements/{OWN}/rights/1/exercise", headers=api.as_("editor"))
    assert editor.status_code == 422
    assert editor.json()["error"]["problems"][0]["message"] == (
        "shop right 1: the customer exercises or waives its rights, not the provider"
    )
    foreign = api.client.post("/api/v1/agreements/clinic/rights/1/exercise", headers=api.as_("customer"))
    assert foreign.status_code == 404
    body = {"note": "notice letter of 2026-11-15"}
    done = api.client.post(f"/api/v1/agreements/{OWN}/rights/1/exercise", json=body, headers=api.as_("customer"))
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["note"]) == ("exercised", "notice letter of 2026-11-15")
    customer_id = next(t.id for t in api.runtime.access.tokens() if t.role == "customer")
    after = api.client.get(f"/api/v1/agreements/{OWN}/status", headers=api.as_("viewer")).json()
    assert after["terminated"] == {
        "right": 1,
        "grants": "terminate",
        "exercisedAt": "2026-11-15T12:00:30Z",
        "endsAt": "2026-11-15T12:00:30Z",
        "by": f"token:{customer_id}@Example Shop",
        "note": "notice letter of 2026-11-15",
    }
    again = api.client.post(f"/api/v1/agreements/{OWN}/rights/2/exercise", headers=api.as_("customer"))
    assert again.status_code == 422
    assert again.json()["error"]["problems"][0]["message"] == (
        "shop is already terminated, ending 2026-11-15T12:00:30Z (right 1)"
    )
    waived = api.client.post(f"/api/v1/agreements/{OWN}/rights/2/waive", headers=api.as_("customer"))
    assert (waived.status_code, waived.json()["state"]) == (200, "waived")
    trail = api.client.get(f"/api/v1/agreements/{OWN}/audit", headers=api.as_("customer")).json()
    assert [e["action"] for e in trail if e["action"].startswith(("right.", "agreement."))] == [
        "right.granted",
        "right.granted",
        "right.exercised",
        "agreement.terminated",
        "right.waived",
    ]
