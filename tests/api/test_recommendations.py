"""GET /agreements/{name}/recommendations: realistic targets from the stored months, in the caller's scope."""

from __future__ import annotations

from api_support import FOREIGN, OWN, Api

EVENTS = "/api/v1/agreements/shop/events"


def test_recommendations_from_a_closed_month(api: Api) -> None:
    """98 good of 100 in October: met share 0 at 99%, 1 at 98% (recommended), Wilson interval [0.9300, 0.9945]."""
    rows = [{"timestamp": f"2026-10-05T10:00:{i:02d}Z", "outcome": "error" if i < 2 else "ok"} for i in range(50)] + [
        {"timestamp": f"2026-10-05T10:01:{i:02d}Z", "outcome": "ok"} for i in range(50)
    ]
    pushed = api.client.post(
        EVENTS, json={"stream": "requests", "rows": rows}, headers=api.as_("editor") | {"Idempotency-Key": "rec-1"}
    )
    assert pushed.status_code == 201, pushed.text
    response = api.client.get(f"/api/v1/agreements/{OWN}/recommendations", headers=api.as_("customer"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["agreement"] == OWN
    [success] = [o for o in data["objectives"] if o["objective"] == "success"]
    [october] = success["periods"]
    assert (october["period"], october["good"], october["valid"], october["attainment"]) == (
        "2026-10",
        "98",
        "100",
        "0.98",
    )
    assert october["met"] is False
    assert october["lowVolume"] is True  # 100 events allow 1 bad one at 99%
    low, high = (round(float(x), 4) for x in october["interval"])
    assert (low, high) == (0.93, 0.9945)
    shares = {c["target"]: c["shareMet"] for c in success["candidates"]}
    assert shares == {"0.95": "1", "0.98": "1", "0.99": "0", "0.995": "0", "0.999": "0"}
    assert success["recommended"] == "0.98"
    assert success["tooStrict"] is True


def test_a_customer_never_sees_another_customers_recommendations(api: Api) -> None:
    """The foreign agreement answers 404 to the customer, as an unknown one does; a viewer reads both."""
    foreign = api.client.get(f"/api/v1/agreements/{FOREIGN}/recommendations", headers=api.as_("customer"))
    assert foreign.status_code == 404
    assert api.client.get(f"/api/v1/agreements/{FOREIGN}/recommendations", headers=api.as_("viewer")).status_code == 200


def test_an_unknown_objective_is_a_located_problem(api: Api) -> None:
    """?objective=nope answers 422 naming the objectives there are."""
    response = api.client.get(f"/api/v1/agreements/{OWN}/recommendations?objective=nope", headers=api.as_("viewer"))
    assert response.status_code == 422
    assert "success" in response.text
