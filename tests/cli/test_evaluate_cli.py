"""`attain evaluate` run through the CLI on the cloud-uptime and support-desk example data.

Expected values are worked out by hand in src/attain/samples/README.md and
tests/engine/test_templates_evaluated.py.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from attain.cli.output import credit_text
from attain.engine.credit import ObjectiveCredit, PeriodCredit
from attain.formats.template import template_text
from attain.testing import agreement as build
from attain.testing import agreement_yaml
from cli_support import Cli

DATA = Path(__file__).resolve().parents[2] / "src" / "attain" / "samples"


@pytest.fixture
def attain(attain: Cli) -> Cli:
    """The CLI with 200 columns, wide enough for the evaluation table."""
    return attain.with_env(COLUMNS="200")


@pytest.fixture
def agreement(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The English template named by the test's `template` parameter, written to a file."""
    name: str = request.param
    path = tmp_path / f"{name}.yaml"
    path.write_text(template_text(name, "en"), encoding="utf-8")
    return path


def evaluate_json(attain: Cli, agreement: Path, data: Path, at: str, *extra: str) -> tuple[int, dict[str, Any]]:
    """Evaluate with --output json; the exit code and the parsed document."""
    done = attain("evaluate", agreement, "--data", data, "--at", at, "--output", "json", *extra)
    assert done.stderr == ""
    return done.returncode, json.loads(done.stdout)


def periods(document: dict[str, Any], objective: str) -> dict[str, dict[str, Any]]:
    """The periods of one objective in a JSON evaluation, by label."""
    (found,) = (o for o in document["objectives"] if o["objective"] == objective)
    return {p["period"]: p for p in found["periods"]}


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_cloud_uptime_breached_exits_3_with_exact_json(attain: Cli, agreement: Path) -> None:
    """Two closed months with breaches exit 3, and the JSON carries the exact ratios, downtime and credits."""
    code, document = evaluate_json(attain, agreement, DATA / "cloud-uptime", "2027-03-01T00:00:00+01:00")
    assert code == 3
    assert document["agreement"] == "cloud-uptime"
    assert document["breached"] is True
    assert document["at"] == "2027-02-28T23:00:00Z"  # midnight in Berlin (CET, +01:00) in UTC
    assert document["since"] == "2026-12-31T23:00:00Z"  # effective 2027-01-01, Berlin midnight
    assert [o["objective"] for o in document["objectives"]] == ["compute-availability", "storage-availability"]
    compute = periods(document, "compute-availability")
    assert list(compute) == ["2027-01", "2027-02"]
    january = compute["2027-01"]
    assert (january["start"], january["end"]) == ("2026-12-31T23:00:00Z", "2027-01-31T23:00:00Z")
    assert (january["closed"], january["partial"], january["unit"]) == (True, False, "minutes")
    # 2,511 s down of 2,678,400 s: 1 - 3/3200 = 0.9990625, met; 2511 / 60 = 41.85 min.
    assert (january["status"], january["ratio"], january["percent"]) == ("met", "0.9990625", "99.90625%")
    assert january["detail"] == {"downtime_minutes": "41.85", "incidents": 1}
    # Budget: 0.1% of 44,640 min = 44.64 allowed, 41.85 used, 2.79 left.
    assert january["budget"] == {"unit": "minutes", "allowed": "44.64", "consumed": "41.85", "remaining": "2.79"}
    # February: 252 + 63 min (the late-announced maintenance counts) = 315; 1 - 315/40320 = 0.9921875.
    assert (compute["2027-02"]["status"], compute["2027-02"]["ratio"]) == ("breached", "0.9921875")
    storage = periods(document, "storage-availability")
    # January 1,116 min: 1 - 1116/44640 = 0.975; February maintenance announced in time: 1.
    assert (storage["2027-01"]["status"], storage["2027-01"]["ratio"]) == ("breached", "0.975")
    assert (storage["2027-02"]["status"], storage["2027-02"]["ratio"]) == ("met", "1")
    # January 25% x EUR 8,500 = 2,125; February 10% x 8,500 = 850.
    assert [(c["period"], c["share"], c["amount"], c["payable"], c["objectives"]) for c in document["credits"]] == [
        ("2027-01", "25%", "2125", "2125", {"compute-availability": "0%", "storage-availability": "25%"}),
        ("2027-02", "10%", "850", "850", {"compute-availability": "10%", "storage-availability": "0%"}),
    ]
    assert document["termination"] == []


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_cloud_uptime_text_output_exits_3(attain: Cli, agreement: Path) -> None:
    """The text report of the same evaluation also exits 3 and lists both credits."""
    done = attain("evaluate", agreement, "--data", DATA / "cloud-uptime", "--at", "2027-03-01T00:00:00+01:00")
    assert done.returncode == 3, done.stderr
    assert "breached" in done.stdout
    lines = done.stdout.splitlines()
    # 25% x 8,500 EUR and 10% x 8,500 EUR, each with the one objective whose tier it is.
    assert "credit 2027-01: 25% of the fee = 2,125.00 EUR (storage-availability)" in lines
    assert "credit 2027-02: 10% of the fee = 850.00 EUR (compute-availability)" in lines
    attained = [[cell.strip() for cell in line.split("│")[1:5]] for line in lines if line.startswith("│")]
    # Against 99.9%, two places, cut: 0.9990625 -> 99.90% (met); 0.9921875 -> 99.21% (rounding says 99.22%);
    # 0.975 -> 97.50%; 1 -> 100.00%.
    assert attained == [
        ["compute-availability", "2027-01", "met", "99.90%"],
        ["compute-availability", "2027-02", "breached", "99.21%"],
        ["storage-availability", "2027-01", "breached", "97.50%"],
        ["storage-availability", "2027-02", "met", "100.00%"],
    ]


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_cloud_uptime_before_any_incident_exits_0(attain: Cli, agreement: Path) -> None:
    """On 10 January no incident has happened yet: the open month is met so far and the exit code is 0."""
    code, document = evaluate_json(attain, agreement, DATA / "cloud-uptime", "2027-01-10T00:00:00+01:00")
    assert code == 0
    assert document["breached"] is False
    for objective in ("compute-availability", "storage-availability"):
        (january,) = periods(document, objective).values()
        assert (january["period"], january["closed"], january["partial"]) == ("2027-01", False, True)
        assert (january["status"], january["ratio"]) == ("met", "1")
        assert january["measuredUntil"] == "2027-01-09T23:00:00Z"
    assert document["credits"] == []  # no closed period yet


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_cloud_uptime_since_limits_the_range(attain: Cli, agreement: Path) -> None:
    """With --since 1 February only February is evaluated and credited."""
    code, document = evaluate_json(
        attain, agreement, DATA / "cloud-uptime", "2027-03-01T00:00:00+01:00", "--since", "2027-02-01T00:00:00+01:00"
    )
    assert code == 3  # compute February is breached
    assert document["since"] == "2027-01-31T23:00:00Z"
    assert list(periods(document, "compute-availability")) == ["2027-02"]
    assert [(c["period"], c["share"], c["amount"]) for c in document["credits"]] == [("2027-02", "10%", "850")]


