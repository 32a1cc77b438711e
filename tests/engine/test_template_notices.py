"""The cloud-uptime template's `notify:` block, end to end on its sample data: conditions, routes, notices, envelopes.

Evaluated at 2027-03-01 00:00 Berlin (see test_templates_evaluated for the arithmetic): storage
missed January (97.5%), compute missed February (99.21875%); credits 25% (EUR 2,125) for January
and 10% (EUR 850) for February. January ended 28 days before, within the 35-day horizon.
"""

from __future__ import annotations

from decimal import Decimal

from tests.engine.test_templates_evaluated import AT, agreement_of, evaluated, instant

from attain.engine.notices import Channel, NoticeStatus, conditions
from attain.engine.routing import envelopes, route, transitions


def test_cloud_uptime_tells_the_customer_and_the_sla_desk_of_breaches_and_credits() -> None:
    """Two breaches and two credits, each to the customer's e-mail and the SLA desk's webhook, once."""
    shop = agreement_of("cloud-uptime")
    now = instant(AT["cloud-uptime"])
    found = conditions(shop, evaluated("cloud-uptime"), now, last_seen={})
    assert [(c.key, c.severity) for c in found] == [
        ("breach/compute-availability/2027-02", "critical"),
        ("breach/storage-availability/2027-01", "critical"),
        ("credit/2027-01", "warning"),
        ("credit/2027-02", "warning"),
    ]
    owed = {c.key: dict(c.facts) for c in found if c.key.startswith("credit/")}
    assert Decimal(owed["credit/2027-01"]["amount"]) == Decimal(2125)  # 25% of 8,500.00
    assert Decimal(owed["credit/2027-02"]["amount"]) == Decimal(850)  # 10% of 8,500.00
    assert shop.spec.notify is not None
    pairs = route(shop.spec.notify, found)
    assert [(r.name, c.key) for r, c in pairs] == [
        (receiver, c.key) for c in found for receiver in ("customer-it", "nimbus-sla-desk")
    ]
    notices, states = transitions({}, pairs, now, shop.spec.notify)
    assert [(n.status, n.sequence) for n in notices] == [(NoticeStatus.FIRING, 0)] * 8
    assert len(states) == 8
    mail = envelopes(notices[0], pairs[0][0], shop)
    assert [(e.channel, e.to, e.language, e.party) for e in mail] == [
        (Channel.EMAIL, ("it-operations@example-retail.example",), "en", "customer")
    ]
    [hook] = envelopes(notices[1], pairs[1][0], shop)
    assert (hook.channel, hook.url, hook.secret_env) == (
        Channel.WEBHOOK,
        "https://hooks.nimbus-cloud.example/sla",
        "NIMBUS_SLA_HOOK_SECRET",
    )
