"""One scan of a table for many objectives: the queries `attain pull` runs.

Objectives whose SQL sources read the same relation (same url, schema, table or query, and
timestamp column) are counted together, so the engine reads the table once, not once per
objective (`plan_scans`). Two forms:

- grouped, when every objective's `where` is `<column> = <literal>` on the same column (the
  common case, `service = 'checkout'`):

      SELECT <column>, <bucket>, count(*), sum(<good 1>), ... FROM <table>
      WHERE <range> AND <column> IN (<literals>) GROUP BY <column>, <bucket>

  with one `sum` per distinct good (or bad) condition; each returned value goes to the
  objectives whose literal equals it;
- conditional, otherwise, `MAX_OBJECTIVES` objectives per query at most:

      SELECT <bucket>, sum(CASE WHEN (<where k>) THEN 1 ELSE 0 END),
             sum(CASE WHEN (<where k>) THEN <good k> ELSE 0 END), ...
      FROM <table> WHERE <range> AND ((<where 1>) OR (<where 2>) ...) GROUP BY <bucket>

Both count for each objective exactly what `query.aggregation_query` counts for it alone: a row
is valid for objective k when `where k` is true (not false, not NULL), and good when it is valid
and its good condition is true (or its bad condition is not true). A row with NULL in the grouped
column is in no `IN` list, as it satisfies no `column = literal`.

A grouped value is matched to literals in Python, exactly for text and numbers. The engine's
equality may be looser (a case- or accent-insensitive collation, blank-padded CHAR, a text
column compared with a number): literals that such an equality could confuse are never grouped
in one query, and when the engine returns a value that equals no literal in Python, that scan's
objectives are counted again in the conditional form, whose equality is the engine's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, Select, case, func, literal_column, select, text
from sqlalchemy.engine import Dialect

from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import MinuteCounts
from attain.sources.sql.dialect import compile_dialect
from attain.sources.sql.query import (
    ONE,
    ZERO,
    PulledCounts,
    bucket_of,
    check_span,
    good_case,
    query_params,
    range_conditions,
    relation_of,
    step_seconds,
)
from attain.sources.sql.source import SqlSource

MAX_OBJECTIVES = 50
"""Objectives per conditional query at most (two sums each: at most 101 columns)."""

FETCH_ROWS = 100_000
"""Aggregated rows read from the engine at a time, so memory stays flat however many return."""

_EQUALITY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^'\\]|'')*'|-?[0-9]+)\s*")


@dataclass(frozen=True)
class Equality:
    """A `where` of the form `<column> = <literal>`: the column, the literal's SQL text and its value."""

    column: str
    literal: str
    value: str | int


def equality(where: str | None) -> Equality | None:
    """The `column = literal` that `where` is, if it is one (a bare column, a text or integer literal)."""
    found = _EQUALITY.fullmatch(where or "")
    if found is None:
        return None
    column, literal = found.groups()
    value: str | int = literal[1:-1].replace("''", "'") if literal.startswith("'") else int(literal)
    return Equality(column, literal, value)


@dataclass(frozen=True)
class Scan:
    """Sources of one relation counted by one query (or, conditional, one per `MAX_OBJECTIVES`).

    Attributes:
        sources: The sources, all of the same relation.
        positions: Each source's index in the list given to `plan_scans`.
        column: The grouped column (every source's `where` is `column = literal`); None: conditional.
    """

    sources: tuple[SqlSource, ...]
    positions: tuple[int, ...]
    column: str | None = None


@dataclass(frozen=True)
class ScanCounts:
    """What a scan counted: per source (in the scan's order) its counts, and the rows it read."""

    counts: tuple[PulledCounts, ...]
    rows_read: int
    """Aggregated rows that the scan's queries returned, for all its sources together."""
    form: str
    """`grouped` or `conditional`: how the counts were read (a grouped scan may fall back)."""


def relation_key(source: SqlSource) -> tuple[str | None, ...]:
    """What makes two sources read the same rows: url, schema, table or query, timestamp column."""
    return (source.url, source.schema, source.table, source.query, source.timestamp)


