"""The push-down query runs for real on DuckDB (embedded) and on Spark SQL (pyspark, local mode).

PostgreSQL has its own module (`test_query.py`); ClickHouse, Trino and BigQuery are golden-tested
there as text. Here one Parquet file of 200,000 events (fixed seed, rows on and beside the range
edges) is the table for both engines; expected counts come from numpy over the generated arrays.
DuckDB runs through SQLAlchemy (duckdb-engine, the `duckdb` extra), so `attain pull` itself runs
against it. Spark has no SQLAlchemy driver in local mode: the test runs `render_query`'s Spark text
with `spark.sql(text, args=...)` and reads its rows with `counts_of_rows`, as a Spark runner would.
Spark needs Java 17 (`scripts/system-packages` installs it); without `java` those tests skip.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, create_engine, text

from attain.ports import StoredResult
from attain.sources.sql.query import counts_of_rows, pull_counts, query_params, render_query
from attain.sources.sql.scan import counts_of_scan, plan_scans, render_scan
from attain.sources.sql.source import SqlSource
from attain.storage import SqlStore, connect
from cli_support import Cli

ROWS = 200_000
MINUTE = 60_000_000
HOUR = 60 * MINUTE
T0 = 1_798_761_600_000_000  # 2027-01-01T00:00:00Z in µs since the epoch
SPAN = 12 * HOUR


def generate() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.str_], npt.NDArray[np.int64]]:
    """Instants (µs), services and statuses: 200,000 events over twelve hours, six of them on the edges."""
    rng = np.random.default_rng(20270102)
    edges = np.array([T0 - 1, T0, T0 + HOUR - 1, T0 + HOUR, T0 + SPAN - 1, T0 + SPAN], dtype=np.int64)
    at = np.concatenate([rng.integers(T0, T0 + SPAN, size=ROWS - 6, dtype=np.int64), edges])
    service = np.array(["checkout", "search"])[rng.integers(0, 2, size=ROWS)]
    status = np.array([200, 201, 404, 500, 503])[rng.integers(0, 5, size=ROWS)]
    return at, service, status


AT, SERVICE, STATUS = generate()


def expected(start: int, end: int, bucket: int = MINUTE) -> tuple[list[int], list[int]]:
    """(good, valid) per minute of `[start, end)` from the arrays; hourly counts sit on the hour's first minute."""
    at = AT
    chosen = (at >= start) & (at < end) & (SERVICE == "checkout")
    index = (at[chosen] - start) // bucket
    size = (end - start) // bucket
    valid, good = np.bincount(index, minlength=size), np.bincount(index[STATUS[chosen] < 500], minlength=size)
    spread = bucket // MINUTE
    good_minutes, valid_minutes = np.zeros(size * spread, np.int64), np.zeros(size * spread, np.int64)
    good_minutes[::spread], valid_minutes[::spread] = good, valid
    return good_minutes.tolist(), valid_minutes.tolist()


def source(url: str = "unused") -> SqlSource:
    """Checkout events: valid where service is checkout, good where status < 500."""
    return SqlSource(url, "ts", table="events", valid_where="service = 'checkout'", good_where="status < 500")


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The events as Parquet with UTC instants, the table both engines read."""
    path = tmp_path_factory.mktemp("engines") / "events.parquet"
    table = pa.table(
        {"ts": pa.array(AT, pa.timestamp("us", tz="UTC")), "service": SERVICE.tolist(), "status": STATUS.tolist()}
    )
    pq.write_table(table, path)
    return path


@pytest.fixture(scope="module")
def duck(parquet: Path) -> Iterator[tuple[Engine, str]]:
    """A DuckDB database file whose table `events` holds the events, through SQLAlchemy; and its URL."""
    url = f"duckdb:///{parquet.with_name('events.duckdb')}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE events AS SELECT * FROM read_parquet('{parquet}')"))  # noqa: S608 - our path
    yield engine, url
    engine.dispose()


def test_duckdb_counts_every_minute_like_numpy(duck: tuple[Engine, str]) -> None:
    """On DuckDB the per-minute counts over twelve hours equal numpy's, the edge rows included or not as due."""
    engine, _ = duck
    with engine.connect() as conn:
        assert conn.execute(text("SELECT typeof(ts) FROM events LIMIT 1")).scalar_one() == "TIMESTAMP WITH TIME ZONE"
        pulled = pull_counts(conn, source(), T0, T0 + SPAN)
    good, valid = expected(T0, T0 + SPAN)
    assert (pulled.counts.good.tolist(), pulled.counts.valid.tolist()) == (good, valid)
    assert pulled.rows_read == 720  # one aggregated row per minute, never the ~100,000 events


