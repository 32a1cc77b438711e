"""`attain propose`, `accept`, `reject`, `withdraw`, `proposals` and `history` on a real SQLite store.

The command line reads the real clock, so the dates here lie years ahead of it (2030) and the
notice (30 days) cannot reach them; the exact notice arithmetic is tested at fixed instants in
tests/services/test_proposals.py.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def _write(tmp_path: Path, name: str, target: str, effective: str) -> Path:
    doc = agreement(objectives=[ratio_objective("checkout", target=target)], effective_from=effective)
    doc["spec"]["changes"] = {"clause": "Changes in writing.", "notice": "30d"}
    path = tmp_path / name
    path.write_text(agreement_yaml(doc))
    return path


def test_a_proposal_is_accepted_for_the_customer_and_becomes_version_2(attain: Cli, tmp_path: Path) -> None:
    """The author cannot accept; acting for the customer with a recorded note can; history tells it all."""
    user = f"cli:{getpass.getuser()}"
    attain.out("apply", _write(tmp_path, "v1.yaml", "99.9%", "2026-01-01"))
    proposed = attain.out("propose", _write(tmp_path, "v2.yaml", "99.95%", "2030-01-01"), "--note", "faster")
    assert proposed.strip() == "shop proposal 1: to take effect 2030-01-01; a change of terms: the customer decides"
    assert json.loads(attain.out("agreements", "--output", "json"))[0]["version"] == 1  # not judged yet
    own = attain("accept", "shop", "--proposal", "1")
    assert own.returncode == 2
    assert f"{user} proposed this change and cannot also decide it" in own.stderr
    accepted = attain.out("accept", "shop", "-p", "1", "--on-behalf", "signed letter of 2026-12-04")
    assert accepted.strip() == "shop proposal 1 accepted: version 2, in force from 2030-01-01"
    [row] = json.loads(attain.out("proposals", "shop", "--output", "json"))
    assert (row["state"], row["decidedSide"], row["decidedBy"], row["version"], row["note"]) == (
        "accepted",
        "customer",
        f"{user} for the customer (signed letter of 2026-12-04)",
        2,
        "faster",
    )
    history = json.loads(attain.out("history", "shop", "--output", "json"))
    assert [(h["subject"], h["what"]) for h in history] == [
        ("v1", "version stored"),
        ("proposal 1", "proposed"),
        ("proposal 1", "accepted"),
        ("v2", "version stored"),
    ]
    assert history[0]["detail"] == "in force 2026-01-01 – 2029-12-31"
    assert history[3]["detail"] == "in force 2030-01-01 – open"


def test_reject_needs_a_reason_and_withdraw_the_authors_side(attain: Cli, tmp_path: Path) -> None:
    """The customer (on behalf) rejects one proposal with a reason; the provider withdraws the other."""
    attain.out("apply", _write(tmp_path, "v1.yaml", "99.9%", "2026-01-01"))
    attain.out("propose", _write(tmp_path, "v2.yaml", "99.95%", "2030-01-01"))
    attain.out("propose", _write(tmp_path, "v3.yaml", "99.99%", "2030-01-01"))
    rejected = attain("reject", "shop", "-p", "1", "--reason", "too costly", "--on-behalf", "call of 2026-12-04")
    assert rejected.returncode == 0, rejected.stderr
    assert attain("withdraw", "shop", "-p", "2", "--on-behalf", "call").returncode == 2
    assert attain.out("withdraw", "shop", "-p", "2").strip() == "shop proposal 2 withdrawn"
    states = [(r["number"], r["state"], r["reason"]) for r in json.loads(attain.out("proposals", "-o", "json"))]
    assert states == [(1, "rejected", "too costly"), (2, "withdrawn", None)]
    again = attain("accept", "shop", "-p", "1", "--on-behalf", "call")
    assert again.returncode == 2
    assert "shop proposal 1 is already rejected" in again.stderr


def test_status_inside_an_open_proposals_dates_judges_by_the_version_in_force(attain: Cli, tmp_path: Path) -> None:
    """A proposal for 2030 (target 99.95%) is not accepted: status at 2030-02-01 still judges by version 1 (99.9%)."""
    attain.out("apply", _write(tmp_path, "v1.yaml", "99.9%", "2026-01-01"))
    attain.out("propose", _write(tmp_path, "v2.yaml", "99.95%", "2030-01-01"))
    [state] = json.loads(attain.out("status", "shop", "--at", "2030-02-01T00:00:00Z", "-o", "json"))
    [objective] = state["objectives"]
    january = next(p for p in objective["periods"] if p["period"] == "2030-01")
    assert (state["version"], january["version"], january["target"]) == (1, 1, "0.999")


def test_status_and_evaluate_tables_show_the_target_that_judged_each_period(attain: Cli, tmp_path: Path) -> None:
    """Version 2 (99.95%) agreed for 2030: the text tables show 99.9% beside periods version 1 judges."""
    attain.out("apply", _write(tmp_path, "v1.yaml", "99.9%", "2026-01-01"))
    attain.out("propose", _write(tmp_path, "v2.yaml", "99.95%", "2030-01-01"))
    attain.out("accept", "shop", "-p", "1", "--on-behalf", "signed letter")
    status = _cells(attain.out("status", "shop", "--at", "2029-12-15T00:00:00Z"))
    assert status["2029-12 (open)"][2] == "99.9%"  # status, attained, target, ...
    evaluated = _cells(attain("evaluate", "shop", "--at", "2030-02-15T00:00:00Z").stdout)
    assert [evaluated[p][2] for p in ("2029-11", "2029-12", "2030-01", "2030-02 (open)")] == [
        "99.9%",
        "99.9%",
        "99.95%",
        "99.95%",
    ]


def _cells(table: str) -> dict[str, list[str]]:
    """The rows of a printed table of `checkout` periods by period: the cells after the period."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines() if "│ checkout" in line]
    return {row[1]: row[2:] for row in rows}


def test_accept_reject_and_withdraw_name_the_version_the_proposal_offers(attain: Cli, tmp_path: Path) -> None:
    """`--version 2` names the one open proposal offering v2; both options, neither, or v3 are refused."""
    attain.out("apply", _write(tmp_path, "v1.yaml", "99.9%", "2026-01-01"))
    attain.out("propose", _write(tmp_path, "v2.yaml", "99.95%", "2030-01-01"))
    neither = attain("accept", "shop", "--on-behalf", "call")
    assert neither.returncode == 2
    assert "name the proposal once" in neither.stderr
    three = attain("withdraw", "shop", "--version", "3")
    assert three.returncode == 2
    assert "shop has no proposal of version 3: v2 is the next version" in three.stderr
    assert attain.out("withdraw", "shop", "--version", "2").strip() == "shop proposal 1 withdrawn"
    attain.out("propose", _write(tmp_path, "v2b.yaml", "99.99%", "2030-02-01"))
    rejected = attain.out("reject", "shop", "--version", "2", "--reason", "too costly", "--on-behalf", "call")
    assert rejected.strip() == "shop proposal 2 rejected"
    attain.out("propose", _write(tmp_path, "v2c.yaml", "99.92%", "2030-03-01"))
    accepted = attain.out("accept", "shop", "--version", "2", "--on-behalf", "letter", "-o", "json")
    assert json.loads(accepted) == {"agreement": "shop", "proposal": 3, "version": 2, "effectiveFrom": "2030-03-01"}
    again = attain("accept", "shop", "--version", "2", "--on-behalf", "letter")
    assert again.returncode == 2
    assert "shop proposal 3 is already accepted" in again.stderr