def plan_scans(sources: Sequence[SqlSource]) -> list[Scan]:
    """The scans that count `sources`: per relation, grouped where possible, the rest conditional.

    Each source is in exactly one scan; scans come in the order of their first source.
    """
    relations: dict[tuple[str | None, ...], list[int]] = {}
    for position, source in enumerate(sources):
        relations.setdefault(relation_key(source), []).append(position)
    scans: list[Scan] = []
    for positions in relations.values():
        by_column: dict[str, list[int]] = {}
        loose: dict[str, dict[object, str | int]] = {}
        rest: list[int] = []
        for position in positions:
            found = equality(sources[position].valid_where)
            if found is None or _confusable(loose.setdefault(found.column, {}), found.value):
                rest.append(position)
            else:
                by_column.setdefault(found.column, []).append(position)
        scans += [_scan(sources, chosen, column) for column, chosen in by_column.items()]
        scans += [_scan(sources, rest[i : i + MAX_OBJECTIVES]) for i in range(0, len(rest), MAX_OBJECTIVES)]
    return sorted(scans, key=lambda scan: scan.positions[0])


def _confusable(seen: dict[object, str | int], value: str | int) -> bool:
    """Whether a looser equality than Python's could equal `value` and another literal of the column.

    Records `value` when it is safe. Texts are compared without case, accents and trailing blanks;
    an integer and a text of its digits are confusable too.
    """
    key: object = value if isinstance(value, int) else _loose(value)
    alias = _loose(str(value)) if isinstance(value, int) else None
    for each in (key, alias):
        if each is not None and each in seen and seen[each] != value:
            return True
    seen[key] = value
    if alias is not None:
        seen[alias] = value
    return False


