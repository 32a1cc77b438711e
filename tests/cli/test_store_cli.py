"""The store commands run through the CLI on a SQLite database in ATTAIN_DATA_DIR.

`db upgrade`, `apply`, `agreements`, `show`, `ingest`, `status` and `evaluate NAME --period` (the
stored mode of `evaluate`), with the api-latency template. Expected counts are worked out by hand
from the rows written below.
"""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import make_url

from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import Agreement
from attain.storage import SqlStore, connect
from cli_support import Cli

NAME = "api-latency"
LATER = {"effective: {from: 2027-01-01}": "effective: {from: 2027-02-01}", "bound: 5s": "bound: 4s"}
ANOTHER = "set ATTAIN_DATA_DIR or ATTAIN_DATABASE_URL to use another"
BACKDATED = {"effective: {from: 2027-01-01}": "effective: {from: 2026-12-01}", "bound: 5s": "bound: 3s"}

# Ten valid requests in January 2027, two of them 5xx: availability 8/10, breached (target 99.9%);
# one rate-limited request that is not valid; one request in February.
REQUESTS = [
    ("2027-01-04T10:00:00Z", "2xx", "100", "false"),
    ("2027-01-04T10:00:20Z", "2xx", "200", "false"),
    ("2027-01-04T10:00:40Z", "5xx", "300", "false"),
    ("2027-01-05T10:00:00Z", "2xx", "100", "false"),
    ("2027-01-06T10:00:00Z", "4xx", "100", "false"),
    ("2027-01-07T10:00:00Z", "2xx", "6000", "false"),
    ("2027-01-08T10:00:00Z", "2xx", "100", "true"),
    ("2027-01-12T10:00:00Z", "timeout", "", "false"),
    ("2027-01-25T10:00:00Z", "2xx", "100", "false"),
    ("2027-01-26T10:00:00Z", "2xx", "100", "false"),
    ("2027-01-27T10:00:00Z", "3xx", "100", "false"),
    ("2027-02-03T10:00:00Z", "2xx", "100", "false"),
]


@pytest.fixture
def attain(attain: Cli) -> Cli:
    """The CLI on an empty data directory, 400 columns wide so that no table folds."""
    return attain.with_env(COLUMNS="400")


def stored(cli: Cli) -> SqlStore:
    """The store the commands wrote to, opened in this process."""
    return SqlStore(connect(f"sqlite:///{cli.data_dir}/attain.db"))


