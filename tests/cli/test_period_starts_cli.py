"""`attain evaluate --period LABEL` when the label names two periods of one objective: both, each with its start.

The agreement of `period_starts_support`: Shanghai's day 2027-03-29 (from 2027-03-28T16:00Z, 180 of
200 good, judged by version 1) and UTC's (from 2027-03-29T00:00Z, 196 of 200, version 2), both
below the 99% target: breached, exit code 3.
"""

from __future__ import annotations

import json
from pathlib import Path

from attain.testing import agreement_yaml
from cli_support import Cli
from period_starts_support import REQUESTS, V1, V2

AT = "2027-04-05T00:00:00Z"


def _cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "data", cwd=tmp_path)
    for number, document in enumerate((V1, V2), start=1):
        (tmp_path / f"v{number}.yaml").write_text(agreement_yaml(document), encoding="utf-8")
        assert cli("apply", tmp_path / f"v{number}.yaml").returncode == 0
    (tmp_path / "requests.csv").write_text(REQUESTS, encoding="utf-8")
    assert cli("ingest", "--agreement", "shop", tmp_path / "requests.csv").returncode == 0
    return cli


def test_evaluate_prints_both_periods_of_a_label_with_their_starts(tmp_path: Path) -> None:
    """Text names each period's start; JSON adds `start` to both rows; run again, the same (nothing conflicts)."""
    cli = _cli(tmp_path)
    text = cli("evaluate", "shop", "--period", "2027-03-29", "--at", AT)
    assert (text.returncode, text.stdout) == (
        3,
        "shop checkout 2027-03-29 (from 2027-03-28T16:00:00Z): breached (stored)\n"
        "shop checkout 2027-03-29 (from 2027-03-29T00:00:00Z): breached (stored)\n",
    )
    found = cli("evaluate", "shop", "--period", "2027-03-29", "--at", AT, "--output", "json")
    assert found.returncode == 3
    assert json.loads(found.stdout) == [
        {"agreement": "shop", "objective": "checkout", "period": "2027-03-29", "status": "breached", "start": start}
        for start in ("2027-03-28T16:00:00Z", "2027-03-29T00:00:00Z")
    ]


def test_a_label_naming_one_period_prints_as_before(tmp_path: Path) -> None:
    """2027-03-28 is Shanghai's day alone (version 1): one line, no start, no `start` in JSON."""
    cli = _cli(tmp_path)
    text = cli("evaluate", "shop", "--period", "2027-03-28", "--at", AT)
    assert text.stdout == "shop checkout 2027-03-28: no_data (stored)\n"
    found = cli("evaluate", "shop", "--period", "2027-03-28", "--at", AT, "--output", "json")
    assert json.loads(found.stdout) == [
        {"agreement": "shop", "objective": "checkout", "period": "2027-03-28", "status": "no_data"}
    ]