def test_duckdb_hourly_resolution(duck: tuple[Engine, str]) -> None:
    """On DuckDB hour resolution returns twelve rows whose counts equal numpy's hourly sums."""
    engine, _ = duck
    with engine.connect() as conn:
        pulled = pull_counts(conn, source(), T0, T0 + SPAN, "hour")
    assert pulled.rows_read == 12
    assert (pulled.counts.good.tolist(), pulled.counts.valid.tolist()) == expected(T0, T0 + SPAN, HOUR)


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
        valid: {{metric: {{type: SQL, spec: {{url: '{url}', table: events, timestamp: ts,
                 where: "service = 'checkout'"}}}}}}
        good: {{metric: {{type: SQL, spec: {{where: "status < 500"}}}}}}
      target: 99%
      window: {{calendar: month}}
"""


def test_attain_pull_from_duckdb_stores_exactly_once(attain: Cli, duck: tuple[Engine, str], tmp_path: Path) -> None:
    """`attain pull` on a DuckDB source stores two hours' buckets once and stores nothing the second time."""
    engine, url = duck
    engine.dispose()  # DuckDB lets one process hold a file's write lock: the command opens its own engine
    (tmp_path / "shop.yaml").write_text(AGREEMENT.format(url=url))
    assert attain("apply", str(tmp_path / "shop.yaml")).returncode == 0
    window = ("--from", "2027-01-01T01:00:00Z", "--to", "2027-01-01T03:00:00Z", "--output", "json")
    first, again = attain("pull", "shop", *window), attain("pull", "shop", *window)
    assert first.returncode == 0, first.stderr
    start, end = T0 + HOUR, T0 + 3 * HOUR
    good, valid = expected(start, end)
    [done], [repeated] = json.loads(first.stdout), json.loads(again.stdout)
    assert (done["stored"], done["valid"], done["good"], done["rows_read"]) == (True, sum(valid), sum(good), 120)
    assert (repeated["stored"], repeated["key"]) == (False, f"sql:shop:checkout:{start}:{end}")
    store = SqlStore(connect(f"sqlite:///{attain.data_dir}/attain.db"))
    buckets = store.buckets("shop", "checkout", start, end)
    assert [(b.good, b.valid) for b in buckets] == list(zip(good, valid, strict=True))


def test_a_pull_into_a_period_already_judged_is_recorded_as_late_data(
    attain: Cli, duck: tuple[Engine, str], tmp_path: Path
) -> None:
    """Counts pulled into a closed period with a stored result are recorded as an adjustment, once; the result stays."""
    engine, url = duck
    engine.dispose()
    (tmp_path / "shop.yaml").write_text(AGREEMENT.format(url=url))
    assert attain("apply", str(tmp_path / "shop.yaml")).returncode == 0
    store = SqlStore(connect(f"sqlite:///{attain.data_dir}/attain.db"))
    january = StoredResult("shop", 1, "checkout", "2027-01", T0, T0 + 31 * 24 * HOUR, "met", None, None, None)
    store.save_results([january])
    window = ("--from", "2027-01-01T01:00:00Z", "--to", "2027-01-01T03:00:00Z", "--output", "json")
    first, again = attain("pull", "shop", *window), attain("pull", "shop", *window)
    assert first.returncode == 0, first.stderr
    _, valid = expected(T0 + HOUR, T0 + 3 * HOUR)
    key = f"sql:shop:checkout:{T0 + HOUR}:{T0 + 3 * HOUR}"
    assert [(d["stored"], d["adjustments"]) for d in json.loads(first.stdout)] == [(True, 1)]
    assert [(d["stored"], d["adjustments"]) for d in json.loads(again.stdout)] == [(False, 0)]
    [late] = store.adjustments("shop")
    assert (late.objective, late.period, late.batch, late.rows) == ("checkout", "2027-01", key, sum(valid))
    assert [r.status for r in store.results("shop")] == ["met"]
    # a range in a period with no stored result (December 2026 is before T0) records nothing
    before = ("--from", "2026-12-31T22:00:00Z", "--to", "2027-01-01T00:00:00Z", "--output", "json")
    [earlier] = json.loads(attain("pull", "shop", *before).stdout)
    assert (earlier["stored"], earlier["adjustments"]) == (True, 0)
    assert len(store.adjustments("shop")) == 1


