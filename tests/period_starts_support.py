"""Agreement `shop` whose second version moves a daily window from Asia/Shanghai to UTC: two periods, one label.

Shared by `tests/storage/test_period_starts.py` (the store, the ledger, the migration) and
`tests/cli/test_period_starts_cli.py` (what the command line prints); the figures are worked out in
the first one's docstring.
"""

from __future__ import annotations

from typing import Any

from attain.testing import agreement


def document(version: int, effective_from: str, window: dict[str, str]) -> dict[str, Any]:
    """Version `version` of `shop`: a daily `window`, EUR 1,000 a day, 10% below 99%, 30% below 95%."""
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": window,
        "credits": [{"below": "99%", "atLeast": "95%", "credit": "10%"}, {"below": "95%", "credit": "30%"}],
    }
    document = agreement(objectives=[objective], effective_from=effective_from, time_zone="UTC")
    document["spec"]["fee"] = {"amount": "1000", "currency": "EUR", "per": "day"}
    document["spec"]["creditPolicy"] = {"claimWithin": "P1M"}
    document["spec"]["version"] = version
    document["spec"]["status"] = "active"  # what the scheduler ticks
    return document


V1 = document(1, "2027-03-25", {"calendar": "day", "timeZone": "Asia/Shanghai"})
V2 = document(2, "2027-03-29", {"calendar": "day"})


REQUESTS = "timestamp,status\n" + "".join(
    [f"2027-03-28T20:{i % 60:02d}:00Z,{'ok' if i < 80 else 'error'}\n" for i in range(100)]
    + [f"2027-03-29T10:{i % 60:02d}:00Z,ok\n" for i in range(100)]
    + [f"2027-03-29T20:{i % 60:02d}:00Z,{'ok' if i < 96 else 'error'}\n" for i in range(100)]
)
"""The requests as CSV: 80 of 100 ok in Shanghai's day only, 100 ok in both, 96 of 100 ok in UTC's only."""
