"""Burn-rate alerts on downtime: per-minute downtime series and when the page alert fires."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from attain.engine.availability import minute_downtime
from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, US_PER_SECOND, to_us
from attain.engine.measurement import Incident, Measurements
from attain.model import Agreement

M = US_PER_MINUTE
UPTIME = Agreement.model_validate(
    {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": "cloud"},
        "spec": {
            "title": "Cloud",
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
            "purpose": "x",
            "effective": {"from": "2027-01-01"},
            "objectives": [
                {
                    "name": "uptime",
                    "indicator": {"kind": "availability", "from": "incidents"},
                    "target": "99.9%",
                    "window": "month",
                    "alerting": {"preset": "sre-workbook"},
                }
            ],
        },
    },
    by_alias=True,
    by_name=False,
)
T = to_us(datetime(2027, 1, 10, 10, tzinfo=UTC))


def test_minute_downtime_splits_intervals_at_minute_edges() -> None:
    """Down from 0:30 to 2:30 gives 30 s, 60 s and 30 s in the first three minutes."""
    down = minute_downtime([(30 * US_PER_SECOND, 150 * US_PER_SECOND)], 0, 4)
    assert down.tolist() == [30 * US_PER_SECOND, 60 * US_PER_SECOND, 30 * US_PER_SECOND, 0]


def test_page_alert_fires_during_a_ten_minute_outage_and_clears_after_its_short_window() -> None:
    """A 10-minute outage fires the 1h/5m page from its first minute end until 5 minutes after it ends.

    At 99.9% and 30 days the 1h/5m factor is 14.4, so the threshold is 1.44% of a window. The 1 h
    window holds at least one down minute (1.7%) from T+1 min on; the 5 m window holds one until the
    minute end T+14 min and none at T+15 min. So the page fires on the minute ends T+1 … T+14:
    the interval [T+1 min, T+15 min).
    """
    at = T + 130 * M
    result = evaluate(UPTIME, Measurements(incidents={"incidents": [Incident(T, T + 10 * M)]}), at)
    page = result.objectives[0].alerts[0]
    assert (page.severity, page.factor) == ("page", Decimal("14.4"))
    assert page.intervals == ((T + M, T + 15 * M),)
    assert page.firing is False


def test_an_ongoing_outage_is_firing_now() -> None:
    """An outage still open at the evaluation instant fires every tier now."""
    at = T + 30 * M
    result = evaluate(UPTIME, Measurements(incidents={"incidents": [Incident(T, None)]}), at)
    assert [a.firing for a in result.objectives[0].alerts] == [True, True, True, True]


def test_no_downtime_never_fires() -> None:
    """Without incidents no tier has a firing interval."""
    result = evaluate(UPTIME, Measurements(), T)
    assert all(a.intervals == () for a in result.objectives[0].alerts)
