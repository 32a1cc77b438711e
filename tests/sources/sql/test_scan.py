"""One scan for many objectives counts, per objective, exactly what that objective's own query counts.

40,000 generated events (fixed seed) over six hours, with NULLs in every filter column, are loaded
into PostgreSQL (a schema of the session's own, `COPY`) and DuckDB (from Parquet). The objectives
overlap (`service = 'svc-1'` twice with different good conditions, `service = 'svc-3' AND region =
'eu'`, `region = 'eu'`, no filter at all), match nothing (`service = 'none'`), differ only in case
(`'SVC-2'`), compare a blank-padded CHAR column (PostgreSQL returns `'ab  '` for `'ab'`), and come
in more than `MAX_OBJECTIVES` conditional ones. Rows sit on and beside both ends of the range.
The per-objective form is checked against numpy in `test_query.py` and `test_engines.py`; here
the scans must equal it bucket for bucket, at minute and hour resolution.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Connection, Engine, create_engine, text

from attain.services.pull import pull
from attain.services.store import apply_files
from attain.sources.sql.query import pull_counts
from attain.sources.sql.scan import MAX_OBJECTIVES, equality, plan_scans, pull_scan, render_scan
from attain.sources.sql.source import SqlSource
from attain.storage import SqlStore, connect, upgrade
from postgres_support import own_schema, schema_url

GOLDEN = Path(__file__).parent / "golden"
ROWS = 40_000
MINUTE = 60_000_000
HOUR = 60 * MINUTE
T0 = 1_798_761_600_000_000  # 2027-01-01T00:00:00Z in µs since the epoch
START, END = T0 + HOUR, T0 + 5 * HOUR
NOW = 1_900_000_000_000_000


def generate() -> pa.Table:
    """Events over six hours with NULLs in service, region, tier and status, and rows at the range's edges."""
    rng = np.random.default_rng(20270103)
    edges = np.array([START - 1, START, START + 1, END - 1, END, END + 1], dtype=np.int64)
    at = np.concatenate([rng.integers(T0, T0 + 6 * HOUR, size=ROWS - edges.size, dtype=np.int64), edges])

    def pick(choices: list[object]) -> list[object]:
        return [choices[i] for i in rng.integers(0, len(choices), size=ROWS)]

    return pa.table(
        {
            "ts": pa.array(at, pa.timestamp("us", tz="UTC")),
            "service": pick(["svc-0", "svc-1", "svc-2", "SVC-2", "svc-3", "svc-4", None]),
            "region": pick(["eu", "us", None]),
            "tier": pick(["ab", "gold", None]),
            "shard": pa.array(pick([1, 2, 3, None]), pa.int64()),
            "status": pa.array(pick([200, 201, 404, 500, 503, None]), pa.int64()),
        }
    )


EVENTS = generate()

WHERES = [
    "service = 'svc-0'",
    "service = 'svc-1'",
    "service = 'svc-1'",
    "service = 'svc-2'",
    "service = 'SVC-2'",
    "service = 'none'",
    "service = 'svc-3' AND region = 'eu'",
    "region = 'eu'",
    "tier = 'ab'",
    "shard = 3",
    "shard = -1",
    None,
    "service IN ('svc-0', 'svc-4') OR region IS NULL",
]


def sources(url: str, table: str = "events") -> list[SqlSource]:
    """The objectives: the filters above with varied good and bad conditions, then 55 `status >= k`."""
    goods = ["status < 500", None, "status >= 500", "region = 'us'"]
    found = [
        SqlSource(url, "ts", table=table, valid_where=where, **_good(goods[i % len(goods)], bad=i % 5 == 2))
        for i, where in enumerate(WHERES)
    ]
    found += [
        SqlSource(url, "ts", table=table, valid_where=f"status >= {k * 10}", good_where="region = 'eu'")
        for k in range(MAX_OBJECTIVES + 5)
    ]
    return found


def _good(condition: str | None, *, bad: bool) -> dict[str, str | None]:
    return {"bad_where": condition} if bad else {"good_where": condition}


@pytest.fixture(scope="module")
def pg() -> Iterator[tuple[Engine, str]]:
    """A PostgreSQL schema whose `events` (tier a CHAR(4)) holds the events; its engine and URL."""
    for schema in own_schema("attain_scan"):
        url = schema_url(schema)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE TABLE events (ts timestamptz NOT NULL, service text, region text, tier char(4),"
                    " shard bigint, status int)"
                )
            )
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy("COPY events FROM STDIN") as copy:
                for row in zip(*(EVENTS[c].to_pylist() for c in EVENTS.column_names), strict=True):
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        yield engine, url
        engine.dispose()


