"""Money and percentages in the API's JSON: every amount with its currency, every attainment exact and as shown."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Context, Decimal

from api_support import NOW, Api, agreement_text
from attain.services.store import evaluate_period

FEES = "fees"
"""An agreement of Example Shop that charges a monthly fee of 1,234.50 USD."""
OUTAGE = {"stream": "outages", "rows": [{"start": "2026-10-10T00:00:00Z", "end": "2026-10-10T00:45:00Z"}]}
"""45 minutes down on 10 October 2026: October has 31 × 1,440 = 44,640 minutes."""


def _with_fee(api: Api) -> None:
    """Store `fees` (fee 1,234.50 USD per month) and push October's 45-minute outage to it."""
    text = agreement_text(FEES, "Example Shop", service="fees-web").replace(
        "  effective:", "  fee: {amount: '1234.50', currency: USD, per: month}\n  effective:"
    )
    editor = api.as_("editor")
    stored = api.client.post("/api/v1/agreements", content=text, headers=editor | {"content-type": "application/yaml"})
    assert stored.status_code == 201, stored.text
    pushed = api.client.post(
        f"/api/v1/agreements/{FEES}/incidents", json=OUTAGE, headers=editor | {"Idempotency-Key": "october"}
    )
    assert pushed.status_code == 201


def test_a_credit_carries_its_currency_and_the_objectives_that_triggered_it(api: Api) -> None:
    """1 − 45/44,640 = 99.899% is in the 10% tier of `uptime`: 10% of 1,234.50 USD = 123.45 USD, payable."""
    _with_fee(api)
    owed = api.client.get(f"/api/v1/agreements/{FEES}/credits", headers=api.as_("customer")).json()
    assert owed == [
        {
            "period": "2026-10",
            "share": "10%",
            "amount": "123.45",
            "payable": "123.45",
            "currency": "USD",
            "objectives": {"uptime": "10%"},
            "triggeredBy": ["uptime"],
        }
    ]


def test_a_credit_without_a_fee_has_no_currency(api: Api) -> None:
    """The shop agreement has no fee: its 10% October credit has no amount and a null currency."""
    _with_fee(api)  # the outage goes to `fees`; push one to `shop` too
    headers = api.as_("editor") | {"Idempotency-Key": "shop-october"}
    assert api.client.post("/api/v1/agreements/shop/incidents", json=OUTAGE, headers=headers).status_code == 201
    [credit] = api.client.get("/api/v1/agreements/shop/credits", headers=api.as_("viewer")).json()
    assert (credit["amount"], credit["payable"], credit["currency"], credit["triggeredBy"]) == (
        None,
        None,
        None,
        ["uptime"],
    )


def test_an_attainment_is_exact_and_shown_without_rounding_a_miss_up(api: Api) -> None:
    """44,595/44,640 = 99.8991935…% misses 99.9%: shown with 2 places, cut to 99.89%, never 99.90%."""
    _with_fee(api)
    periods = api.client.get(f"/api/v1/agreements/{FEES}/periods/2026-10", headers=api.as_("viewer")).json()
    [uptime] = [p for p in periods if p["unit"] == "minutes"]
    # The engine keeps ratios to 28 significant digits rounded toward −∞ (docs/semantics.md); the
    # same division in a context of our own, not the engine's:
    exact = Context(prec=28, rounding=ROUND_FLOOR).divide(Decimal(44_595), Decimal(44_640))
    assert Decimal(uptime["ratio"]) == exact
    assert uptime["percent"] == f"{exact.scaleb(2)}%"
    assert uptime["percent"].startswith("99.8991935483870967741935")
    assert (uptime["percentDisplay"], uptime["target"], uptime["targetPercent"]) == ("99.89%", "0.999", "99.9%")
    assert uptime["status"] == "breached"


def test_the_status_keys_of_a_period_and_a_credit_are_in_order(api: Api) -> None:
    """The status answers the new keys beside the old ones (additive), in the documented order."""
    _with_fee(api)
    status = api.client.get(f"/api/v1/agreements/{FEES}/status", headers=api.as_("viewer")).json()
    period = status["objectives"][0]["periods"][0]
    assert list(period) == [
        "period", "start", "end", "measuredFrom", "measuredUntil", "closed", "partial", "status", "version",
        "unit", "good", "valid", "ratio", "percent", "percentDisplay", "target", "targetPercent", "statistic",
        "budget", "detail", "gaps",
    ]  # fmt: skip
    assert list(status["credits"][0]) == [
        "period", "share", "amount", "payable", "currency", "objectives", "triggeredBy",
    ]  # fmt: skip


def test_a_stored_result_keeps_the_target_and_the_shown_percentage(api: Api) -> None:
    """A result stored for October (`attain evaluate --period`) answers the same target and shown percentage."""
    _with_fee(api)
    evaluate_period(api.runtime.store, FEES, "2026-10", NOW)
    results = api.client.get(f"/api/v1/agreements/{FEES}/results", headers=api.as_("viewer")).json()
    [uptime] = [r for r in results if r["objective"] == "uptime"]
    # 44,595/44,640 against 99.9%, as above: cut to two places.
    assert (uptime["percentDisplay"], uptime["target"], uptime["targetPercent"]) == ("99.89%", "0.999", "99.9%")