def agreement_file(directory: Path, name: str, **changes: str) -> Path:
    """The api-latency template written to `directory/name`, with the text replacements given."""
    text = template_text(NAME, "en")
    for old, new in changes.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def requests_file(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """Rows (timestamp, status_class, latency_ms, rate_limited) as a requests CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "status_class", "latency_ms", "rate_limited"])
        writer.writerows(rows)
    return path


@pytest.fixture
def ingested(attain: Cli, tmp_path: Path) -> Cli:
    """Version 1 applied and REQUESTS ingested, through the CLI."""
    assert attain("apply", agreement_file(tmp_path, "v1.yaml")).returncode == 0
    done = attain("ingest", requests_file(tmp_path / "requests.csv", REQUESTS), "--agreement", NAME)
    assert done.returncode == 0, done.stderr
    return attain


def test_db_upgrade_creates_the_sqlite_database(attain: Cli) -> None:
    """`db upgrade` creates the database in ATTAIN_DATA_DIR, and running it again is harmless."""
    url = f"sqlite:///{attain.data_dir}/attain.db"
    for stderr in (f"created a new store at {url} ({ANOTHER})\n", ""):
        done = attain("db", "upgrade")
        assert (done.returncode, done.stderr) == (0, stderr)
        assert done.stdout == f"database at the latest schema: {url}\n"
    assert (attain.data_dir / "attain.db").is_file()


def empty(url: str) -> str:
    """The note a store command prints on stderr when the store at `url` holds no agreement."""
    return f"no agreements in the store at {url} ({ANOTHER}; `attain apply FILE` stores one)\n"


def test_store_commands_on_a_store_made_by_accident_say_which_store(attain: Cli, tmp_path: Path) -> None:
    """Without ATTAIN_DATA_DIR, `agreements` says it created ./.attain/attain.db and that it is empty; JSON stays clean."""
    accident = attain.with_env(ATTAIN_DATA_DIR="")
    url = f"sqlite:///{tmp_path}/.attain/attain.db"
    first = accident("agreements")
    assert (first.returncode, first.stdout) == (0, "")
    assert first.stderr == f"created a new store at {url} ({ANOTHER})\n" + empty(url)
    listed = accident("agreements", "--output", "json")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "[]\n", empty(url))


@pytest.mark.parametrize(
    ("arguments", "stdout"),
    [
        (("agreements",), ""),
        (("status",), ""),
        (("evaluate",), ""),
        (("status", "--output", "json"), "[]\n"),
    ],
)
def test_store_commands_on_an_empty_store_say_which_store(attain: Cli, arguments: tuple[str, ...], stdout: str) -> None:
    """On an existing but empty store, each listing command names the store on stderr and prints what it printed before."""
    assert attain("db", "upgrade").returncode == 0
    done = attain(*arguments)
    url = f"sqlite:///{attain.data_dir}/attain.db"
    assert (done.returncode, done.stdout, done.stderr) == (0, stdout, empty(url))


def test_show_on_an_empty_store_names_the_store(attain: Cli, tmp_path: Path) -> None:
    """`show NAME` on an empty store says which store holds nothing, and how to fill it; on a filled one it lists names."""
    url = f"sqlite:///{attain.data_dir}/attain.db"
    done = attain.with_env(COLUMNS="1000")("show", "shop")
    assert done.returncode == 2
    assert (
        f"no stored agreement named 'shop': the store at {url} holds no agreement ({ANOTHER}; "
        "`attain apply FILE` stores one)"
    ) in done.stderr
    attain.out("apply", agreement_file(tmp_path, "v1.yaml"))
    other = attain.with_env(COLUMNS="1000")("show", "shop")
    assert f"no stored agreement named 'shop' (stored: {NAME})" in other.stderr


PASSWORD = "s3cret-word"  # noqa: S105 - a test value, not a credential
"""A password for a URL; the local PostgreSQL trusts its connections, so any password connects."""


def test_a_store_url_is_printed_without_its_password(attain: Cli, postgres_url: str) -> None:
    """On PostgreSQL with a password in the URL, the notes and `db upgrade` show `***` in its place."""
    url = make_url(postgres_url).set(password=PASSWORD).render_as_string(hide_password=False)
    secret = attain.with_env(ATTAIN_DATABASE_URL=url)
    # Processes of their own: the CLI leaves its connections to the process's end, as a command does.
    listed = secret.process("agreements")
    upgraded = secret.process("db", "upgrade")
    assert (listed.returncode, upgraded.returncode) == (0, 0)
    printed = listed.stderr + upgraded.stdout
    assert printed.startswith("created a new store at postgresql+psycopg://postgres:***@127.0.0.1:5432/")
    assert "no agreements in the store at postgresql+psycopg://postgres:***@" in printed
    assert PASSWORD not in printed


def test_apply_stores_versions_and_refuses_a_backdated_one(attain: Cli, tmp_path: Path) -> None:
    """`apply` stores a new agreement, leaves the same one as is, adds a later version and refuses an earlier one."""
    first = attain("apply", agreement_file(tmp_path, "v1.yaml"))
    created = f"created a new store at sqlite:///{attain.data_dir}/attain.db ({ANOTHER})\n"
    assert (first.returncode, first.stdout, first.stderr) == (0, f"{NAME}: stored as version 1\n", created)
    same = attain("apply", agreement_file(tmp_path / "copy", "same.yaml"))
    assert (same.returncode, same.stdout) == (0, f"{NAME}: unchanged, version 1\n")
    later = attain("apply", agreement_file(tmp_path, "v2.yaml", **LATER))
    assert (later.returncode, later.stdout) == (0, f"{NAME}: stored as version 2\n")

    backdated = attain("apply", agreement_file(tmp_path, "backdated.yaml", **BACKDATED))
    assert backdated.returncode == 2
    assert backdated.stdout == ""
    assert "spec.effective.from" in backdated.stderr
    assert "takes effect on 2026-12-01, on or before version 2 (2027-02-01)" in backdated.stderr
    assert "give it an effective date after 2027-02-01" in backdated.stderr
    assert "Traceback" not in backdated.stderr
    assert [(v.version, v.effective_from.isoformat()) for v in stored(attain).versions(NAME)] == [
        (1, "2027-01-01"),
        (2, "2027-02-01"),
    ]


CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance" / "data"
OPENSLO_SLO = CONFORMANCE / "openslo" / "spec-examples" / "v1" / "budgeting-method" / "occurences-slo.yaml"
SLO_HINT = (
    "an agreement's objective may say `openslo: <SLO name>`; apply an agreement that references it together with "
    "this file"
)


def spec_hint(path: object) -> str:
    """The hint for a Sloth or Pyrra spec applied alone: `attain import` drafts an agreement from it."""
    return f"`attain import {path} --out agreement.yaml` drafts an attain/v1 Agreement from it, to validate or apply"


def slo_hint(path: object) -> str:
    """The hint for an OpenSLO SLO applied with no agreement: import it, or reference it from one."""
    return f"`attain import {path} --out agreement.yaml` drafts an agreement from it; or {SLO_HINT}"


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            OPENSLO_SLO,
            "2:1: (document): holds OpenSLO SLO 'search-slo' and no attain/v1 Agreement, so there is nothing to "
            "store; {slo_hint}",
        ),
        (
            CONFORMANCE / "sloth" / "examples" / "getting-started.yml",
            "1:10: version: a Sloth spec, not an attain/v1 Agreement or OpenSLO object; `attain rules` reads Sloth "
            "specs; {spec_hint}",
        ),
        (
            CONFORMANCE / "pyrra" / "kubernetes-slos" / "slo-coredns-response-errors.yaml",
            "1:13: apiVersion: a Pyrra spec, not an attain/v1 Agreement or OpenSLO object; {spec_hint}",
        ),
    ],
    ids=["openslo-slo", "sloth-spec", "pyrra-spec"],
)
def test_apply_refuses_a_file_without_an_agreement(
    attain: Cli, tmp_path: Path, source: Path, expected: str, output: str
) -> None:
    """`apply` of an OpenSLO SLO, a Sloth or a Pyrra spec alone exits 2, says what the file is and stores nothing."""
    path = tmp_path / source.name
    shutil.copy(source, path)
    assert attain("db", "upgrade").returncode == 0  # the store exists: stderr holds only the refusal
    done = attain("apply", path, "--output", output)
    message = expected.format(slo_hint=slo_hint(path), spec_hint=spec_hint(path))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"{path}:{message}\n")
    assert stored(attain).agreements() == []


def test_apply_takes_an_openslo_file_only_with_an_agreement_that_references_it(attain: Cli, tmp_path: Path) -> None:
    """An SLO file is applied beside the agreement that references it; an unreferenced one beside it refuses all."""
    agreement = tmp_path / "shop.yaml"
    text = agreement_file(tmp_path, "v1.yaml").read_text(encoding="utf-8")
    agreement.write_text(text.replace("  objectives:\n", "  objectives:\n    - openslo: search-slo\n", 1), "utf-8")
    slo = tmp_path / "slo.yaml"
    shutil.copy(OPENSLO_SLO, slo)
    other = tmp_path / "other.yaml"
    other.write_text(OPENSLO_SLO.read_text(encoding="utf-8").replace("search-slo", "cart-slo"), encoding="utf-8")

    assert attain("db", "upgrade").returncode == 0  # the store exists: stderr holds only the refusal
    refused = attain("apply", agreement, slo, other)
    problem = f"holds OpenSLO SLO 'cart-slo', which no agreement applied with it references; {SLO_HINT}"
    assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", f"{other}:2:1: (document): {problem}\n")
    assert stored(attain).agreements() == []

    done = attain("apply", agreement, slo, "--output", "json")
    assert (done.returncode, json.loads(done.stdout)) == (0, [{"agreement": NAME, "version": 1, "created": True}])
    [version] = stored(attain).versions(NAME)
    assert "name: search-slo" in version.document


def test_agreements_lists_the_latest_version_as_text_and_json(attain: Cli, tmp_path: Path) -> None:
    """`agreements` lists each agreement's latest version, status and effective date, as text and as JSON."""
    attain("apply", agreement_file(tmp_path, "v1.yaml"))
    attain("apply", agreement_file(tmp_path, "v2.yaml", **LATER))
    text = attain("agreements")
    assert text.returncode == 0
    assert text.stdout.split() == [NAME, "v2", "draft", "from", "2027-02-01"]
    as_json = attain("agreements", "--output", "json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == [
        {"agreement": NAME, "version": 2, "status": "draft", "effectiveFrom": "2027-02-01"}
    ]


def test_show_prints_yaml_that_parses_back_to_each_version(attain: Cli, tmp_path: Path) -> None:
    """`show` prints the latest version as YAML that parses back to the applied agreement; `--version 1` the first."""
    v1 = agreement_file(tmp_path, "v1.yaml")
    v2 = agreement_file(tmp_path, "v2.yaml", **LATER)
    attain("apply", v1)
    attain("apply", v2)

    def parsed(text: str, file: str) -> Agreement:
        return parse_agreement(read_text(text, file)[0])

    latest = attain("show", NAME)
    assert (latest.returncode, latest.stderr) == (0, "")
    assert parsed(latest.stdout, "shown") == parsed(v2.read_text(encoding="utf-8"), str(v2))
    first = attain("show", NAME, "--version", "1")
    assert first.returncode == 0
    shown = parsed(first.stdout, "shown v1")
    assert shown == parsed(v1.read_text(encoding="utf-8"), str(v1))
    assert str(shown.spec.effective.from_) == "2027-01-01"
    missing = attain("show", NAME, "--version", "7")
    assert missing.returncode == 2
    assert "has no version 7 (stored versions: 1, 2)" in missing.stderr


def test_ingest_prints_a_summary_and_refuses_a_bad_file(attain: Cli, tmp_path: Path) -> None:
    """`ingest` exits 0 with a summary (nothing new the second time); a bad row exits 2 with FILE:LINE."""
    attain("apply", agreement_file(tmp_path, "v1.yaml"))
    path = requests_file(tmp_path / "requests.csv", REQUESTS)
    done = attain("ingest", path, "--agreement", NAME)
    assert (done.returncode, done.stderr) == (0, "")
    # The transient progress bar leaves an empty line before the summary when stdout is not a terminal.
    assert done.stdout.strip() == f"{path}: 12 rows into {NAME}/requests: 1 batch(es) stored, 0 already there"
    again = attain("ingest", path, "--agreement", NAME)
    assert again.stdout.strip() == f"{path}: 12 rows into {NAME}/requests: 0 batch(es) stored, 1 already there"

    bad = requests_file(tmp_path / "bad" / "requests.csv", [REQUESTS[0], ("2027-01-09T10:00:00", "2xx", "1", "false")])
    refused = attain("ingest", bad, "--agreement", NAME)
    assert refused.returncode == 2
    assert refused.stdout.strip() == ""
    assert refused.stderr.startswith(f"{bad}:3:")
    assert "timestamp: not an instant with an offset: '2027-01-09T10:00:00'" in refused.stderr
    assert len(stored(attain).ledger()) == 1


def test_status_reports_objectives_periods_and_budget_as_json(ingested: Cli) -> None:
    """`status --at` exits 0 and its JSON gives each objective's periods with the budget worked out by hand."""
    text = ingested("status", "--at", "2027-01-20T00:00:00Z")
    assert (text.returncode, text.stderr) == (0, "")
    assert NAME in text.stdout
    done = ingested("status", "--at", "2027-01-20T00:00:00Z", "--output", "json")
    assert (done.returncode, done.stderr) == (0, "")
    (document,) = json.loads(done.stdout)
    assert (document["agreement"], document["at"], document["adjustments"]) == (NAME, "2027-01-20T00:00:00Z", 0)
    objectives = {o["objective"]: o for o in document["objectives"]}
    assert set(objectives) == {"latency", "availability"}
    for objective in objectives.values():
        assert objective["periods"]
        assert {"period", "status", "good", "valid", "ratio", "budget"} <= set(objective["periods"][-1])
    (month,) = objectives["availability"]["periods"]
    # Up to 20 January: 7 valid requests (the rate-limited one is not), 5 good (5xx and timeout fail).
    assert (month["period"], month["closed"], month["good"], month["valid"]) == ("2027-01", False, "5", "7")
    # Budget: 0.1% of 7 requests = 0.007 allowed, 2 consumed.
    assert month["budget"] == {"unit": "events", "allowed": "0.007", "consumed": "2", "remaining": "-1.993"}
    (window,) = objectives["latency"]["periods"]
    # Latency under 5 s: 100, 200, 300, 100 and 100 ms are; 6000 ms and the missing latency are not.
    assert (window["good"], window["valid"]) == ("5", "7")


def test_evaluate_period_stores_results_and_a_rerun_is_a_no_op(ingested: Cli) -> None:
    """`evaluate NAME --period 2027-01` stores January's breached result and exits 3; a rerun changes nothing."""
    args = ("evaluate", NAME, "--period", "2027-01", "--at", "2027-02-02T00:00:00Z")
    first = ingested(*args)
    assert (first.returncode, first.stderr) == (3, "")
    assert first.stdout == f"{NAME} availability 2027-01: breached (stored)\n"
    (result,) = stored(ingested).results(NAME)
    # January: 10 valid requests, 8 good (one 5xx, one timeout).
    assert (result.objective, result.period, result.status) == ("availability", "2027-01", "breached")
    assert (result.good, result.valid, result.ratio) == (8, 10, Decimal("0.8"))

    again = ingested(*args)
    assert (again.returncode, again.stdout, again.stderr) == (3, first.stdout, "")
    assert stored(ingested).results(NAME) == [result]