@pytest.fixture(scope="module")
def duck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, str]]:
    """A DuckDB file whose `events` holds the events (through duckdb-engine); its engine and URL."""
    folder = tmp_path_factory.mktemp("scan")
    pq.write_table(EVENTS, folder / "events.parquet")
    url = f"duckdb:///{folder / 'events.duckdb'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE events AS SELECT * FROM read_parquet('{folder / 'events.parquet'}')"))  # noqa: S608
    yield engine, url
    engine.dispose()


def each_alone(conn: Connection, chosen: list[SqlSource], resolution: str) -> list[tuple[list[int], list[int], int]]:
    """Per source, (good, valid, rows read) from its own query."""
    found = []
    for source in chosen:
        counts = pull_counts(conn, source, START, END, resolution)
        found.append((counts.counts.good.tolist(), counts.counts.valid.tolist(), counts.rows_read))
    return found


def scanned(conn: Connection, chosen: list[SqlSource], resolution: str) -> list[tuple[list[int], list[int], int]]:
    """Per source, (good, valid, rows read) from the scans that `plan_scans` makes of all of them."""
    found: dict[int, tuple[list[int], list[int], int]] = {}
    for scan in plan_scans(chosen):
        result = pull_scan(conn, scan, START, END, resolution)
        for position, counts in zip(scan.positions, result.counts, strict=True):
            found[position] = (counts.counts.good.tolist(), counts.counts.valid.tolist(), counts.rows_read)
    return [found[i] for i in range(len(chosen))]


@pytest.mark.parametrize("resolution", ["minute", "hour"])
@pytest.mark.parametrize("engine", ["pg", "duck"])
def test_scans_equal_each_objective_alone(engine: str, resolution: str, request: pytest.FixtureRequest) -> None:
    """Every objective's counts from the shared scans equal its own query's, on PostgreSQL and DuckDB."""
    database, url = request.getfixturevalue(engine)
    chosen = sources(url)
    with database.connect() as conn:
        alone, together = each_alone(conn, chosen, resolution), scanned(conn, chosen, resolution)
    for source, one, many in zip(chosen, alone, together, strict=True):
        assert many == one, source
    assert sum(sum(valid) for _, valid, _ in alone[:5]) > 10_000
    assert sum(alone[5][1]) == sum(alone[10][1]) == 0  # 'none' and shard = -1 match nothing
    at = EVENTS["ts"].to_numpy().astype("datetime64[us]").astype(np.int64)
    assert sum(alone[11][1]) == int(((at >= START) & (at < END)).sum())  # no filter: every row in range


def test_the_scans_read_each_table_once_per_form() -> None:
    """The objectives of one table make one grouped scan per column and conditional scans of the rest."""
    chosen = [*sources("postgresql://x/y"), SqlSource("postgresql://x/y", "ts", table="other", valid_where="a = 1")]
    scans = plan_scans(chosen)
    # 'SVC-2' could equal 'svc-2' under a case-insensitive collation: counted conditionally
    assert [(s.column, len(s.sources)) for s in scans] == [
        ("service", 5),
        (None, MAX_OBJECTIVES),
        ("region", 1),
        ("tier", 1),
        ("shard", 2),
        (None, 4 + MAX_OBJECTIVES + 5 - MAX_OBJECTIVES),
        ("a", 1),
    ]
    assert sorted(p for s in scans for p in s.positions) == list(range(len(chosen)))
    assert scans[0].positions == (0, 1, 2, 3, 5)


def test_equality_reads_only_a_column_and_a_literal() -> None:
    """`column = literal` is recognised with text (quotes doubled) and integer literals, nothing else."""
    assert equality("service = 'it''s'") is not None
    assert equality("service = 'it''s'").value == "it's"  # type: ignore[union-attr]
    assert equality(" shard=-3 ").value == -3  # type: ignore[union-attr]
    for other in ["service = 'a' OR 1 = 1", "a = b", "\"service\" = 'a'", "service = 'a\\'", "f(x) = 1", None]:
        assert equality(other) is None, other


def test_the_char_column_falls_back_to_conditional_counts(pg: tuple[Engine, str]) -> None:
    """PostgreSQL returns blank-padded CHAR values, which equal no literal: the scan counts conditionally instead."""
    engine, url = pg
    tier = SqlSource(url, "ts", table="events", valid_where="tier = 'ab'", good_where="status < 500")
    [scan] = plan_scans([tier])
    assert scan.column == "tier"
    with engine.connect() as conn:
        result = pull_scan(conn, scan, START, END)
        alone = pull_counts(conn, tier, START, END)
    assert result.form == "conditional"
    assert result.counts[0].counts.valid.tolist() == alone.counts.valid.tolist()
    assert int(alone.counts.valid.sum()) > 3000


