"""`attain review` and `attain reviews`: quarterly reviews of an agreement in force from 2026-09-01.

The first review is due by the end of the quarter it took effect in: 2026-10-01. A review held
2026-10-15 (in Q4) moves the next due date to the start of the following quarter, 2027-01-01.
Dates before today (the real clock reads 2026-12 or later) are used, so the overdue flags below
hold whatever day the tests run on after 2027-01-01 too: the test asserts the due dates exactly
and the overdue flag against the real date.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def test_reviews_are_due_quarterly_and_recorded_with_the_proposal_they_led_to(attain: Cli, tmp_path: Path) -> None:
    """Due 2026-10-01 at first; after a review on 2026-10-15, due 2027-01-01; bad input is refused all at once."""
    document = agreement(objectives=[ratio_objective("checkout", target="99%")], effective_from="2026-09-01")
    document["spec"]["review"] = {"every": "quarter"}
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    attain.out("apply", tmp_path / "shop.yaml")
    today = datetime.now(UTC).date()
    first = json.loads(attain.out("reviews", "shop", "-o", "json"))
    assert (first["every"], first["due"], first["overdue"], first["reviews"]) == (
        "quarter",
        "2026-10-01",
        today >= date(2026, 10, 1),
        [],
    )
    recorded = attain.out(
        "review", "shop", "--held", "2026-10-15", "--participant", "Ana (provider)", "--participant", "Bo (customer)",
        "--outcome", "Targets kept; alerting to be tuned.",
    )  # fmt: skip
    assert recorded.strip() == "shop review 1 recorded, held 2026-10-15"
    after = json.loads(attain.out("reviews", "shop", "-o", "json"))
    assert (after["due"], after["overdue"]) == ("2027-01-01", today >= date(2027, 1, 1))
    assert [(r["heldOn"], r["participants"], r["proposal"]) for r in after["reviews"]] == [
        ("2026-10-15", ["Ana (provider)", "Bo (customer)"], None)
    ]
    bad = attain("review", "shop", "--held", "2999-01-01", "--participant", " ", "--outcome", "", "--proposal", "7")
    assert bad.returncode == 2
    for expected in ("2999-01-01 is after today", "no participant named", "no outcome", "shop has no proposal 7"):
        assert expected in bad.stderr
    assert len(json.loads(attain.out("reviews", "shop", "-o", "json"))["reviews"]) == 1
