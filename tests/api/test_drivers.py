"""What drives failures over the API: the customer's own agreement ranked, another customer's answered 404."""

from __future__ import annotations

from api_support import FOREIGN, Api

ROWS = [
    {"timestamp": "2026-10-05T10:00:00Z", "outcome": "error", "region": "eu"},
    {"timestamp": "2026-10-05T10:01:00Z", "outcome": "error", "region": "eu"},
    {"timestamp": "2026-10-05T10:02:00Z", "outcome": "error", "region": "us"},
    {"timestamp": "2026-10-05T10:03:00Z", "outcome": "ok", "region": "us"},
    {"timestamp": "2026-09-05T10:00:00Z", "outcome": "error", "region": "us"},
]


def test_the_customer_sees_its_bad_events_by_region_against_the_month_before(api: Api) -> None:
    """October: eu 2 of 3 bad (0 in September), us 1 (1); 1% of 4 valid events allowed, so eu used 2/0.04 = 50."""
    headers = api.as_("editor") | {"Idempotency-Key": "drivers-rows"}
    stored = api.client.post(
        "/api/v1/agreements/shop/events", json={"stream": "requests", "rows": ROWS}, headers=headers
    )
    assert stored.status_code == 201, stored.text
    answer = api.client.get("/api/v1/agreements/shop/drivers?period=2026-10", headers=api.as_("customer"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["period"], body["previous"]) == ("2026-10", "2026-09")
    requests = next(o for o in body["objectives"] if o["unit"] == "events")
    assert (requests["bad"], requests["valid"], requests["previous"], requests["allowed"]) == (3, 4, 1, "0.04")
    region = next(d for d in requests["dimensions"] if d["dimension"] == "region")
    eu, us = region["drivers"]
    assert (eu["value"], eu["bad"], eu["previous"], eu["change"], eu["budgetShare"]) == ("eu", 2, 0, 2, "50")
    assert (us["value"], us["bad"], us["previous"], us["change"], us["shareChange"]) == (
        "us",
        1,
        1,
        0,
        "-0.6666666666666666666666666667",
    )


def test_another_customers_agreement_is_not_found(api: Api) -> None:
    """The customer's token gets 404 for the other customer's agreement, as for one that does not exist."""
    answer = api.client.get(f"/api/v1/agreements/{FOREIGN}/drivers?period=2026-10", headers=api.as_("customer"))
    assert answer.status_code == 404


def test_a_period_that_is_no_label_is_refused(api: Api) -> None:
    """period=2026-13 is refused with 422."""
    answer = api.client.get("/api/v1/agreements/shop/drivers?period=2026-13", headers=api.as_("viewer"))
    assert answer.status_code == 422
