"""`attain rights` and `attain right exercise|waive` on a real SQLite store.

October and November 2026 are both missed (98.5% and 96% against 99%): two consecutive misses grant
the right to terminate when November closes, 2026-12-01 00:00 UTC. The rule sets no exercise
window, so the right stays open whatever the real clock says.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def test_the_customer_exercises_a_granted_right_through_the_provider(attain: Cli, tmp_path: Path) -> None:
    """The ledger lists right 1; exercising needs --on-behalf; exercised once, it cannot be waived."""
    document = agreement(objectives=[ratio_objective("checkout", target="99%")], effective_from="2026-10-01")
    rule = {"when": {"objective": "checkout", "breachedConsecutivePeriods": 2}, "grants": "terminate"}
    document["spec"]["termination"] = {"clause": "Either party may end it.", "rights": [rule]}
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    rows = []
    for month, good in ((10, 985), (11, 960)):
        oks = ["true"] * good + ["false"] * (1000 - good)
        rows += [f"2026-{month}-02T{i // 60:02d}:{i % 60:02d}:00Z,{ok}" for i, ok in enumerate(oks)]
    (tmp_path / "requests.csv").write_text("timestamp,ok\n" + "\n".join(rows) + "\n")
    attain.out("apply", tmp_path / "shop.yaml")
    attain.out("ingest", tmp_path / "requests.csv", "--agreement", "shop")
    [right] = json.loads(attain.out("rights", "shop", "-o", "json"))
    assert (right["number"], right["grants"], right["grantedAt"], right["periods"], right["exerciseBy"]) == (
        1,
        "terminate",
        "2026-12-01T00:00:00Z",
        ["2026-10", "2026-11"],
        None,
    )
    assert attain("right", "exercise", "shop", "1").returncode == 2  # --on-behalf is required
    done = attain.out("right", "exercise", "shop", "1", "--on-behalf", "notice letter of 2026-12-04")
    assert done.startswith("shop right 1: exercised; shop is terminated, ending 20")  # no notice: now
    [standing] = json.loads(attain.out("status", "shop", "-o", "json"))
    assert (standing["terminated"]["right"], standing["terminated"]["grants"]) == (1, "terminate")
    assert standing["terminated"]["endsAt"] == standing["terminated"]["exercisedAt"]
    assert "terminated: right 1 (terminate) exercised" in attain.out("status", "shop")
    again = attain("right", "waive", "shop", "1", "--on-behalf", "call")
    assert again.returncode == 2
    assert "shop right 1: the right is exercised, no longer open" in again.stderr
