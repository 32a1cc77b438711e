"""`attain status` and `attain summary` without typer print what they print through typer, on SQLite and PostgreSQL.

`attain.cli.start` reads a plain `status` or `summary` command line itself and `summary` reads a
current SQLite store through `attain.storage.reader` (`sqlite3` alone); everything else goes
through typer and the full `SqlStore`. Here the same command lines run both ways on the same
stores (two agreements, minute counts over ten days, several instants, text and JSON), and the
output is compared byte for byte; the command lines that must go to typer do.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from attain.cli.app import app
from attain.cli.start import plain_command
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, to_us
from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.lifecycle.versions import parse_version
from attain.model import Agreement, ExclusionKind
from attain.ports import Adjustment, AgreementVersion, Batch, CountBatch
from attain.services.store import apply_files
from attain.services.summary import summarize_stored, summary_data
from attain.services.summary_plan import cached_plans
from attain.storage import SqlStore, connect, upgrade
from attain.storage import reader as reader_module
from attain.storage.reader import SqliteReader, open_reader
from attain.storage.review import Review, SqlReviews
from attain.storage.revision import HEAD_REVISION
from attain.storage.schema import terminations
from attain.storage.standing_read import Ending
from attain.testing import agreement, ratio_objective
from cli_support import Cli

T0 = to_us(datetime(2026, 10, 20, tzinfo=UTC))
DAYS = 10
INSTANTS = ("2026-10-30T00:00:00Z", "2026-10-25T13:07:00Z", "2026-10-29T23:59:00Z", "2026-11-02T06:00:00Z")
"""The end of the data, a minute inside it (Berlin's clock change of the 25th), the last minute, after it."""
OBJECTIVES = {
    "shop": [
        ratio_objective("checkout", target="99%", window={"rolling": "7d"}, alerting="sre-workbook"),
        ratio_objective("search", target="99.5%", window={"rolling": "28d"}),
        ratio_objective("monthly", target="98%", window="month"),
        ratio_objective("answered", target="90%", window={"rolling": "7d"}, events="calls")
        | {"serviceHours": "office"},
    ],
    "desk": [ratio_objective("tickets", target="95%", window={"rolling": "1d"}, alerting="sre-workbook")],
}


def _fill(store: SqlStore, directory: Path) -> None:
    """Both agreements applied, minute counts of every objective over `DAYS` days from `T0`, and `RAW` rows.

    `desk` also has the raw rows of `RAW` (its announcements exclude time from its status), two
    reviews held and, from `ENDS_AT`, a termination.
    """
    for name, objectives in OBJECTIVES.items():
        document = agreement(
            name=name,
            objectives=objectives,
            time_zone="Europe/Berlin" if name == "shop" else None,
            effective_from="2026-10-01",
        )
        if name == "shop":
            document["spec"]["calendars"] = {
                "office": {"timeZone": "Europe/Berlin", "hours": {"mon-fri": ["08:00-18:00"]}}
            }
        path = directory / f"{name}.yaml"
        path.write_text(json.dumps(document), encoding="utf-8")
        apply_files(store, [path], T0)
        names = [o["name"] for o in objectives]
        minutes = np.arange(0, DAYS * US_PER_DAY // US_PER_MINUTE, 3, dtype=np.int64)
        for index, objective in enumerate(names):
            valid = 1 + (minutes + index) % 7
            bad = ((minutes % 97) == index) | ((minutes > minutes[-1] - 200) & (minutes % 5 == 0))
            batch = CountBatch(
                f"{name}:{objective}",
                name,
                "requests",
                "test",
                int(valid.sum()),
                names,
                np.full(minutes.size, index, dtype=np.int64),
                T0 + minutes * US_PER_MINUTE,
                valid - bad,
                valid,
            )
            assert store.store_counts(batch, T0)
    assert store.store_batch(RAW, T0)
    assert store.store_batch(Batch("shop:raw", "shop", "requests", "test", 1, events=RAW.events[:1]), T0)
    reviews = SqlReviews(store.engine)
    for held, people in ((date(2026, 10, 2), ("Ann", "Zoë")), (date(2026, 10, 21), ("Bo",))):
        reviews.record("desk", held, people, "kept as is", None, "tester", T0)
    with store.engine.begin() as conn:
        conn.execute(
            terminations.insert().values(
                agreement="desk",
                right_number=1,
                grants="terminate",
                exercised_at=T0,
                ends_at=ENDS_AT,
                actor="c",
                note=None,
            )
        )


ENDS_AT = T0 + 9 * US_PER_DAY + 7 * US_PER_MINUTE
"""When `desk` ends: before the last instants of `INSTANTS`, so that their status stops there."""
RAW = Batch(
    "desk:raw",
    "desk",
    "requests",
    "test",
    9,
    events=(
        Event(T0 + 5, Decimal("0.25"), {"route": "/a", "tags": ["x", 1], "deep": {"n": None}}),
        Event(T0 + 5, None, {}),
        Event(T0 + US_PER_DAY, Decimal("1E+3"), {"ok": True, "ms": 1.5}),
    ),
    incidents=(
        Incident(T0 + 60 * US_PER_MINUTE, T0 + 75 * US_PER_MINUTE, {"cause": "dns"}),
        Incident(T0 + 2 * US_PER_DAY, None, {}),
    ),
    case_events=(
        CaseEvent("c1", "open", T0 - US_PER_DAY, {"priority": "P1"}),
        CaseEvent("c1", "close", T0 + US_PER_MINUTE),
        CaseEvent("c2", "open", T0 + 3 * US_PER_DAY, {"priority": "P2", "n": 2}),
    ),
    announcements=(
        Announcement(T0 + US_PER_DAY, T0 + US_PER_DAY + 90 * US_PER_MINUTE, ExclusionKind.MAINTENANCE, T0 - US_PER_DAY),
        Announcement(T0 + 4 * US_PER_DAY, T0 + 5 * US_PER_DAY, ExclusionKind.FORCE_MAJEURE, T0, ("tickets",)),
    ),
    adjustments=(Adjustment("desk", "tickets", "2026-10-20", "desk:raw", 3, T0),),
)
"""Raw rows of every kind `status` reads, with JSON attributes and exact values (and none) to decode."""


@pytest.fixture(scope="module")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose SQLite store holds both agreements and their counts."""
    here = tmp_path_factory.mktemp("start")
    engine = connect(f"sqlite:///{here}/data/attain.db")
    upgrade(engine)
    _fill(SqlStore(engine), here)
    engine.dispose()
    return here


@pytest.fixture
def postgres_store(postgres_url: str, tmp_path: Path) -> str:
    """The PostgreSQL URL of a store holding the same agreements and counts."""
    engine = connect(postgres_url)
    upgrade(engine)
    _fill(SqlStore(engine), tmp_path)
    engine.dispose()
    return postgres_url


def _through_typer(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """`attain ARGS` run by typer (not the plain reader), its exit code and stdout."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args, env={"ATTAIN_DATABASE_URL": None, **env}, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


COMMAND_LINES = [
    [command, *names, "--at", at, *output]
    for at in INSTANTS
    for command, names in (("summary", ["shop"]), ("summary", ["desk"]), ("status", []), ("status", ["shop"]))
    for output in ([], ["--output", "json"])
]


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_plain_and_typer_print_the_same_on_sqlite(sqlite_dir: Path, args: list[str]) -> None:
    """On SQLite, every command line prints the same bytes without typer (reader for summary) as through it."""
    assert plain_command(args) is not None
    cli = Cli(sqlite_dir / "data", cwd=sqlite_dir)
    plain = cli(*args)
    assert plain.returncode == 0, plain.stderr
    assert (plain.returncode, plain.stdout) == _through_typer(
        args, {"ATTAIN_DATA_DIR": str(sqlite_dir / "data")}, sqlite_dir
    )


def test_plain_and_typer_print_the_same_on_postgresql(postgres_store: str, tmp_path: Path) -> None:
    """On PostgreSQL (no reader: the full store both ways), command lines print the same bytes both ways.

    As processes of their own (an in-process command leaves its engine's connections to the collector).
    """
    cli = Cli(tmp_path / "unused", cwd=tmp_path).with_env(ATTAIN_DATABASE_URL=postgres_store)
    for args in COMMAND_LINES[::3]:
        plain = cli.process(*args)
        assert plain.returncode == 0, plain.stderr
        typed = cli.process(*args, code=TYPER)
        assert (typed.returncode, typed.stdout, typed.stderr) == (0, plain.stdout, plain.stderr), args
    assert not (tmp_path / "unused").exists()


TYPER = "import sys; from attain.cli.app import main; sys.argv[0] = 'attain'; main()"
"""`attain ARGS` through typer, whatever the command line."""


def test_the_reader_answers_as_the_full_store_on_sqlite_and_postgresql(sqlite_dir: Path, postgres_store: str) -> None:
    """Versions, counts at every resolution and summaries read by the reader equal the SQLite and PostgreSQL stores'."""
    reader = open_reader(f"sqlite:///{sqlite_dir}/data/attain.db")
    assert isinstance(reader, SqliteReader)
    engines = [connect(f"sqlite:///{sqlite_dir}/data/attain.db"), connect(postgres_store)]
    try:
        for store in [SqlStore(e) for e in engines]:
            assert reader.agreements() == store.agreements()
            for name, objectives in OBJECTIVES.items():
                assert reader.versions(name) == store.versions(name)
                names = [o["name"] for o in objectives]
                for resolution in ("minute", "hour", "day"):
                    low, high = T0 + 3 * US_PER_DAY + 17 * US_PER_MINUTE, T0 + 8 * US_PER_DAY
                    mine, theirs = (
                        reader.count_rows(name, names, resolution, low, high),
                        store.count_rows(name, names, resolution, low, high),
                    )
                    assert all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True))
                    if resolution != "minute":  # Python integers, no numpy, for `summary`
                        assert all(type(c) is list and all(type(x) is int for x in c) for c in mine)
                    ends = [high, high - US_PER_DAY]
                    for (g1, v1), (g2, v2) in zip(
                        reader.count_sums(name, names, resolution, low, ends),
                        store.count_sums(name, names, resolution, low, ends),
                        strict=True,
                    ):
                        assert np.array_equal(g1, g2)
                        assert np.array_equal(v1, v2)
                        assert type(g1) is list
                        assert type(v1) is list
                for at in INSTANTS:
                    instant = to_us(datetime.fromisoformat(at))
                    assert summary_data(summarize_stored(reader, name, instant)) == summary_data(
                        summarize_stored(store, name, instant)
                    )
    finally:
        reader.close()
        for engine in engines:
            engine.dispose()


