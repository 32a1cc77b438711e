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
import re
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

    if suffix == ".csv":
        _check_header(path)
    connection = duckdb.connect()
    try:
        if suffix == ".csv":
            relation = connection.read_csv(str(path), header=True, all_varchar=True)
        elif suffix == ".parquet":
            relation = connection.read_parquet(str(path))
        else:
            hint = "use .csv, .jsonl or .parquet"
            raise InvalidInput([Problem(str(path), None, None, "", f"unknown file type {suffix!r}", hint)])
        table = relation.to_arrow_table()
    except duckdb.Error as error:
        raise InvalidInput([_unreadable(path, suffix, str(error))]) from None
    finally:
        connection.close()
    names = list(table.column_names)
    columns = [table.column(name).to_pylist() for name in names]
    return names, iter(zip(*columns, strict=True)) if columns else iter(()), None


MAX_COLUMNS = 256
"""The most columns a measurement file may have: a wider one is refused before it is parsed (a CSV
of 20,000 empty columns took DuckDB seconds of CPU)."""


def _check_header(path: Path) -> None:
    """Refuse a CSV whose header row (its first 1 MiB) has more than `MAX_COLUMNS` comma-separated columns."""
    with path.open("rb") as handle:
        head = handle.readline(1024 * 1024).decode("utf-8", errors="replace")
    columns = head.count(",") + 1  # an upper bound (a quoted comma counts too), never a parse that could fail
    if columns > MAX_COLUMNS:
        message = f"{columns} columns in the header; at most {MAX_COLUMNS} are read"
        raise InvalidInput([Problem(str(path), 1, None, "", message, "keep the columns the agreement uses")])


_DUCKDB_LINE = re.compile(r"\bLine: (\d+)")


def _unreadable(path: Path, suffix: str, message: str) -> Problem:
    """The problem of a file DuckDB cannot read: its first line of complaint, with the line when it names one."""
    line = _DUCKDB_LINE.search(message)
    first = message.strip().splitlines()[0] if message.strip() else "unreadable"
    hint = "save it as UTF-8 CSV with a header row" if suffix == ".csv" else "write it with a Parquet writer"
    return Problem(str(path), int(line.group(1)) if line else None, None, "", f"cannot be read: {first[:300]}", hint)


def _json_lines(path: Path) -> tuple[list[str], Iterator[tuple[Any, ...]], list[int] | None]:
    records = []
    lines = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            record = _json_record(path, number, raw)
            if record is None:
                continue
            records.append(record)
            lines.append(number)
    names = sorted({key for record in records for key in record})
    return names, iter([tuple(record.get(name) for name in names) for record in records]), lines


def _json_record(path: Path, number: int, raw: bytes) -> dict[str, Any] | None:
    """One JSON Lines record (None for a blank line); not UTF-8, not JSON, too deep or not an object: InvalidInput."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = Problem(str(path), number, error.start + 1, "", "not UTF-8 text", "save the file as UTF-8")
        raise InvalidInput([problem]) from None
    if not line.strip():
        return None
    try:
        record = json.loads(line, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        problem = Problem(str(path), number, error.colno, "", f"not JSON: {error.msg}", "one object per line")
        raise InvalidInput([problem]) from None
    except (ValueError, RecursionError) as error:  # NaN, a 5,000-digit integer, nesting too deep
        message = "nested too deeply" if isinstance(error, RecursionError) else str(error).split(";")[0][:200]
        problem = Problem(str(path), number, None, "", f"not usable JSON: {message}", "one flat object per line")
        raise InvalidInput([problem]) from None
    if not isinstance(record, dict):
        raise InvalidInput([Problem(str(path), number, 1, "", "not a JSON object", "one object per line")])
    return record


def _no_constant(name: str) -> Any:
    """Refuse JSON's non-standard NaN, Infinity and -Infinity (Python's json would take them)."""
    raise ValueError(f"{name} is not a JSON number")


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
