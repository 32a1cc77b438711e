"""`attain status` lists the cases at a warning (or `--cases open|all|none`); the JSON gives each case's warnings and due instant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import Cli
from helpdesk_support import AT, CASES, COUNTS, HELPDESK, TICKETS


@pytest.fixture
def helpdesk(tmp_path: Path) -> Path:
    """The help desk agreement beside `measurements/tickets.csv`."""
    data = tmp_path / "measurements"
    data.mkdir()
    (data / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    path = tmp_path / "helpdesk.yaml"
    path.write_text(HELPDESK, encoding="utf-8")
    return path


@pytest.fixture
def stored(attain: Cli, helpdesk: Path) -> Cli:
    """The CLI over a store holding the help desk and its tickets, tables not folded."""
    cli = attain.with_env(COLUMNS="400")
    cli.out("apply", helpdesk)
    cli.out("ingest", helpdesk.parent / "measurements" / "tickets.csv", "--agreement", "helpdesk")
    return cli


def _rows(text: str) -> list[list[str]]:
    """The case table's rows, cells stripped."""
    lines = [line for line in text.splitlines() if line.startswith(("│ ", "| ")) and not line.startswith("│ case")]
    rows = [[cell.strip() for cell in line.strip("│|").split("│")] for line in lines]
    return [row for row in rows if row[0] in {c["case"] for c in CASES}]


B1 = ["b1", "P1", "breached", "21h 00m", "6h 00m", "350%", "-", "2026-11-12T10:00:00Z"]
W3 = ["w3", "P1", "open (at risk)", "5h 15m", "6h 00m", "87.5%", "75%", "2026-11-16T09:45:00Z"]
W2 = ["w2", "P2", "open (at risk)", "7h 30m", "12h 00m", "62.5%", "50%", "2026-11-16T13:30:00Z"]
S1 = ["s1", "P1", "open", "0h 00m", "6h 00m", "0%", "-", "2026-11-16T15:00:00Z"]
P1 = ["p1", "P2", "paused", "3h 00m", "12h 00m", "25%", "-", "-"]
R1 = ["r1", "P1", "met", "0h 45m", "6h 00m", "12.5%", "-", "-"]


def test_status_lists_the_running_cases_at_a_warning_by_default(stored: Cli) -> None:
    """By default b1 (past its goal, still running), w3 (75%) and w2 (50%), nearest due first; s1, p1, r1 not."""
    text = stored.out("status", "--at", AT)
    assert "resolution cases: 3 open, 1 paused, 1 met, 1 breached; 2 at risk" in text
    assert _rows(text) == [B1, W3, W2]


@pytest.mark.parametrize(
    ("cases", "rows"),
    [("open", [B1, W3, W2, S1, P1]), ("all", [B1, W3, W2, S1, P1, R1]), ("none", [])],
)
def test_status_cases_option_chooses_the_cases_listed(stored: Cli, cases: str, rows: list[list[str]]) -> None:
    """`--cases open` adds the running s1 and the paused p1 (no due, last); `all` the met r1; `none` only counts."""
    text = stored.out("status", "--at", AT, "--cases", cases)
    assert "resolution cases: 3 open, 1 paused, 1 met, 1 breached; 2 at risk" in text
    assert _rows(text) == rows


def test_status_refuses_an_unknown_cases_choice(stored: Cli) -> None:
    """`--cases late` is a usage error naming the choices."""
    done = stored("status", "--at", AT, "--cases", "late")
    assert done.returncode == 2
    assert "'late' is not one of 'warned', 'open', 'all', 'none'" in done.stderr


def test_status_json_gives_every_case_with_its_warnings(stored: Cli) -> None:
    """`status --output json` lists all six cases with elapsed business minutes, warnings and due instants."""
    [data] = json.loads(stored.out("status", "--at", AT, "--output", "json"))
    [resolution] = data["objectives"]
    assert resolution["cases"] == {"counts": COUNTS, "atRisk": 2, "items": CASES}


def test_evaluate_json_gives_every_case_with_its_warnings(attain: Cli, helpdesk: Path) -> None:
    """`evaluate FILE --data DIR --output json` gives the same cases as the stored status."""
    done = attain("evaluate", helpdesk, "--data", helpdesk.parent / "measurements", "--at", AT, "--output", "json")
    [resolution] = json.loads(done.stdout)["objectives"]
    assert resolution["cases"] == {"counts": COUNTS, "atRisk": 2, "items": CASES}
