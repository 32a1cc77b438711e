"""Measurement files: CSV and JSON Lines, one file per stream, read into engine measurements.

For an agreement, `read_measurements(agreement, directory)` reads `DIR/<stream>.csv` or
`DIR/<stream>.jsonl` for each objective's stream (the indicator's `events`, or by default
`incidents`, `probes` or `cases` for those kinds and the objective's name otherwise), plus
`DIR/announcements.csv|jsonl` when present. Columns:

| stream of | required columns | optional |
|---|---|---|
| events (ratio, threshold, statistic, freshness, probes) | `timestamp` | the value column; others: attributes |
| incidents | `start` | `end` (empty: still open); other columns are attributes |
| case events | `case`, `type`, `timestamp` | other columns are attributes (e.g. `priority`) |
| announcements | `start`, `end`, `kind`, `announcedAt` | `objectives` (names separated by spaces) |

Instants are ISO 8601 with an offset (`2026-03-01T09:30:00+08:00` or `...Z`). A value is an
exact decimal; an empty value is no value. A bad row is reported as `FILE:LINE: column: problem`
and nothing is read from that file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attain.engine.instant import to_us
from attain.engine.measurement import Announcement, CaseEvent, Event, EventTable, Incident, Measurements
from attain.engine.stream import stream_name
from attain.errors import InvalidInput, Problem
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    CaseIndicator,
    ExclusionKind,
    StatisticIndicator,
    ThresholdIndicator,
)
from attain.model.quantity import parse_datetime


def read_measurements(agreement: Agreement, directory: Path) -> Measurements:
    """Read every stream the agreement's objectives need from `directory`."""
    events: dict[str, EventTable] = {}
    incidents: dict[str, list[Incident]] = {}
    cases: dict[str, list[CaseEvent]] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    for objective in agreement.objectives:
        name = stream_name(objective)
        indicator = objective.indicator
        try:
            if name in seen:
                continue
            seen.add(name)
            if isinstance(indicator, AvailabilityIndicator) and indicator.from_ is AvailabilitySource.INCIDENTS:
                incidents[name] = [_incident(r) for r in _rows(directory, name)]
            elif isinstance(indicator, CaseIndicator):
                cases[name] = [_case_event(r) for r in _rows(directory, name)]
            else:
                value = indicator.value if isinstance(indicator, ThresholdIndicator | StatisticIndicator) else "value"
                events[name] = EventTable.from_events([_event(r, value) for r in _rows(directory, name)])
        except InvalidInput as error:
            problems.extend(error.problems)
    announcements = _announcements(directory, problems)
    if problems:
        raise InvalidInput(problems)
    return Measurements(events, incidents, cases, announcements)


def _announcements(directory: Path, problems: list[Problem]) -> list[Announcement]:
    if not any((directory / f"announcements{s}").exists() for s in (".csv", ".jsonl")):
        return []
    try:
        return [_announcement(r) for r in _rows(directory, "announcements")]
    except InvalidInput as error:
        problems.extend(error.problems)
        return []


def _rows(directory: Path, stream: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Rows of `DIR/<stream>.csv` or `.jsonl` as (file, line, mapping)."""
    for suffix in (".csv", ".jsonl"):
        path = directory / f"{stream}{suffix}"
        if path.exists():
            yield from (_csv(path) if suffix == ".csv" else _jsonl(path))
            return
    raise InvalidInput(
        [
            Problem(
                str(directory),
                None,
                None,
                stream,
                f"no measurements for stream {stream!r}",
                f"add {directory / (stream + '.csv')} or {directory / (stream + '.jsonl')}",
            )
        ]
    )


def _csv(path: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield str(path), reader.line_num, {k: v for k, v in row.items() if k is not None}


def _jsonl(path: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as error:
                raise _bad(str(path), number, "", f"not JSON: {error.msg}", "write one JSON object per line") from None
            if not isinstance(data, dict):
                raise _bad(str(path), number, "", "not a JSON object", "write one JSON object per line")
            yield str(path), number, data


def _bad(file: str, line: int, column: str, message: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem(file, line, None, column, message, hint)])


def _instant(row: tuple[str, int, dict[str, Any]], column: str, *, required: bool = True) -> int | None:
    file, line, data = row
    raw = data.get(column)
    if raw in (None, ""):
        if required:
            raise _bad(file, line, column, "is missing", f"give {column} as ISO 8601 with an offset")
        return None
    try:
        return to_us(parse_datetime(str(raw)))
    except ValueError as error:
        hint = "write ISO 8601 with an offset, e.g. 2026-03-01T09:30:00+08:00"
        raise _bad(file, line, column, f"not an instant with an offset: {raw!r}", hint) from error


def _decimal(row: tuple[str, int, dict[str, Any]], column: str) -> Decimal | None:
    file, line, data = row
    raw = data.get(column)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise _bad(file, line, column, f"expected a number, got {raw}", "write a number such as 2.5")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _bad(file, line, column, f"expected a number, got {raw!r}", "write a number such as 2.5") from None
    if not value.is_finite():
        raise _bad(file, line, column, f"expected a finite number, got {raw!r}", "write a number such as 2.5")
    return value


def _attributes(data: dict[str, Any], *used: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in used and v not in (None, "")}


def _event(row: tuple[str, int, dict[str, Any]], value: str) -> Event:
    at = _instant(row, "timestamp")
    assert at is not None
    return Event(at, _decimal(row, value), _attributes(row[2], "timestamp", value))


def _incident(row: tuple[str, int, dict[str, Any]]) -> Incident:
    start = _instant(row, "start")
    end = _instant(row, "end", required=False)
    assert start is not None
    if end is not None and end < start:
        raise _bad(row[0], row[1], "end", "ends before it starts", "check start and end")
    return Incident(start, end, _attributes(row[2], "start", "end"))


def _case_event(row: tuple[str, int, dict[str, Any]]) -> CaseEvent:
    file, line, data = row
    for column in ("case", "type"):
        if data.get(column) in (None, ""):
            raise _bad(file, line, column, "is missing", f"give the {column} of every case event")
    at = _instant(row, "timestamp")
    assert at is not None
    return CaseEvent(str(data["case"]), str(data["type"]), at, _attributes(data, "case", "type", "timestamp"))


def _announcement(row: tuple[str, int, dict[str, Any]]) -> Announcement:
    file, line, data = row
    start, end, told = (_instant(row, c) for c in ("start", "end", "announcedAt"))
    assert start is not None
    assert end is not None
    assert told is not None
    try:
        kind = ExclusionKind(str(data.get("kind", "")))
    except ValueError:
        kinds = ", ".join(k.value for k in ExclusionKind)
        raise _bad(file, line, "kind", f"unknown kind {data.get('kind')!r}", f"use one of {kinds}") from None
    objectives = tuple(str(data.get("objectives") or "").split())
    return Announcement(start, end, kind, told, objectives)