def _loose(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().rstrip().lstrip("0")


def _scan(sources: Sequence[SqlSource], positions: Sequence[int], column: str | None = None) -> Scan:
    return Scan(tuple(sources[p] for p in positions), tuple(positions), column)


def scan_queries(scan: Scan, dialect: str, resolution: str = "minute") -> list[Select[Any]]:
    """The scan's SELECT (grouped: one; conditional: one per `MAX_OBJECTIVES` sources), for `query_params`."""
    if scan.column is not None:
        return [_grouped_query(scan, scan.column, dialect, resolution)]
    chunks = [scan.sources[i : i + MAX_OBJECTIVES] for i in range(0, len(scan.sources), MAX_OBJECTIVES)]
    return [_conditional_query(chunk, dialect, resolution) for chunk in chunks]


def render_scan(scan: Scan, dialect: Dialect | str, resolution: str = "minute") -> list[str]:
    """The SQL text of the scan's queries for a dialect (an instance, or a name from `BUCKET_SQL`)."""
    chosen = compile_dialect(dialect) if isinstance(dialect, str) else dialect
    return [str(q.compile(dialect=chosen)) for q in scan_queries(scan, chosen.name, resolution)]


def _goods(sources: Iterable[SqlSource]) -> dict[tuple[str | None, str | None], SqlSource]:
    """One source per distinct (good, bad) condition pair, in first-seen order."""
    found: dict[tuple[str | None, str | None], SqlSource] = {}
    for source in sources:
        found.setdefault((source.good_where, source.bad_where), source)
    return found


def _grouped_query(scan: Scan, column: str, dialect: str, resolution: str) -> Select[Any]:
    relation = relation_of(scan.sources[0])
    ts = relation.c[scan.sources[0].timestamp]
    bucket = bucket_of(ts, step_seconds(resolution))
    literals = list(dict.fromkeys(_equality(s).literal for s in scan.sources))
    grouped: ColumnElement[Any] = literal_column(column)
    goods = [_sum_good(None, source) for source in _goods(scan.sources).values()]
    columns = [grouped.label("attain_group"), bucket.index.label("attain_bucket"), func.count().label("attain_valid")]
    columns += [good.label(f"attain_good_{i}") for i, good in enumerate(goods)]
    query = select(*columns).select_from(relation).where(*range_conditions(ts, dialect))
    return query.where(text(f"{column} IN ({', '.join(literals)})")).group_by(grouped, bucket.key)


def _conditional_query(sources: Sequence[SqlSource], dialect: str, resolution: str) -> Select[Any]:
    relation = relation_of(sources[0])
    ts = relation.c[sources[0].timestamp]
    bucket = bucket_of(ts, step_seconds(resolution))
    wheres = list(dict.fromkeys(s.valid_where for s in sources))
    goods = list(dict.fromkeys((s.valid_where, s.good_where, s.bad_where) for s in sources))
    columns: list[ColumnElement[Any]] = [bucket.index.label("attain_bucket")]
    columns += [_sum_valid(where).label(f"attain_valid_{i}") for i, where in enumerate(wheres)]
    columns += [
        _sum_good(where, SqlSource("", "", good_where=good, bad_where=bad)).label(f"attain_good_{i}")
        for i, (where, good, bad) in enumerate(goods)
    ]
    query = select(*columns).select_from(relation).where(*range_conditions(ts, dialect))
    if None not in wheres:
        query = query.where(text("(" + " OR ".join(f"({where})" for where in wheres) + ")"))
    return query.group_by(bucket.key)


def _sum_valid(where: str | None) -> ColumnElement[Any]:
    if where is None:
        return func.count()
    return func.sum(case((text(f"({where})"), ONE), else_=ZERO))


def _sum_good(where: str | None, source: SqlSource) -> ColumnElement[Any]:
    """The count of rows where `where` holds (every row when None) that are good by `source`'s condition."""
    good = good_case(source)
    if where is None:
        return func.count() if good is None else func.sum(good)
    return func.sum(case((text(f"({where})"), ONE if good is None else good), else_=ZERO))


def _equality(source: SqlSource) -> Equality:
    found = equality(source.valid_where)
    assert found is not None, "a grouped scan holds only `column = literal` sources"
    return found


def pull_scan(conn: Connection, scan: Scan, start: int, end: int, resolution: str = "minute") -> ScanCounts:
    """Run the scan's queries on `conn` for `[start, end)` and return each source's per-minute counts.

    With `hour` resolution each hour's counts sit on its first minute, as in `query.pull_counts`.

    Raises:
        ValueError: `start` or `end` is not on a whole bucket, or `end < start`.
    """
    check_span(start, end, resolution)
    queries = scan_queries(scan, conn.dialect.name, resolution)
    if conn.dialect.name == "postgresql":
        # The rows are read through a server-side cursor, which PostgreSQL plans for its first 10%
        # (an index scan per filter value and a sort); every row is read, so plan for all of them
        # (a sequential scan and a hash aggregate). For this transaction only.
        conn.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1")
    results = _fetch(conn, queries, query_params(start, end))
    try:
        return counts_of_scan(scan, results, start, end, resolution)
    except _Unmatched:
        return pull_scan(conn, Scan(scan.sources, scan.positions), start, end, resolution)
    finally:
        results.close()  # closes a result left half read


def _fetch(
    conn: Connection, queries: Sequence[Select[Any]], params: dict[str, Any]
) -> Generator[Iterator[Sequence[Sequence[Any]]]]:
    """Each query's rows in chunks of `FETCH_ROWS`, one query (and one open cursor) at a time."""
    for query in queries:
        # per statement: `Connection.execution_options` would set it on the caller's connection for good
        with conn.execute(query, params, execution_options={"yield_per": FETCH_ROWS}) as result:
            yield result.partitions()


class _Unmatched(Exception):
    """A grouped query returned a value that equals none of the scan's literals in Python."""


def counts_of_scan(
    scan: Scan,
    results: Iterable[Iterable[Sequence[Sequence[Any]]]],
    start: int,
    end: int,
    resolution: str = "minute",
) -> ScanCounts:
    """Per-source counts of `[start, end)` from the rows of the scan's queries (each an iterable of row chunks).

    `pull_scan` runs the queries through SQLAlchemy; a runner without a SQLAlchemy driver (Spark in
    local mode) runs `render_scan`'s texts itself and hands their rows here, one list per query.

    Raises:
        ValueError: `start` or `end` is not on a whole bucket, or `end < start`.
    """
    step_us = check_span(start, end, resolution)
    minutes = (end - start) // US_PER_MINUTE
    grid = _Grid(start, step_us, minutes)
    if scan.column is not None:
        return _grouped_counts(scan, next(iter(results)), grid)
    counts: list[PulledCounts] = []
    rows_read = 0
    for result, offset in zip(results, range(0, len(scan.sources), MAX_OBJECTIVES), strict=True):
        chunk = scan.sources[offset : offset + MAX_OBJECTIVES]
        wheres = list(dict.fromkeys(s.valid_where for s in chunk))
        goods = list(dict.fromkeys((s.valid_where, s.good_where, s.bad_where) for s in chunk))
        valid, good = grid.zeros(len(wheres)), grid.zeros(len(goods))
        for rows in result:
            columns = list(zip(*rows, strict=True))
            index = grid.index(columns[0]) if rows else np.zeros(0, dtype=np.int64)
            for i in range(len(wheres)):
                np.add.at(valid[i], index, _ints(columns[1 + i]))
            for i in range(len(goods)):
                np.add.at(good[i], index, _ints(columns[1 + len(wheres) + i]))
            rows_read += len(rows)
        for s in chunk:
            pair = (good[goods.index((s.valid_where, s.good_where, s.bad_where))], valid[wheres.index(s.valid_where)])
            counts.append(grid.counts(*pair))
    return ScanCounts(tuple(counts), rows_read, "conditional")


def _grouped_counts(scan: Scan, result: Iterable[Sequence[Sequence[Any]]], grid: _Grid) -> ScanCounts:
    values = list(dict.fromkeys(_equality(s).value for s in scan.sources))
    code_of = {value: code for code, value in enumerate(values)}
    goods = list(_goods(scan.sources))
    valid, good = grid.zeros(len(values)), [grid.zeros(len(values)) for _ in goods]
    rows_read = 0
    for rows in result:
        if not rows:
            continue
        columns = list(zip(*rows, strict=True))
        found = {value: _code(code_of, value) for value in set(columns[0])}
        codes = np.fromiter(map(found.__getitem__, columns[0]), np.int64, len(rows))
        index = grid.index(columns[1])
        np.add.at(valid, (codes, index), _ints(columns[2]))
        for j in range(len(goods)):
            np.add.at(good[j], (codes, index), _ints(columns[3 + j]))
        rows_read += len(rows)
    counts = []
    for s in scan.sources:
        code = code_of[_equality(s).value]
        counts.append(grid.counts(good[goods.index((s.good_where, s.bad_where))][code], valid[code]))
    return ScanCounts(tuple(counts), rows_read, "grouped")


def _code(code_of: dict[Any, int], value: object) -> int:
    """The index of the literal a grouped value equals; `_Unmatched` when none does in Python."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise _Unmatched
    code = code_of.get(value)  # a text never equals a number here: '7' != 7
    if code is None:
        raise _Unmatched
    return code


@dataclass(frozen=True)
class _Grid:
    """The minutes of `[start, start + minutes)` that bucket indexes of `step_us` fall on."""

    start: int
    step_us: int
    minutes: int

    def zeros(self, rows: int) -> npt.NDArray[np.int64]:
        return np.zeros((rows, self.minutes), dtype=np.int64)

    def index(self, buckets: Sequence[Any]) -> npt.NDArray[np.int64]:
        """The minute index of each bucket index.

        Raises:
            ValueError: a bucket lies outside the range (the query's range condition failed).
        """
        index = (_ints(buckets) * self.step_us - self.start) // US_PER_MINUTE
        if index.size and (int(index.min()) < 0 or int(index.max()) >= self.minutes):
            raise ValueError(f"a returned bucket lies outside the {self.minutes} minute(s) from {self.start} µs")
        return index

    def counts(self, good: npt.NDArray[np.int64], valid: npt.NDArray[np.int64]) -> PulledCounts:
        """One source's counts; the rows it read are the buckets where it has valid events."""
        return PulledCounts(MinuteCounts(self.start, good, valid), int(np.count_nonzero(valid)))


def _ints(values: Sequence[Any]) -> npt.NDArray[np.int64]:
    """A column of integer counts as int64 (drivers may return Decimal or float; a NULL sum counts 0)."""
    try:
        return np.array(values, dtype=np.int64)
    except TypeError:
        return np.fromiter((int(v or 0) for v in values), np.int64, len(values))