def test_a_summary_from_cached_plans_equals_one_from_the_agreement(sqlite_dir: Path, tmp_path: Path) -> None:
    """Summaries whose goals come from cached plans (a miss, then a hit) equal those from the parsed agreement.

    Both agreements: alert tiers, rolling windows of 1, 7 and 28 days, a calendar objective (not a
    goal) and a service-hours objective (summarized from minutes with the agreement).
    """
    reader = open_reader(f"sqlite:///{sqlite_dir}/data/attain.db")
    assert isinstance(reader, SqliteReader)
    parsed: list[str] = []

    def parse(version: AgreementVersion) -> Agreement:
        parsed.append(version.name)
        return parse_version(version)

    plans = cached_plans(tmp_path / "cache", parse)
    try:
        for name in OBJECTIVES:
            for at in INSTANTS:
                instant = to_us(datetime.fromisoformat(at))
                expected = summary_data(summarize_stored(reader, name, instant))
                assert summary_data(summarize_stored(reader, name, instant, parse=parse, plans=plans)) == expected
    finally:
        reader.close()
    # one parse per agreement for its plan, and one per summary of `shop` for its service-hours objective
    assert parsed.count("desk") == 1
    assert parsed.count("shop") == 1 + len(INSTANTS)
    assert len(list((tmp_path / "cache").glob("*.plan.json"))) == 2