@pytest.mark.parametrize("dialect", ["postgresql", "duckdb", "clickhouse", "trino", "bigquery", "spark"])
def test_golden_scan_sql(dialect: str) -> None:
    """The grouped and the conditional scan for each dialect are exactly the reviewed text in golden/scan-*."""
    chosen = [
        SqlSource("u", "ts", table="events", schema="shop", valid_where=f"service = '{s}'", good_where="status < 500")
        for s in ("checkout", "search")
    ]
    chosen += [
        SqlSource("u", "ts", table="events", schema="shop", valid_where="service = 'checkout' AND region = 'eu'"),
        SqlSource(
            "u",
            "ts",
            table="events",
            schema="shop",
            valid_where="region = 'eu' OR region = 'us'",
            bad_where="status >= 500",
        ),
    ]
    grouped, conditional = plan_scans(chosen)
    rendered = ";\n".join(render_scan(grouped, dialect) + render_scan(conditional, dialect)) + "\n"
    assert rendered == (GOLDEN / f"scan-{dialect}.sql").read_text()


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
  services: [{{name: web}}]
  objectives:
{objectives}"""

OBJECTIVE = """\
    - name: {name}
      service: web
      indicator:
        kind: ratio
        events: requests
        valid: {{metric: {{type: SQL, spec: {{url: '{url}', table: events, timestamp: ts, where: "{where}"}}}}}}
        good: {{metric: {{type: SQL, spec: {{where: "status < 500"}}}}}}
      target: 99%
      window: {{calendar: month}}
"""


def test_pull_stores_each_objective_once_after_a_partial_pull(duck: tuple[Engine, str], tmp_path: Path) -> None:
    """After one objective was pulled alone, pulling all stores the others from one scan, each equal to its own query."""
    engine, url = duck
    wheres = {"a": "service = 'svc-0'", "b": "service = 'svc-1'", "c": "region = 'eu' AND status = 200"}
    objectives = "".join(OBJECTIVE.format(name=n, url=url, where=w) for n, w in wheres.items())
    (tmp_path / "shop.yaml").write_text(AGREEMENT.format(objectives=objectives))
    store = SqlStore(connect(f"sqlite:///{tmp_path}/attain.db"))
    upgrade(store._engine)
    apply_files(store, [tmp_path / "shop.yaml"], NOW)
    engine.dispose()
    first = pull(store, "shop", START, END, NOW, objective="b")
    both = pull(store, "shop", START, END, NOW)
    assert [(p.objective, p.stored) for p in first] == [("b", True)]
    assert [(p.objective, p.stored, p.scan) for p in both] == [("a", True, 0), ("b", False, None), ("c", True, 1)]
    with engine.connect() as conn:
        for name, where in wheres.items():
            alone = pull_counts(
                conn, SqlSource(url, "ts", table="events", valid_where=where, good_where="status < 500"), START, END
            )
            stored = {b.minute: (b.good, b.valid) for b in store.buckets("shop", name, START, END)}
            index = np.nonzero(alone.counts.valid)[0]
            assert stored == {
                START + int(i) * MINUTE: (int(alone.counts.good[i]), int(alone.counts.valid[i])) for i in index
            }
    keys = [e.key for e in store.ledger("shop")]
    assert sorted(keys) == [f"sql:shop:{n}:{START}:{END}" for n in ("a", "b", "c")]


def test_postgresql_plans_the_scan_for_all_its_rows_in_this_transaction_only(pg: tuple[Engine, str]) -> None:
    """The scan's transaction sets cursor_tuple_fraction to 1 (every row is read); the next transaction has the default."""
    engine, url = pg
    [scan] = plan_scans([SqlSource(url, "ts", table="events", valid_where="service = 'a'")])
    with engine.connect() as conn:
        default = conn.exec_driver_sql("SHOW cursor_tuple_fraction").scalar()
        conn.rollback()
        pull_scan(conn, scan, START, END)
        during = conn.exec_driver_sql("SHOW cursor_tuple_fraction").scalar()
        conn.rollback()
        after = conn.exec_driver_sql("SHOW cursor_tuple_fraction").scalar()
    assert (default, during, after) == ("0.1", "1", "0.1")
