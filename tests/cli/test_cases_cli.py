"""`attain status` shows case counts per state and the open cases nearest their due instant; `evaluate -o json` lists cases and gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import Cli
from desk_support import BACKUPS, DESK, TICKETS

AT = "2026-11-15T12:00:00Z"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """The agreement file beside a directory `measurements` holding tickets.csv and backups.csv."""
    data = tmp_path / "measurements"
    data.mkdir()
    (data / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    (data / "backups.csv").write_text(BACKUPS, encoding="utf-8")
    path = tmp_path / "desk.yaml"
    path.write_text(DESK, encoding="utf-8")
    return path


def test_status_counts_cases_and_lists_open_ones_nearest_due_first(attain: Cli, desk: Path) -> None:
    """With `--cases open` the overdue t4 (due 10:00) comes before t1 (due 13:00), the paused t2 (no due) last; t3 (stopped) is not listed."""
    cli = attain.with_env(COLUMNS="400")
    cli.out("apply", desk)
    for name in ("tickets", "backups"):
        cli.out("ingest", desk.parent / "measurements" / f"{name}.csv", "--agreement", "desk")
    text = cli.out("status", "--at", AT, "--cases", "open")
    assert "response cases: 1 open, 1 paused, 1 met, 1 breached; 1 at risk" in text
    rows = [line for line in text.splitlines() if line.startswith(("│ t", "| t"))]
    assert [row.split()[1] for row in rows] == ["t4", "t1", "t2"]
    # t4: 6 h of 4 h = 150%; t1: 3 h = 75%, at risk; t2: 30 min = 12.5%, no due.
    cells = [[cell.strip() for cell in row.strip("│|").split("│")] for row in rows]
    # t4 is decided (breached), so it carries no warning; t1 reached 75% at 12:00 exactly.
    assert cells == [
        ["t4", "P1", "breached", "6h 00m", "4h 00m", "150%", "-", "2026-11-15T10:00:00Z"],
        ["t1", "P1", "open (at risk)", "3h 00m", "4h 00m", "75%", "75%", "2026-11-15T13:00:00Z"],
        ["t2", "P1", "paused", "0h 30m", "4h 00m", "12.5%", "-", "-"],
    ]


def test_evaluate_json_gives_case_states_and_freshness_gaps(attain: Cli, desk: Path) -> None:
    """`evaluate --output json` carries each objective's cases and each freshness period's gaps."""
    done = attain("evaluate", desk, "--data", desk.parent / "measurements", "--at", AT, "--output", "json")
    assert done.returncode == 3  # a breached period (October's backups)
    data = json.loads(done.stdout)
    response, backup = data["objectives"]
    assert response["cases"]["counts"] == {"open": 1, "paused": 1, "met": 1, "breached": 1}
    assert [(c["case"], c["state"], c["used"]) for c in response["cases"]["items"]] == [
        ("t1", "open", "0.75"),
        ("t2", "paused", "0.125"),
        ("t3", "met", "0.5"),
        ("t4", "breached", "1.5"),
    ]
    gaps = backup["periods"][-1]["gaps"]
    # 4 Nov 00:00 → 14 Nov 12:00 = 252 h (15120 min), 228 h over; 2 → 4 Nov = 48 h, 24 h over.
    assert (gaps["longest"]["minutes"], gaps["longest"]["excessMinutes"]) == ("15120", "13680")
    assert [(g["start"], g["excessMinutes"]) for g in gaps["over"]] == [
        ("2026-11-02T00:00:00Z", "1440"),
        ("2026-11-04T00:00:00Z", "13680"),
    ]


def test_report_at_an_instant_reports_the_running_period_as_it_stands(attain: Cli, desk: Path) -> None:
    """`report --at` makes the report at that instant: t1 (due 13:00) is open and at risk at 12:00, not breached."""
    data = json.loads(
        attain.out(
            "report",
            desk,
            "--period",
            "2026-11",
            "--data",
            desk.parent / "measurements",
            "--format",
            "json",
            "--at",
            AT,
        )
    )
    assert data["at"] == AT
    cases = data["objectives"][0]["cases"]
    assert cases["counts"] == {"open": 1, "paused": 1, "met": 1, "breached": 1}
    assert [c["case"] for c in cases["atRisk"]] == ["t1"]
