"""`attain credits` and `attain credit claim|approve|issue` on a real SQLite store.

One month, October 2026, with 985 of 1,000 requests good = 98.5% against 99%: 10% of EUR 1,000 =
EUR 100.00. No claim window is set, so the credit never expires whatever the real clock says.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def test_the_customer_claims_and_the_provider_approves_and_issues(attain: Cli, tmp_path: Path) -> None:
    """The ledger lists October owed; a claim on the customer's behalf, approval and issue move it to issued."""
    objective = ratio_objective("checkout", target="99%")
    objective["credits"] = [{"below": "99%", "credit": "10%"}]
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    document["spec"]["fee"] = {"amount": "1000", "currency": "EUR"}
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    oks = ["true"] * 985 + ["false"] * 15
    rows = [f"2026-10-02T{i // 60:02d}:{i % 60:02d}:00Z,{ok}" for i, ok in enumerate(oks)]
    (tmp_path / "requests.csv").write_text("timestamp,ok\n" + "\n".join(rows) + "\n")
    attain.out("apply", tmp_path / "shop.yaml")
    attain.out("ingest", tmp_path / "requests.csv", "--agreement", "shop")
    [october] = json.loads(attain.out("credits", "shop", "-o", "json"))
    assert (october["period"], october["state"], october["share"], october["amount"], october["currency"]) == (
        "2026-10",
        "owed",
        "0.10",
        "100.00",
        "EUR",
    )
    assert october["claimBy"] is None
    approve_first = attain("credit", "approve", "shop", "2026-10")
    assert approve_first.returncode == 2
    assert "the credit is owed; approve needs it claimed" in approve_first.stderr
    assert attain.out("credit", "claim", "shop", "2026-10", "--on-behalf", "e-mail of 2026-11-03").strip() == (
        "shop 2026-10: credit claimed"
    )
    assert attain.out("credit", "approve", "shop", "2026-10").strip() == "shop 2026-10: credit approved"
    issued = json.loads(attain.out("credit", "issue", "shop", "2026-10", "--reference", "CN-118", "-o", "json"))
    assert (issued["state"], issued["reference"]) == ("issued", "CN-118")
    assert "│ 2026-10 │ 10%   │ 100.00 EUR │ issued │" in attain.out("credits", "shop")


def test_the_yearly_cap_is_shown_with_the_entry_it_lowered(attain: Cli, tmp_path: Path) -> None:
    """A yearly cap (maxPerYear) of EUR 60: October's EUR 100.00 is owed as 60.00; the text says why, the JSON keeps 100.00."""
    objective = ratio_objective("checkout", target="99%")
    objective["credits"] = [{"below": "99%", "credit": "10%"}]
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    document["spec"]["fee"] = {"amount": "1000", "currency": "EUR"}
    document["spec"]["creditPolicy"] = {"maxPerYear": "60.00"}
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    oks = ["true"] * 985 + ["false"] * 15
    rows = [f"2026-10-02T{i // 60:02d}:{i % 60:02d}:00Z,{ok}" for i, ok in enumerate(oks)]
    (tmp_path / "requests.csv").write_text("timestamp,ok\n" + "\n".join(rows) + "\n")
    attain.out("apply", tmp_path / "shop.yaml")
    attain.out("ingest", tmp_path / "requests.csv", "--agreement", "shop")
    [october] = json.loads(attain.out("credits", "shop", "-o", "json"))
    assert (october["amount"], october["uncapped"]) == ("60.00", "100.00")
    assert october["capped"].endswith(
        "by creditPolicy.maxPerYear 60.00 EUR: 2026 already owes 0 EUR, so 60.00 EUR of 100.00 EUR is left"
    )
    assert "2026-10: capped at 20" in attain.out("credits", "shop")
