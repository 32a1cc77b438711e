"""The SQL push-down source: one aggregation query per objective and range, against PostgreSQL.

A table of one million events (fixed seed) is loaded into the local PostgreSQL with `COPY FROM
STDIN`, in a schema of this session's own, dropped afterwards. Expected per-minute counts are
computed independently: for all million rows with numpy from the generated arrays, and for one
hour of them (about 14,000 rows) through attain's file path (`ingest_file` into a SQLite store);
the file path is too slow to take all million rows within the suite's time budget.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import ProgrammingError

from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.ingestion.run import IngestOptions, ingest_file
from attain.services.store import apply_files
from attain.sources.sql.query import pull_counts, render_query
from attain.sources.sql.source import SqlSource, sql_source
from attain.storage import SqlStore, connect, upgrade
from cli_support import Cli
from postgres_support import POSTGRES_URL, own_schema

GOLDEN = Path(__file__).parent / "golden"

ROWS = 1_000_000
MINUTE = 60_000_000
HOUR = 60 * MINUTE
T0 = 1_798_761_600_000_000  # 2027-01-01T00:00:00Z in µs since the epoch
SPAN = 3 * 24 * HOUR
SERVICES = np.array(["checkout", "search"])
STATUSES = np.array([200, 201, 404, 500, 503])
NOW = 1_900_000_000_000_000


@dataclass(frozen=True)
class Events:
    """The generated events as arrays: instant (µs), service and HTTP status."""

    at: npt.NDArray[np.int64]
    service: npt.NDArray[np.str_]
    status: npt.NDArray[np.int64]


def generate() -> Events:
    """One million events over three days, plus rows on and just beside the range boundaries."""
    rng = np.random.default_rng(20270101)
    at = rng.integers(T0, T0 + SPAN, size=ROWS - 6, dtype=np.int64)
    edges = np.array([T0 - 1, T0, T0 + HOUR - 1, T0 + HOUR, T0 + SPAN - 1, T0 + SPAN], dtype=np.int64)
    return Events(
        at=np.concatenate([at, edges]),
        service=np.concatenate([SERVICES[rng.integers(0, 2, size=ROWS - 6)], np.full(6, "checkout")]),
        status=np.concatenate([STATUSES[rng.integers(0, 5, size=ROWS - 6)], np.full(6, 200)]),
    )


def expected(events: Events, start: int, end: int, bucket: int = MINUTE) -> tuple[np.ndarray, np.ndarray]:
    """(good, valid) per bucket of `[start, end)`, counted with numpy from the arrays."""
    chosen = (events.at >= start) & (events.at < end) & (events.service == "checkout")
    index = (events.at[chosen] - start) // bucket
    size = (end - start) // bucket
    valid = np.bincount(index, minlength=size)
    good = np.bincount(index[events.status[chosen] < 500], minlength=size)
    if bucket != MINUTE:  # counts sit on each bucket's first minute
        spread = np.zeros((size, bucket // MINUTE), dtype=np.int64)
        spread_good = spread.copy()
        spread[:, 0], spread_good[:, 0] = valid, good
        return spread_good.ravel(), spread.ravel()
    return good, valid


def iso(at: npt.NDArray[np.int64]) -> npt.NDArray[np.str_]:
    """ISO 8601 UTC text of instants in µs."""
    return np.char.add(np.datetime_as_string(at.astype("datetime64[us]")), "Z")


@pytest.fixture(scope="session")
def events() -> Events:
    """The session's generated events."""
    return generate()


@pytest.fixture(scope="session")
def schema() -> Iterator[str]:
    """A PostgreSQL schema of this session's own, dropped afterwards; fails when the server is down."""
    yield from own_schema("attain_sql")


@pytest.fixture(scope="session")
def pg(schema: str, events: Events) -> Iterator[Engine]:
    """An engine on the session schema whose table `events` holds the million rows."""
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (ts timestamptz NOT NULL, service text NOT NULL, status int NOT NULL)"))
    lines = "\n".join(
        f"{t},{s},{c}"
        for t, s, c in zip(iso(events.at).tolist(), events.service.tolist(), events.status.tolist(), strict=True)
    )
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor, cursor.copy("COPY events (ts, service, status) FROM STDIN (FORMAT csv)") as copy:
            copy.write(lines + "\n")
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE events"))
    yield engine
    engine.dispose()


def source(**changes: str) -> SqlSource:
    """The checkout source: valid where service is checkout, good where status < 500."""
    fields = {
        "url": POSTGRES_URL,
        "timestamp": "ts",
        "table": "events",
        "valid_where": "service = 'checkout'",
        "good_where": "status < 500",
    } | changes
    return SqlSource(**fields)


