"""Measurement files: one file per stream, read into engine measurements without a store.

For an agreement, `read_measurements(agreement, directory)` reads `DIR/<stream>.csv`,
`DIR/<stream>.jsonl` or `DIR/<stream>.parquet` for each objective's stream (the indicator's
`events`, or by default `incidents`, `probes` or `cases` for those kinds and the objective's
name otherwise), plus `DIR/announcements.*` when present. The rows are parsed and checked by
`attain.ingestion.reader`, the same reader `attain ingest` uses, so the columns are the same:

| stream of | required columns | optional |
|---|---|---|
| events (ratio, threshold, statistic, freshness, probes) | `timestamp` | the value column; others: attributes |
| incidents | `start` | `end` (empty: still open); other columns are attributes |
| case events | `case`, `type`, `timestamp` | other columns are attributes (e.g. `priority`) |
| announcements | `start`, `end`, `kind`, `announcedAt` | `objectives` (names separated by spaces) |

Instants are ISO 8601 with an offset (`2026-03-01T09:30:00+08:00` or `...Z`). A value is an
exact decimal; an empty value is no value. Every bad row is reported as `FILE:LINE: column:
problem`, and nothing is evaluated while any remains.
"""

from __future__ import annotations

from pathlib import Path

from attain.engine.measurement import Announcement, CaseEvent, Event, EventTable, Incident, Measurements
from attain.errors import InvalidInput, Problem
from attain.ingestion.batches import ANNOUNCEMENTS
from attain.ingestion.reader import Measurement, parse_rows
from attain.model import Agreement, stream_name

SUFFIXES = (".csv", ".jsonl", ".parquet")


def read_measurements(agreement: Agreement, directory: Path) -> Measurements:
    """Read every stream the agreement's objectives need from `directory`."""
    events: dict[str, EventTable] = {}
    incidents: dict[str, list[Incident]] = {}
    cases: dict[str, list[CaseEvent]] = {}
    problems: list[Problem] = []
    for objective in agreement.objectives:
        name, kind = stream_name(objective), objective.indicator.rows
        if name in events or name in incidents or name in cases:
            continue
        rows = _read(directory, name, kind, objective.indicator.value_column or "value", problems)
        if kind == "incidents":
            incidents[name] = [r for r in rows if isinstance(r, Incident)]
        elif kind == "cases":
            cases[name] = [r for r in rows if isinstance(r, CaseEvent)]
        else:
            events[name] = EventTable.from_events([r for r in rows if isinstance(r, Event)])
    announcements: list[Announcement] = []
    if any((directory / f"{ANNOUNCEMENTS}{s}").exists() for s in SUFFIXES):
        rows = _read(directory, ANNOUNCEMENTS, ANNOUNCEMENTS, "value", problems)
        announcements = [r for r in rows if isinstance(r, Announcement)]
    if problems:
        raise InvalidInput(problems)
    return Measurements(events, incidents, cases, announcements)


def _read(directory: Path, stream: str, kind: str, value: str, problems: list[Problem]) -> list[Measurement]:
    """The rows of a stream's file; its problems (a missing file, bad rows) go to `problems`."""
    path = next((directory / f"{stream}{s}" for s in SUFFIXES if (directory / f"{stream}{s}").exists()), None)
    if path is None:
        hint = f"add {directory / (stream + '.csv')} or {directory / (stream + '.jsonl')}"
        problems.append(Problem(str(directory), None, None, stream, f"no measurements for stream {stream!r}", hint))
        return []
    try:
        rows, bad = parse_rows(path, kind, value, None)
    except InvalidInput as error:
        problems.extend(error.problems)
        return []
    problems.extend(b.problem for b in bad)
    return rows
