"""The credit ledger through the API: the customer claims its own credit, the provider approves and issues it."""

from __future__ import annotations

from decimal import Decimal

from api_support import NOW, OWN, Api
from attain.engine.claims import CreditState
from attain.engine.instant import iso_utc
from attain.storage.credit import CreditEntry, SqlCredits


def _owe(api: Api, name: str = OWN) -> None:
    """October 2026 owes 10% of EUR 1,000 = EUR 100.00 (recorded as an evaluation would)."""
    entry = CreditEntry(
        name, "2026-10", 1, Decimal("0.10"), Decimal("100.00"), "EUR", ("uptime",), CreditState.OWED, NOW, None
    )
    SqlCredits(api.runtime.engine).record([entry], NOW)


def test_claim_approve_issue(api: Api) -> None:
    """Each step by the party it belongs to; the customer cannot approve; the list shows the end state."""
    _owe(api)
    base = f"/api/v1/agreements/{OWN}/ledger/2026-10"
    claimed = api.client.post(f"{base}/claim", headers=api.as_("customer"))
    assert claimed.status_code == 200, claimed.text
    customer_id = next(t.id for t in api.runtime.access.tokens() if t.role == "customer")
    assert (claimed.json()["state"], claimed.json()["claimedBy"], claimed.json()["claimedAt"]) == (
        "claimed",
        f"token:{customer_id}@Example Shop",
        iso_utc(NOW),
    )
    own = api.client.post(f"{base}/approve", headers=api.as_("customer"))
    assert own.status_code == 422
    assert own.json()["error"]["problems"][0]["message"] == (
        "shop 2026-10: the provider may approve a credit, not the customer"
    )
    assert api.client.post(f"{base}/approve", headers=api.as_("editor")).status_code == 200
    issued = api.client.post(f"{base}/issue", json={"reference": "CN-118"}, headers=api.as_("editor"))
    assert (issued.json()["state"], issued.json()["reference"]) == ("issued", "CN-118")
    [listed] = api.client.get(f"/api/v1/agreements/{OWN}/ledger", headers=api.as_("customer")).json()
    assert (listed["period"], listed["amount"], listed["currency"], listed["state"]) == (
        "2026-10",
        "100.00",
        "EUR",
        "issued",
    )


def test_viewers_read_and_foreign_customers_see_nothing(api: Api) -> None:
    """A viewer may list but not claim; a customer gets 404 for another customer's ledger."""
    _owe(api, "clinic")
    assert api.client.get("/api/v1/agreements/clinic/ledger", headers=api.as_("viewer")).status_code == 200
    claim = api.client.post("/api/v1/agreements/clinic/ledger/2026-10/claim", headers=api.as_("viewer"))
    assert claim.status_code == 403
    assert api.client.get("/api/v1/agreements/clinic/ledger", headers=api.as_("customer")).status_code == 404
    foreign = api.client.post("/api/v1/agreements/clinic/ledger/2026-10/claim", headers=api.as_("customer"))
    assert foreign.status_code == 404
