"""Exclusion requests through the API: the provider asks, the customer accepts, and the time counts from then."""

from __future__ import annotations

from api_support import NOW, OWN, Api
from attain.engine.instant import iso_utc


def test_the_provider_asks_and_the_customer_accepts(api: Api) -> None:
    """An editor's maintenance request is the provider's; the editor cannot accept it, the customer can."""
    body = {"kind": "maintenance", "start": "2030-01-05T02:00:00Z", "end": "2030-01-05T04:00:00Z", "reason": "upgrade"}
    made = api.client.post(f"/api/v1/agreements/{OWN}/exclusion-requests", json=body, headers=api.as_("editor"))
    assert made.status_code == 201, made.text
    assert (made.json()["side"], made.json()["createdAt"], made.json()["state"]) == (
        "provider",
        iso_utc(NOW),
        "proposed",
    )
    url = f"/api/v1/agreements/{OWN}/exclusion-requests/1"
    own = api.client.post(f"{url}/accept", headers=api.as_("admin"))
    assert own.status_code == 422
    assert "a change of terms needs the customer's decision" in own.json()["error"]["problems"][0]["message"]
    accepted = api.client.post(f"{url}/accept", headers=api.as_("customer"))
    assert accepted.json()["state"] == "accepted"
    [listed] = api.client.get(f"/api/v1/agreements/{OWN}/exclusion-requests", headers=api.as_("viewer")).json()
    assert (listed["start"], listed["end"], listed["reason"]) == (
        "2030-01-05T02:00:00Z",
        "2030-01-05T04:00:00Z",
        "upgrade",
    )
    assert (
        api.client.get("/api/v1/agreements/clinic/exclusion-requests", headers=api.as_("customer")).status_code == 404
    )
