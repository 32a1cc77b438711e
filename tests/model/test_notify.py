"""The `notify:` block is validated with located errors: names, routes, the customer-facing rule, durations, thresholds."""

from __future__ import annotations

import pytest

from attain.errors import InvalidAgreement
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.model import Agreement

BASE = """\
apiVersion: attain/v1
kind: Agreement
metadata:
  name: shop
spec:
  title: Shop SLA
  parties:
    provider: {name: Provider Ltd}
    customer: {name: Customer Ltd, contact: sla@customer.example}
  purpose: Keeps the shop up.
  effective: {from: 2026-10-01}
  objectives:
    - name: api-availability
      indicator: {kind: ratio, events: requests, bad: {where: {status: error}}}
      target: 99%
      window: {calendar: month}
  notify:
"""
"""Line 17 is `notify:`; the block's lines follow from line 18."""

RECEIVERS = """\
    receivers:
      - name: sre-hook
        webhook: {url: https://hooks.example/sla}
      - name: customer-mail
        party: customer
        email: {}
"""
"""Lines 18-23."""


def load(notify: str) -> Agreement:
    """The agreement with this `notify:` block (indented under it)."""
    [document] = read_text(BASE + notify, "shop.yaml")
    return parse_agreement(document)


def problems(notify: str) -> list[str]:
    """The problems of the agreement with this `notify:` block, as printed lines."""
    with pytest.raises(InvalidAgreement) as caught:
        load(notify)
    return [str(p) for p in caught.value.problems]


def test_a_valid_block_loads() -> None:
    """Receivers of both parties, routes to them, with customer-facing events only for the customer."""
    agreement = load(
        RECEIVERS
        + "    routes:\n"
        + "      - {events: [burn-rate, budget], objectives: [api-availability], receivers: [sre-hook]}\n"
        + "      - {events: [breach, credit, termination-right, review-due], receivers: [customer-mail, sre-hook]}\n"
    )
    assert agreement.spec.notify is not None
    assert [r.name for r in agreement.spec.notify.receivers] == ["sre-hook", "customer-mail"]


def test_an_unknown_receiver_in_a_route_is_located() -> None:
    """A route naming `pager`, which is not declared, lists the receivers there are."""
    assert problems(RECEIVERS + "    routes:\n      - {events: [breach], receivers: [sre-hook, pager]}\n") == [
        "shop.yaml:25:50: spec.notify.routes[0].receivers[1]: no receiver named 'pager'; "
        "use one of 'sre-hook', 'customer-mail'"
    ]


def test_a_route_without_any_receivers_declared() -> None:
    """With no receivers at all, the hint says where to declare one."""
    assert problems("    routes:\n      - {events: [breach], receivers: [pager]}\n") == [
        "shop.yaml:19:40: spec.notify.routes[0].receivers[0]: no receiver named 'pager'; "
        "declare it under notify.receivers"
    ]


def test_an_unknown_objective_in_a_route_is_located() -> None:
    """A route filtered on an objective the agreement does not have."""
    route = "      - {events: [burn-rate], objectives: [api-latency], receivers: [sre-hook]}\n"
    assert problems(RECEIVERS + "    routes:\n" + route) == [
        "shop.yaml:25:44: spec.notify.routes[0].objectives[0]: no objective named 'api-latency'; "
        "use one of 'api-availability'"
    ]


def test_a_receiver_named_twice_is_refused_at_the_second() -> None:
    """Two receivers called sre-hook: the second is pointed at."""
    twice = RECEIVERS + "      - name: sre-hook\n        email: {to: [noc@provider.example]}\n"
    assert problems(twice) == [
        "shop.yaml:24:15: spec.notify.receivers[2].name: receiver 'sre-hook' is defined twice; rename one"
    ]


def test_a_receiver_without_a_channel_is_refused() -> None:
    """A receiver with a name and nothing else cannot be reached."""
    assert problems("    receivers:\n      - name: nobody\n") == [
        "shop.yaml:19:9: spec.notify.receivers[0]: give exactly one of alertmanager, webhook and email; "
        "e.g. webhook: {url: https://…}"
    ]


def test_a_customer_receiver_routed_an_internal_event_is_refused() -> None:
    """Burn rates and silent sources are the provider's own business, even when routed with a breach."""
    route = "      - {events: [breach, burn-rate, silent-source], receivers: [sre-hook, customer-mail]}\n"
    assert problems(RECEIVERS + "    routes:\n" + route) == [
        "shop.yaml:25:76: spec.notify.routes[0].receivers[1]: customer receiver 'customer-mail' would be sent "
        "internal events: burn-rate, silent-source; route only breach, credit, review-due, termination-right "
        "to a customer receiver"
    ]


@pytest.mark.parametrize(
    ("field", "value", "column"),
    [("repeatInterval", "0m", 21), ("silentAfter", "0s", 18)],
)
def test_durations_must_be_positive(field: str, value: str, column: int) -> None:
    """A repeat interval or silence of zero would mean a storm or every stream silent."""
    assert problems(f"    {field}: {value}\n") == [
        f"shop.yaml:18:{column}: spec.notify.{field}: must be longer than zero, got '{value}'; "
        "write a duration such as 30s, 5m, 1h30m, 7d, 4w or ISO 8601 PT8H, P1D"
    ]


@pytest.mark.parametrize("thresholds", ["[0%, 50%]", "[50%, 120%]", "[75%, 50%]", "[50%, 50%]"])
def test_thresholds_rise_strictly_within_zero_and_one_hundred_percent(thresholds: str) -> None:
    """0%, above 100%, falling or repeated thresholds are refused with one message."""
    found = problems(f"    budgetThresholds: {thresholds}\n")
    if thresholds == "[50%, 120%]":
        assert found == [
            "shop.yaml:18:29: spec.notify.budgetThresholds[1]: must be between 0% and 100%, got '120%'; "
            "write a percentage such as 99.9% or a ratio between 0 and 1 such as 0.999"
        ]
    else:
        assert found == [
            "shop.yaml:18:5: spec.notify: budgetThresholds must rise strictly, each above 0% and at most 100%; "
            "e.g. [50%, 75%, 100%]"
        ]