def test_million_rows_per_minute_counts_match_numpy(pg: Engine, events: Events) -> None:
    """Over three days of a million rows the pushed-down per-minute counts equal numpy's, boundaries included."""
    assert pg.connect().execute(text("SELECT count(*) FROM events")).scalar_one() == ROWS
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(), T0, T0 + SPAN)
    good, valid = expected(events, T0, T0 + SPAN)
    assert pulled.counts.first_minute == T0
    assert np.array_equal(pulled.counts.valid, valid)
    assert np.array_equal(pulled.counts.good, good)
    assert int(valid.sum()) > 400_000


def test_only_aggregated_rows_are_read(pg: Engine, events: Events) -> None:
    """The query returns one row per minute with valid events, never the events themselves."""
    start, end = T0 + HOUR, T0 + 2 * HOUR
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(), start, end)
    chosen = (events.at >= start) & (events.at < end) & (events.service == "checkout")
    assert pulled.rows_read == np.unique(events.at[chosen] // MINUTE).size == 60
    assert pulled.rows_read < int(chosen.sum())


def test_hourly_resolution_puts_each_hour_on_its_first_minute(pg: Engine, events: Events) -> None:
    """With hour resolution each hour's counts equal numpy's hourly sums and sit on the hour's first minute."""
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(), T0, T0 + 24 * HOUR, "hour")
    good, valid = expected(events, T0, T0 + 24 * HOUR, HOUR)
    assert pulled.rows_read == 24
    assert np.array_equal(pulled.counts.valid, valid)
    assert np.array_equal(pulled.counts.good, good)


def test_empty_minutes_count_zero(pg: Engine) -> None:
    """A range before any event gives all-zero counts and reads no rows, without an error."""
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(), T0 - 10 * MINUTE, T0 - 5 * MINUTE)
    assert pulled.rows_read == 0
    assert pulled.counts.valid.tolist() == [0] * 5
    assert pulled.counts.good.tolist() == [0] * 5


def test_subquery_and_bad_condition(pg: Engine, events: Events) -> None:
    """A `query` subquery with a `bad` condition counts what the table with the good condition counts."""
    sub = SqlSource(
        url=POSTGRES_URL,
        timestamp="ts",
        query="SELECT ts, status FROM events WHERE service = 'checkout'",
        bad_where="status >= 500",
    )
    with pg.connect() as conn:
        pulled = pull_counts(conn, sub, T0, T0 + 6 * HOUR)
    good, valid = expected(events, T0, T0 + 6 * HOUR)
    assert np.array_equal(pulled.counts.valid, valid)
    assert np.array_equal(pulled.counts.good, good)


AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: shop}}
spec:
  title: Shop
  parties: {{provider: {{name: P}}, customer: {{name: C}}}}
  purpose: x
  timeZone: UTC
  effective: {{from: 2026-01-01}}
  services: [{{name: web-shop}}]
  objectives:
    - name: checkout
      service: web-shop
      indicator:
        kind: ratio
        events: requests
{indicator}
      target: 99%
      window: {{calendar: month}}
"""

SQL_INDICATOR = """\
        valid: {{metric: {{type: SQL, spec: {{url: '{url}', schema: {schema}, table: events, timestamp: ts,
                 where: "service = 'checkout'"}}}}}}
        good: {{metric: {{type: SQL, spec: {{where: "status < 500"}}}}}}"""

FILE_INDICATOR = """\
        valid: {where: {service: checkout}}
        bad: {where: {status: [500, 503]}}"""


def test_one_hour_matches_the_file_path(pg: Engine, events: Events, tmp_path: Path) -> None:
    """For one hour, the pushed-down counts equal the buckets `ingest_file` stores from the same rows as CSV."""
    start, end = T0 + 5 * HOUR, T0 + 6 * HOUR
    inside = (events.at >= start) & (events.at < end)
    with (tmp_path / "requests.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "service", "status"])
        writer.writerows(zip(iso(events.at[inside]), events.service[inside], events.status[inside], strict=True))
    (tmp_path / "shop.yaml").write_text(AGREEMENT.format(indicator=FILE_INDICATOR))
    store = SqlStore(connect(f"sqlite:///{tmp_path}/attain.db"))
    upgrade(store._engine)
    apply_files(store, [tmp_path / "shop.yaml"], NOW)
    ingest_file(store, tmp_path / "requests.csv", "shop", NOW, IngestOptions())
    stored = {b.minute: (b.good, b.valid) for b in store.buckets("shop", "checkout", start, end)}
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(), start, end).counts
    pushed = {
        start + i * MINUTE: (int(g), int(v))
        for i, (g, v) in enumerate(zip(pulled.good, pulled.valid, strict=True))
        if v
    }
    assert pushed == stored
    assert len(stored) == 60


def test_objective_spec_becomes_a_source(schema: str) -> None:
    """The agreement's valid and good metric specs give url, schema, table, timestamp and both conditions."""
    text_ = AGREEMENT.format(indicator=SQL_INDICATOR.format(url=POSTGRES_URL, schema=schema))
    agreement = parse_agreement(read_text(text_, "shop.yaml")[0])
    assert sql_source(agreement.objectives[0]) == SqlSource(
        url=POSTGRES_URL,
        timestamp="ts",
        table="events",
        schema=schema,
        valid_where="service = 'checkout'",
        good_where="status < 500",
    )


