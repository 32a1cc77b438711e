"""Reading measurement files (CSV, JSON Lines, Parquet) with DuckDB into checked rows.

DuckDB parses the file into an Arrow table (CSV as text columns, so nothing is guessed); each row
is then checked and turned into an engine measurement. The columns are those of
`attain.sources.files` (`timestamp`, the value column, attributes; `start`/`end` for incidents;
`case`/`type`/`timestamp` for case events; `start`/`end`/`kind`/`announcedAt` for
announcements). Instants need an offset, unless a time zone is stated for naive ones. A row that
does not parse is reported with its file, row number (1 = the first data row) and reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from attain.engine.instant import to_us
from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.errors import InvalidInput, Problem
from attain.model import ExclusionKind

Measurement = Event | Incident | CaseEvent | Announcement
RowKind = str  # "events" | "incidents" | "cases" | "announcements"


class RowError(ValueError):
    """One row that does not parse: the column and the reason."""

    def __init__(self, column: str, reason: str) -> None:
        self.column = column
        super().__init__(reason)


@dataclass(frozen=True)
class BadRow:
    """A rejected row: its number (1 = first data row), its fields and why."""

    number: int
    fields: dict[str, Any]
    problem: Problem


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[Any, ...]], list[int] | None]:
    """Column names and rows of a CSV, JSON Lines or Parquet file.

    CSV and Parquet are parsed by DuckDB into Arrow (CSV as text, so nothing is guessed: `0.1`
    stays the decimal 0.1 and a timestamp keeps its offset). JSON Lines are read with Python's
    json module with decimals as `Decimal`, because DuckDB would read numbers as binary doubles.
    """
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _json_lines(path)
    import duckdb  # noqa: PLC0415 - loaded only when a CSV or Parquet file is read

    connection = duckdb.connect()
    if suffix == ".csv":
        relation = connection.read_csv(str(path), header=True, all_varchar=True)
    elif suffix == ".parquet":
        relation = connection.read_parquet(str(path))
    else:
        hint = "use .csv, .jsonl or .parquet"
        raise InvalidInput([Problem(str(path), None, None, "", f"unknown file type {suffix!r}", hint)])
    table = relation.to_arrow_table()
    names = list(table.column_names)
    columns = [table.column(name).to_pylist() for name in names]
    return names, iter(zip(*columns, strict=True)) if columns else iter(()), None


def _json_lines(path: Path) -> tuple[list[str], Iterator[tuple[Any, ...]], list[int] | None]:
    records = []
    lines = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as error:
                problem = Problem(str(path), number, error.colno, "", f"not JSON: {error.msg}", "one object per line")
                raise InvalidInput([problem]) from None
            if not isinstance(record, dict):
                raise InvalidInput([Problem(str(path), number, 1, "", "not a JSON object", "one object per line")])
            records.append(record)
            lines.append(number)
    names = sorted({key for record in records for key in record})
    return names, iter([tuple(record.get(name) for name in names) for record in records]), lines


def parse_instant(raw: Any, column: str, zone: ZoneInfo | None) -> int:
    """An instant from ISO 8601 text (or a datetime from Parquet/JSON), in µs."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str) and raw.strip():
        try:
            value = datetime.fromisoformat(raw.strip())
        except ValueError:
            raise RowError(column, f"not an ISO 8601 instant: {raw!r}") from None
    else:
        raise RowError(column, "is missing")
    if value.tzinfo is None:
        if zone is None:
            raise RowError(column, f"not an instant with an offset: {raw!r}")
        value = value.replace(tzinfo=zone)
    return to_us(value)


def parse_value(raw: Any, column: str) -> Decimal | None:
    """An exact decimal value; empty means no value; negative counts are the caller's business."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise RowError(column, f"expected a number, got {raw}")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise RowError(column, f"expected a number, got {raw!r}") from None
    if not value.is_finite():
        raise RowError(column, f"expected a finite number, got {raw!r}")
    return value


def _attributes(row: dict[str, Any], *used: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in used and v is not None and v != ""}


def row_parser(kind: RowKind, value_column: str, zone: ZoneInfo | None) -> Callable[[dict[str, Any]], Measurement]:
    """The function that turns one row (column → value) of this kind into a measurement."""

    def event(row: dict[str, Any]) -> Measurement:
        at = parse_instant(row.get("timestamp"), "timestamp", zone)
        return Event(at, parse_value(row.get(value_column), value_column), _attributes(row, "timestamp", value_column))

    def incident(row: dict[str, Any]) -> Measurement:
        start = parse_instant(row.get("start"), "start", zone)
        end = None if row.get("end") in (None, "") else parse_instant(row.get("end"), "end", zone)
        if end is not None and end < start:
            raise RowError("end", "ends before it starts")
        return Incident(start, end, _attributes(row, "start", "end"))

    def case(row: dict[str, Any]) -> Measurement:
        for column in ("case", "type"):
            if row.get(column) in (None, ""):
                raise RowError(column, "is missing")
        at = parse_instant(row.get("timestamp"), "timestamp", zone)
        return CaseEvent(str(row["case"]), str(row["type"]), at, _attributes(row, "case", "type", "timestamp"))

    def announcement(row: dict[str, Any]) -> Measurement:
        start, end, told = (parse_instant(row.get(c), c, zone) for c in ("start", "end", "announcedAt"))
        try:
            kind_ = ExclusionKind(str(row.get("kind", "")))
        except ValueError:
            raise RowError("kind", f"unknown kind {row.get('kind')!r}; use one of {', '.join(ExclusionKind)}") from None
        return Announcement(start, end, kind_, told, tuple(str(row.get("objectives") or "").split()))

    return {"events": event, "incidents": incident, "cases": case, "announcements": announcement}[kind]


def parse_rows(
    path: Path, kind: RowKind, value_column: str, zone: ZoneInfo | None
) -> tuple[list[Measurement], list[BadRow]]:
    """Every row of a file parsed: the measurements, and the rows that failed."""
    names, rows, lines = read_table(path)
    parse = row_parser(kind, value_column, zone)
    good: list[Measurement] = []
    bad: list[BadRow] = []
    for number, values in enumerate(rows, start=1):
        fields = dict(zip(names, values, strict=True))
        try:
            good.append(parse(fields))
        except RowError as error:
            line = lines[number - 1] if lines is not None else number + (path.suffix.lower() == ".csv")
            bad.append(
                BadRow(number, fields, Problem(str(path), line, None, error.column, str(error), row_hint(error.column)))
            )
    return good, bad


_ZONE = " (or name the zone of naive times with `attain ingest --time-zone`)"


def row_hint(column: str) -> str:
    """What a good value of a column looks like."""
    return {
        "timestamp": f"write ISO 8601 with an offset, e.g. 2026-03-01T09:30:00+08:00{_ZONE}",
        "start": f"write ISO 8601 with an offset{_ZONE}",
        "end": f"write ISO 8601 with an offset, or leave it empty while open{_ZONE}",
        "announcedAt": f"write ISO 8601 with an offset{_ZONE}",
    }.get(column, "see the column table in docs/semantics.md")