def test_the_reader_reads_raw_rows_reviews_and_the_ending_as_stored(sqlite_dir: Path, postgres_store: str) -> None:
    """Events, incidents, case events, announcements, adjustments, reviews and the termination read back as stored.

    By the reader and by the full store on SQLite and PostgreSQL alike: JSON attributes and lists
    decoded, exact values as `Decimal` (or None), dates as `date`, in time order, one agreement's
    rows when named.
    """
    desk_events, shop_event = list(RAW.events), RAW.events[0]
    reader = open_reader(f"sqlite:///{sqlite_dir}/data/attain.db")
    assert isinstance(reader, SqliteReader)
    engines = [connect(f"sqlite:///{sqlite_dir}/data/attain.db"), connect(postgres_store)]
    end = T0 + DAYS * US_PER_DAY
    try:
        for store in [reader, *(SqlStore(e) for e in engines)]:
            assert store.events("requests", T0, end, "desk") == desk_events
            assert store.events("requests", T0, T0 + US_PER_DAY) == [*desk_events[:2], shop_event]
            assert store.events("requests", T0 + 6, end, "shop") == []
            incidents = list(RAW.incidents)
            assert store.incidents("requests", T0 + 70 * US_PER_MINUTE, end, "desk") == incidents
            assert store.incidents("requests", T0 + 75 * US_PER_MINUTE, end, "desk") == incidents[1:]
            assert store.incidents("requests", T0, end, "shop") == []
            cases = list(RAW.case_events)
            assert store.case_events("requests", T0, T0 + 2 * US_PER_DAY, "desk") == cases[:2]
            assert store.case_events("requests", T0 + 2 * US_PER_DAY, end) == cases[2:]
            assert store.announcements(T0, end, "desk") == list(RAW.announcements)
            assert store.announcements(T0 + 2 * US_PER_DAY, end) == list(RAW.announcements[1:])
            assert store.announcements(T0, end, "shop") == []
            assert store.adjustments("desk") == list(RAW.adjustments)
            assert store.adjustments("shop") == []
            assert store.ending("desk") == Ending("desk", 1, "terminate", T0, ENDS_AT, "c", None)
            assert store.ending("shop") is None
            assert store.reviews("desk") == [
                Review("desk", 1, date(2026, 10, 2), ("Ann", "Zoë"), "kept as is", None, "tester", T0),
                Review("desk", 2, date(2026, 10, 21), ("Bo",), "kept as is", None, "tester", T0),
            ]
            assert store.reviews("shop") == []
    finally:
        reader.close()
        for engine in engines:
            engine.dispose()