@pytest.mark.parametrize("agreement", ["support-desk"], indirect=True)
def test_support_desk_breached_exits_3_with_exact_json(attain: Cli, agreement: Path) -> None:
    """Support tickets over January and February: business-hour counts, pending tickets and credits in JSON."""
    code, document = evaluate_json(attain, agreement, DATA / "support-desk", "2027-03-01T00:00:00+08:00")
    assert code == 3
    first = periods(document, "first-response")
    resolution = periods(document, "resolution")
    # January first responses 5/5; February 4/5 (SD-201 answered after 75 business minutes of 60).
    assert (first["2027-01"]["good"], first["2027-01"]["valid"], first["2027-01"]["status"]) == ("5", "5", "met")
    assert (first["2027-02"]["good"], first["2027-02"]["valid"], first["2027-02"]["ratio"]) == ("4", "5", "0.8")
    # January resolutions 3/4 = 0.75 (SD-104 took 17 business hours of 16).
    assert (resolution["2027-01"]["ratio"], resolution["2027-01"]["status"]) == ("0.75", "breached")
    # February 4/5: SD-202 took 41 h of 40 with the wait on the customer paused; SD-205 still pending.
    assert (resolution["2027-02"]["ratio"], resolution["2027-02"]["detail"]) == ("0.8", {"pending": 1, "breached": 1})
    # January 0% + 20%; February 10% + 10%; each 20% x CNY 36,000 = 7,200.
    assert [(c["period"], c["share"], c["amount"], c["payable"]) for c in document["credits"]] == [
        ("2027-01", "20%", "7200", "7200"),
        ("2027-02", "20%", "7200", "7200"),
    ]


