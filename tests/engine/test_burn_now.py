"""The burn rate over the hour before the evaluation instant, per objective."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Incident, Measurements
from attain.model import Agreement


def agreement(indicator: dict[str, object], target: str) -> Agreement:
    """A one-objective agreement in force from 2027-01-01 (UTC), monthly."""
    return Agreement.model_validate(
        {
            "apiVersion": "attain/v1",
            "kind": "Agreement",
            "metadata": {"name": "x"},
            "spec": {
                "title": "X",
                "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
                "purpose": "x",
                "effective": {"from": "2027-01-01"},
                "objectives": [{"name": "o", "indicator": indicator, "target": target, "window": "month"}],
            },
        },
        by_alias=True,
        by_name=False,
    )


AT = to_us(datetime(2027, 1, 10, 12, tzinfo=UTC))


def test_event_burn_rate_over_the_last_hour() -> None:
    """Six bad of 600 requests in the last hour against 99%: error ratio 1% ÷ budget 1% = burn rate 1."""
    events = [Event(AT - 60 * US_PER_MINUTE + i * 6_000_000, None, {"ok": i >= 6}) for i in range(600)]
    shop = agreement({"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}}, "99%")
    result = evaluate(shop, Measurements(events={"requests": EventTable.from_events(events)}), AT)
    state = result.objectives[0]
    assert state.burn_rate == Decimal(1)
    assert state.burn_per_hour == Decimal(6)


def test_downtime_burn_rate_over_the_last_hour() -> None:
    """Three minutes down in the last hour against 99.9%: 5% of the hour ÷ 0.1% = burn rate 50."""
    incidents = [Incident(AT - 10 * US_PER_MINUTE, AT - 7 * US_PER_MINUTE)]
    uptime = agreement({"kind": "availability", "from": "incidents"}, "99.9%")
    result = evaluate(uptime, Measurements(incidents={"incidents": incidents}), AT)
    state = result.objectives[0]
    assert state.burn_rate == Decimal(50)
    assert state.burn_per_hour == Decimal(3)
