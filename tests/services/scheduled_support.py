"""The agreement the scheduler tests tick: `shop`, active, monthly, reported in English and Chinese."""

from __future__ import annotations

from typing import Any

from attain.testing import agreement


def scheduled_shop() -> dict[str, Any]:
    """`shop` (UTC, active from 2026-10-01): 99% of requests good per month, 10% credit below, EUR 1,000 a month.

    Claims within one month; reports monthly in en and zh-CN. Its objective reads `requests`
    with a `status` (`tests.services.months_support.two_months` ingests two months of them).
    """
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": "month",
        "credits": [{"below": "99%", "credit": "10%"}],
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    spec = document["spec"]
    spec["status"] = "active"
    spec["fee"] = {"amount": "1000", "currency": "EUR"}
    spec["creditPolicy"] = {"claimWithin": "P1M"}
    spec["reporting"] = {"period": "month", "languages": ["en", "zh-CN"]}
    return document