@pytest.fixture(scope="module")
def spark(parquet: Path) -> Iterator[Any]:
    """A local Spark session (one core, no UI, UTC) with the events as the view `events`; skips without Java."""
    if shutil.which("java") is None:
        pytest.skip("Spark SQL needs a Java 17 runtime and `java` is not on PATH (scripts/system-packages installs it)")
    from pyspark.sql import SparkSession  # noqa: PLC0415 - only when Java is there

    session = (
        SparkSession.builder.master("local[1]")
        .appName("attain-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.read.parquet(str(parquet)).createOrReplaceTempView("events")
    yield session
    session.stop()


def spark_counts(session: Any, start: int, end: int, resolution: str = "minute") -> Any:
    """Run attain's Spark SQL text for `[start, end)` in the session and read its rows into counts."""
    sql = render_query(source(), "spark", resolution)
    params = query_params(start, end)
    rows = session.sql(sql, args={"start": params["start"], "end": params["end"]}).collect()
    return counts_of_rows([tuple(r) for r in rows], start, end, resolution)


def test_spark_sql_counts_every_minute_like_numpy(spark: Any) -> None:
    """The generated Spark SQL, run by Spark, gives numpy's per-minute counts over twelve hours."""
    pulled = spark_counts(spark, T0, T0 + SPAN)
    good, valid = expected(T0, T0 + SPAN)
    assert (pulled.counts.good.tolist(), pulled.counts.valid.tolist()) == (good, valid)
    assert pulled.rows_read == 720


def test_spark_sql_hourly_and_an_inner_range(spark: Any) -> None:
    """Spark's hourly counts equal numpy's; a one-hour range leaves out the rows on its edges as due."""
    hourly = spark_counts(spark, T0, T0 + SPAN, "hour")
    assert (hourly.counts.good.tolist(), hourly.counts.valid.tolist()) == expected(T0, T0 + SPAN, HOUR)
    inner = spark_counts(spark, T0 + HOUR, T0 + 2 * HOUR)
    assert (inner.counts.good.tolist(), inner.counts.valid.tolist()) == expected(T0 + HOUR, T0 + 2 * HOUR)


def test_spark_sql_scan_counts_each_objective_like_its_own_query(spark: Any) -> None:
    """Spark runs the grouped and the conditional scan texts; each objective's counts equal its own query's."""
    chosen = [
        SqlSource("unused", "ts", table="events", valid_where="service = 'checkout'", good_where="status < 500"),
        SqlSource("unused", "ts", table="events", valid_where="service = 'search'", bad_where="status >= 500"),
        SqlSource("unused", "ts", table="events", valid_where="service = 'checkout' AND status <> 201"),
        SqlSource("unused", "ts", table="events", good_where="status = 404"),
    ]
    start, end = T0 + HOUR, T0 + 3 * HOUR
    params = query_params(start, end)
    found = {}
    for scan in plan_scans(chosen):
        results = [
            [session_rows] for session_rows in (_spark_rows(spark, sql, params) for sql in render_scan(scan, "spark"))
        ]
        counted = counts_of_scan(scan, results, start, end)
        found |= dict(zip(scan.positions, counted.counts, strict=True))
    at, service, status = AT, SERVICE, STATUS
    inside = (at >= start) & (at < end)
    conditions = [
        (service == "checkout", status < 500),
        (service == "search", status < 500),
        ((service == "checkout") & (status != 201), np.ones(ROWS, dtype=bool)),
        (np.ones(ROWS, dtype=bool), status == 404),
    ]
    for position, (valid_if, good_if) in enumerate(conditions):
        index = (at[inside & valid_if] - start) // MINUTE
        valid = np.bincount(index, minlength=120).tolist()
        good = np.bincount((at[inside & valid_if & good_if] - start) // MINUTE, minlength=120).tolist()
        assert (found[position].counts.good.tolist(), found[position].counts.valid.tolist()) == (good, valid)


def _spark_rows(session: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.sql(sql, args={"start": params["start"], "end": params["end"]}).collect()]