STATUS_LINES = [args for args in COMMAND_LINES if args[0] == "status"] + [
    ["status", "desk", "--at", at, *output] for at in INSTANTS for output in ([], ["-o", "json"])
]


@pytest.mark.parametrize("args", STATUS_LINES, ids=" ".join)
def test_status_through_the_reader_prints_what_the_full_store_prints(
    sqlite_dir: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a current SQLite store, `status` read through `sqlite3` prints the bytes the full `SqlStore` prints."""
    cli = Cli(sqlite_dir / "data", cwd=sqlite_dir)
    opened: list[object] = []

    def spied(url: str) -> SqliteReader | None:
        opened.append(open_reader(url))
        return opened[-1]  # type: ignore[return-value]

    monkeypatch.setattr(reader_module, "open_reader", spied)
    through_reader = cli(*args)
    assert through_reader.returncode == 0, through_reader.stderr
    assert len(opened) == 1
    assert isinstance(opened[0], SqliteReader)
    monkeypatch.setattr(reader_module, "open_reader", lambda _url: None)
    full = cli(*args)
    assert (full.returncode, full.stdout, full.stderr) == (0, through_reader.stdout, through_reader.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "shop", "desk", "--cases", "all", "-o", "json"],
        ["status", "--at=2026-10-30T00:00:00Z", "-ojson"],
        ["--unsafe-durability", "status", "shop"],
        ["summary", "shop", "--output=text", "--at", "now-ish"],
        ["summary", "--at", "2026-10-30T00:00:00Z", "shop"],
    ],
    ids=" ".join,
)
def test_plain_command_lines_run_without_typer(args: list[str]) -> None:
    """Arguments and the known options in any of click's spellings, with valid choices: read without typer."""
    assert plain_command(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["apply", "shop.yaml"],
        ["status", "--help"],
        ["summary", "--help"],
        ["summary"],
        ["summary", "shop", "desk"],
        ["summary", "shop.yaml", "--data", "requests.parquet"],
        ["summary", "shop", "--cases", "all"],
        ["status", "--cases", "every"],
        ["status", "--output", "JSON"],
        ["status", "-o=json"],
        ["status", "--at"],
        ["status", "--", "shop"],
        ["status", "-x"],
        ["status", "--a", "2026-10-30T00:00:00Z"],
        ["--unknown", "status"],
    ],
    ids=lambda a: " ".join(a) or "(none)",
)
def test_other_command_lines_go_to_typer(args: list[str]) -> None:
    """Help, --data, an unknown option or choice, a missing value or argument, `--`: typer reads them, as before."""
    assert plain_command(args) is None


def test_the_reader_refuses_to_write_and_leaves_no_journal_files(sqlite_dir: Path, tmp_path: Path) -> None:
    """The reader's connection cannot write, and once it (the last connection) closes no -wal or -shm is left."""
    with sqlite3.connect(sqlite_dir / "data" / "attain.db") as source, sqlite3.connect(tmp_path / "attain.db") as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    source.close()
    copy.close()
    reader = open_reader(f"sqlite:///{tmp_path}/attain.db")
    assert reader is not None
    assert [v.name for v in reader.agreements()] == ["desk", "shop"]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._driver.connection.execute("DELETE FROM buckets")
    reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attain.db"]


def test_the_reader_leaves_new_old_and_weak_stores_to_the_full_store(tmp_path: Path) -> None:
    """No file, a store behind the latest revision, a journal not in WAL, another database: None (the full path)."""
    assert open_reader(f"sqlite:///{tmp_path}/missing.db") is None
    assert not (tmp_path / "missing.db").exists()
    assert open_reader("postgresql://postgres@127.0.0.1/test") is None
    assert open_reader(f"sqlite:///{tmp_path}/x.db?mode=ro") is None
    path = tmp_path / "attain.db"
    engine = connect(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    reader = open_reader(f"sqlite:///{path}")
    assert reader is not None
    reader.close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0014'")
    raw.close()
    assert open_reader(f"sqlite:///{path}") is None
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (HEAD_REVISION,))
    assert raw.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)  # outside the transaction
    raw.close()
    assert open_reader(f"sqlite:///{path}") is None