DIALECTS = ["postgresql", "sqlite", "mysql", "duckdb", "clickhouse", "trino", "bigquery", "spark"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_sql(dialect: str) -> None:
    """The generated query for each dialect is exactly the reviewed text in tests/sources/sql/golden."""
    golden = (GOLDEN / f"{dialect}.sql").read_text()
    assert render_query(source(schema="shop"), dialect) + "\n" == golden


@pytest.mark.parametrize("dialect", ["postgresql", "bigquery", "spark"])
def test_hostile_names_are_quoted_in_text(dialect: str) -> None:
    """A table name carrying a statement stays inside one quoted identifier in every dialect."""
    hostile = 'events"; DROP TABLE canary; --'
    sql = render_query(source(table=hostile, timestamp="ts`) ; DROP"), dialect)
    quoted = {"postgresql": '"events""; DROP TABLE canary; --"', "bigquery": '`events"; DROP TABLE canary; --`'}
    quoted["spark"] = quoted["bigquery"]
    assert f"FROM {quoted[dialect]}" in sql
    assert sql.count("DROP TABLE canary") == sql.count(quoted[dialect])


def test_injection_in_names_is_not_executed(pg: Engine) -> None:
    """Hostile table and column names are quoted identifiers: the query fails to find them and runs nothing else."""
    with pg.begin() as conn:
        conn.execute(text("CREATE TABLE canary (x int)"))
    attempts = [
        source(table="events; DROP TABLE canary; --"),
        source(table='events" ; DROP TABLE canary; --'),
        source(timestamp='ts" FROM events; DROP TABLE canary; --'),
    ]
    for attempt in attempts:
        with pg.connect() as conn, pytest.raises(ProgrammingError, match="does not exist"):
            pull_counts(conn, attempt, T0, T0 + MINUTE)
    assert "canary" in inspect(pg).get_table_names()


def test_a_table_with_a_strange_name_is_read(pg: Engine) -> None:
    """A table whose name holds quotes and a semicolon is found and counted through its quoted name."""
    name = 'odd"; name'
    with pg.begin() as conn:
        conn.execute(text('CREATE TABLE "odd""; name" (ts timestamptz, service text, status int)'))
        conn.execute(text("INSERT INTO \"odd\"\"; name\" VALUES ('2027-01-01T00:00:30Z', 'checkout', 500)"))
    with pg.connect() as conn:
        pulled = pull_counts(conn, source(table=name), T0, T0 + MINUTE)
    assert (pulled.counts.valid.tolist(), pulled.counts.good.tolist(), pulled.rows_read) == ([1], [0], 1)


def test_pull_stores_exactly_once_and_refuses_overlap(
    attain: Cli, pg: Engine, events: Events, schema: str, tmp_path: Path
) -> None:
    """`attain pull` stores a range's buckets once, skips the same range again, and refuses an overlapping one."""
    assert pg is not None
    yaml = AGREEMENT.format(indicator=SQL_INDICATOR.format(url=POSTGRES_URL, schema=schema))
    (tmp_path / "shop.yaml").write_text(yaml)
    assert attain("apply", str(tmp_path / "shop.yaml")).returncode == 0
    window = ("--from", "2027-01-01T01:00:00Z", "--to", "2027-01-01T03:00:00Z")
    first = attain("pull", "shop", *window)
    again = attain("pull", "shop", *window)
    overlap = attain("pull", "shop", "--from", "2027-01-01T02:30:00Z", "--to", "2027-01-01T04:00:00Z")
    start, end = T0 + HOUR, T0 + 3 * HOUR
    good, valid = expected(events, start, end)
    key = f"sql:shop:checkout:{start}:{end}"
    assert first.returncode == 0, first.stderr
    assert f"{int(valid.sum())} valid, {int(good.sum())} good in 120 minute(s)" in first.stdout
    assert f"already pulled as {key}; nothing stored" in again.stdout
    assert overlap.returncode == 2
    assert "[2027-01-01T02:30:00Z, 2027-01-01T04:00:00Z) overlaps the earlier pull" in overlap.stderr
    assert f"[2027-01-01T01:00:00Z, 2027-01-01T03:00:00Z) (batch {key})" in overlap.stderr
    store = SqlStore(connect(f"sqlite:///{attain.data_dir}/attain.db"))
    buckets = store.buckets("shop", "checkout", start, end)
    assert [(b.minute, b.good, b.valid) for b in buckets] == [
        (start + i * MINUTE, int(g), int(v)) for i, (g, v) in enumerate(zip(good, valid, strict=True))
    ]
    assert [e.key for e in store.ledger("shop") if e.key.startswith("sql:")] == [key]
