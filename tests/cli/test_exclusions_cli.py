"""`attain exclusion request|accept|reject|withdraw` and `attain exclusions` on a real SQLite store.

The range lies in 2030, after any day the tests run on, so the open-period rule never refuses it;
what an accepted exclusion does to attainment is tested at fixed instants in
tests/services/test_exclusions.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml

UPTIME = {
    "name": "uptime",
    "indicator": {"kind": "availability", "from": "incidents"},
    "target": "99.9%",
    "window": "month",
}


def test_the_provider_asks_and_the_customer_accepts_through_it(attain: Cli, tmp_path: Path) -> None:
    """Asked by the provider, accepted for the customer; the list shows who asked and the decision."""
    document = agreement(objectives=[UPTIME], effective_from="2026-10-01")
    document["spec"]["exclusions"] = [{"kind": "maintenance", "minimumNotice": "2d"}]
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    attain.out("apply", tmp_path / "shop.yaml")
    asked = attain.out(
        "exclusion", "request", "shop", "--kind", "maintenance", "--start", "2030-03-02T02:00:00Z",
        "--end", "2030-03-02T04:00:00Z", "--reason", "database upgrade", "--evidence", "CHG-1042",
    )  # fmt: skip
    assert asked.strip() == "shop exclusion request 1: proposed"
    unlisted = attain(
        "exclusion", "request", "shop", "--kind", "force-majeure", "--start", "2030-03-02T02:00:00Z",
        "--end", "2030-03-02T04:00:00Z", "--reason", "storm",
    )  # fmt: skip
    assert unlisted.returncode == 2
    assert "the agreement excludes no force-majeure time" in unlisted.stderr
    assert attain("exclusion", "accept", "shop", "1").returncode == 2  # the provider asked: the customer decides
    accepted = attain.out("exclusion", "accept", "shop", "1", "--on-behalf", "e-mail of 2026-12-04")
    assert accepted.strip() == "shop exclusion request 1: accepted"
    [row] = json.loads(attain.out("exclusions", "shop", "-o", "json"))
    assert (row["kind"], row["start"], row["end"], row["side"], row["state"], row["evidence"]) == (
        "maintenance",
        "2030-03-02T02:00:00Z",
        "2030-03-02T04:00:00Z",
        "provider",
        "accepted",
        "CHG-1042",
    )