@pytest.mark.parametrize("agreement", ["support-desk"], indirect=True)
def test_support_desk_before_the_first_late_ticket_exits_0(attain: Cli, agreement: Path) -> None:
    """At 09:00 on 14 January SD-104 has used 15 of its 16 business hours: pending, nothing breached yet."""
    code, document = evaluate_json(attain, agreement, DATA / "support-desk", "2027-01-14T09:00:00+08:00")
    assert code == 0
    assert document["breached"] is False
    (first,) = periods(document, "first-response").values()
    # SD-101..SD-104 answered in time by then; SD-105 is not created yet and does not count.
    assert (first["good"], first["valid"], first["status"], first["closed"]) == ("4", "4", "met", False)
    (resolution,) = periods(document, "resolution").values()
    # SD-101, SD-102, SD-103 resolved in time; SD-104: Tue 7 h + Wed 8 h = 15 h < 16 h, pending.
    assert (resolution["good"], resolution["valid"], resolution["status"]) == ("3", "3", "met")
    assert resolution["detail"] == {"pending": 1, "breached": 0}


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_naive_timestamp_is_reported_with_file_line_and_column(attain: Cli, agreement: Path, tmp_path: Path) -> None:
    """An incident start without an offset exits 2 with `FILE:LINE:1: start: ...`."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "cloud-uptime", data)
    incidents = data / "incidents.csv"
    lines = incidents.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("2027-01-20T08:00:00+01:00,")
    lines[2] = lines[2].replace("2027-01-20T08:00:00+01:00", "2027-01-20T08:00:00", 1)
    incidents.write_text("".join(lines), encoding="utf-8")
    done = attain("evaluate", agreement, "--data", data, "--at", "2027-03-01T00:00:00+01:00")
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{incidents}:3:1: start: not an instant with an offset: '2027-01-20T08:00:00'; " in done.stderr
    assert "write ISO 8601 with an offset" in done.stderr


@pytest.mark.parametrize("agreement", ["support-desk"], indirect=True)
def test_naive_case_timestamp_names_the_timestamp_column(attain: Cli, agreement: Path, tmp_path: Path) -> None:
    """A ticket event without an offset exits 2 naming ticket_events.csv, its line and the timestamp column."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "support-desk", data)
    events = data / "ticket_events.csv"
    text = events.read_text(encoding="utf-8")
    assert text.count("2027-02-02T09:45:00+08:00") == 1
    events.write_text(text.replace("2027-02-02T09:45:00+08:00", "2027-02-02 09:45"), encoding="utf-8")
    line = 1 + next(n for n, row in enumerate(text.splitlines()) if "2027-02-02T09:45:00+08:00" in row)
    done = attain("evaluate", agreement, "--data", data, "--at", "2027-03-01T00:00:00+08:00")
    assert done.returncode == 2
    assert f"{events}:{line}:1: timestamp: not an instant with an offset: '2027-02-02 09:45'" in done.stderr


@pytest.mark.parametrize("agreement", ["support-desk"], indirect=True)
def test_missing_stream_file_names_the_expected_paths(attain: Cli, agreement: Path, tmp_path: Path) -> None:
    """An empty data directory exits 2 and says which file to add."""
    done = attain("evaluate", agreement, "--data", tmp_path, "--at", "2027-03-01T00:00:00+08:00")
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        f"{tmp_path}:1:1: ticket_events: no measurements for stream 'ticket_events'; "
        f"add {tmp_path / 'ticket_events.csv'} or {tmp_path / 'ticket_events.jsonl'}"
    ) in done.stderr


@pytest.mark.parametrize("agreement", ["cloud-uptime"], indirect=True)
def test_problem_in_a_shared_stream_is_reported_once(attain: Cli, agreement: Path, tmp_path: Path) -> None:
    """A missing incidents.csv, read by both availability objectives, is reported on one line."""
    done = attain("evaluate", agreement, "--data", tmp_path, "--at", "2027-03-01T00:00:00+01:00")
    assert done.returncode == 2
    assert done.stderr.count("no measurements for stream 'incidents'") == 1


def test_a_percentile_on_a_timeout_is_shown_as_beyond_measured(attain: Cli, tmp_path: Path) -> None:
    """p90 of 8 answered requests and 2 timeouts (missing: worst) is rank 9 of 10, a timeout: breached, beyond measured."""
    objective = {
        "name": "latency",
        "indicator": {
            "kind": "statistic",
            "statistic": "percentile",
            "percentile": 90,
            "method": "nearest-rank",
            "events": "requests",
            "value": "latency_ms",
            "op": "le",
            "bound": 300,
            "unit": "ms",
            "missing": "worst",
        },
        "window": "month",
    }
    path = tmp_path / "api.yaml"
    path.write_text(agreement_yaml(build(objectives=[objective], effective_from="2027-01-01")), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    values = ["120", "80", "300", "150", "90", "200", "110", "250", "", ""]
    rows = [f"2027-01-05T00:{i:02d}:00Z,{v}" for i, v in enumerate(values)]
    (data / "requests.csv").write_text("timestamp,latency_ms\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = attain("evaluate", path, "--data", data, "--at", "2027-02-01T00:00:00Z")
    assert done.returncode == 3
    assert "beyond measured" in done.stdout
    _, document = evaluate_json(attain, path, data, "2027-02-01T00:00:00Z")
    january = periods(document, "latency")["2027-01"]
    assert (january["status"], january["statistic"], january["detail"]) == (
        "breached",
        None,
        {"missing": 2, "beyond_measured": True},
    )


def test_a_credit_line_names_its_currency_or_only_its_share() -> None:
    """With a fee the amount has its ISO code and the currency's digits; without one only the share is printed."""
    parts = (ObjectiveCredit("uptime", Decimal("0.995"), None, Decimal("0.1")),)
    priced = PeriodCredit("2027-01", parts, Decimal("0.1"), Decimal("12345.6"), Decimal("12345.6"), "JPY")
    # 10% of 123,456 JPY = 12,345.6, written to whole yen (half-even): 12,346.
    assert credit_text(priced) == "2027-01: 10% of the fee = 12,346 JPY (uptime)"
    unpriced = PeriodCredit("2027-01", parts, Decimal("0.1"), None, None, None)
    assert credit_text(unpriced) == "2027-01: 10% of the fee (uptime)"
