"""Ingesting measurement files into the store exactly once, on SQLite and on PostgreSQL alike.

The agreement is the api-latency template: objective `latency` (valid: not rate-limited; good:
latency_ms < 5000, a missing latency is bad) and objective `availability` (valid: not
rate-limited; bad: status_class 5xx or timeout), both reading the stream `requests`. Every
expected count is worked out below in plain Python from the rows written to the files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.errors import InvalidInput
from attain.formats.template import template_text
from attain.ingestion.run import IngestOptions, ingest_file
from attain.ports import Adjustment, ResultConflict
from attain.services.store import apply_files, evaluate_period
from attain.storage import SqlStore

NAME = "api-latency"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
END_OF_TIME = 2**62
NOW = 1_900_000_000_000_000  # an instant in 2030, when every test "runs"
HEADER = ("timestamp", "request", "status_class", "latency_ms", "rate_limited")
Row = tuple[str, str, str, str, str]

# January and February 2027: two rows per minute in places, offsets other than Z, the bound itself
# (5000 ms is not under 5 s), a missing latency (bad), rate-limited rows (not valid for either).
REQUESTS: list[Row] = [
    ("2027-01-03T08:00:00Z", "r01", "2xx", "120", "false"),
    ("2027-01-03T08:00:30Z", "r02", "5xx", "5000", "false"),
    ("2027-01-03T08:00:59.999999Z", "r03", "2xx", "", "true"),
    ("2027-01-03T08:01:00Z", "r04", "2xx", "", "false"),
    ("2027-01-03T16:01:30+08:00", "r05", "timeout", "4999.9", "false"),
    ("2027-01-10T08:00:00+08:00", "r06", "4xx", "0.5", "false"),
    ("2027-01-10T00:00:45Z", "r07", "3xx", "7000", "false"),
    ("2027-01-31T23:59:59Z", "r08", "4xx", "80", "false"),
    ("2027-02-01T00:00:00Z", "r09", "4xx", "80", "false"),
    ("2027-02-01T00:00:00.5Z", "r10", "5xx", "9000.25", "true"),
    ("2027-02-03T12:34:56-05:00", "r11", "2xx", "5", "false"),
]

# Late rows: three valid ones inside January 2027, one in February.
LATE: list[Row] = [
    ("2027-01-20T10:00:00Z", "l01", "5xx", "100", "false"),
    ("2027-01-20T10:00:10Z", "l02", "2xx", "100", "false"),
    ("2027-01-31T23:00:00Z", "l03", "timeout", "", "false"),
    ("2027-02-10T10:00:00Z", "l04", "2xx", "100", "false"),
]

Counts = dict[int, tuple[int, int]]
"""Per minute (µs since the epoch): (good, valid)."""


def minute_of(text: str, zone: ZoneInfo | None = None) -> int:
    """The minute (µs since the epoch) that an ISO 8601 instant falls in."""
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        assert zone is not None
        at = at.replace(tzinfo=zone)
    return (at - EPOCH) // timedelta(minutes=1) * 60_000_000


def instant(text: str) -> int:
    """An ISO 8601 instant with offset as µs since the epoch."""
    return (datetime.fromisoformat(text) - EPOCH) // timedelta(microseconds=1)


def expected(rows: list[Row], zone: ZoneInfo | None = None, strict_from: str | None = None) -> dict[str, Counts]:
    """Per objective and minute, (good, valid) counted by hand from the rows.

    `strict_from` is the instant from which 4xx answers are failures too (the second version below).
    """
    found: dict[str, dict[int, list[int]]] = {
        "latency": defaultdict(lambda: [0, 0]),
        "availability": defaultdict(lambda: [0, 0]),
    }
    strict = None if strict_from is None else minute_of(strict_from)
    for timestamp, _request, status_class, latency_ms, rate_limited in rows:
        if rate_limited == "true":
            continue
        minute = minute_of(timestamp, zone)
        latency, availability = found["latency"][minute], found["availability"][minute]
        latency[1] += 1
        availability[1] += 1
        if latency_ms != "" and Decimal(latency_ms) < 5000:
            latency[0] += 1
        failures = {"5xx", "timeout"} | ({"4xx"} if strict is not None and minute >= strict else set())
        if status_class not in failures:
            availability[0] += 1
    return {objective: {m: (g, v) for m, (g, v) in sorted(c.items())} for objective, c in found.items()}


def stored(store: SqlStore) -> dict[str, Counts]:
    """The stored buckets of both objectives, per minute (good, valid)."""
    return {
        objective: {b.minute: (b.good, b.valid) for b in store.buckets(NAME, objective, 0, END_OF_TIME)}
        for objective in ("latency", "availability")
    }


def write_csv(path: Path, rows: list[Row], header: tuple[str, ...] = HEADER) -> Path:
    """Write rows under a header as a CSV file (creating its directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def apply_template(store: SqlStore, directory: Path, changes: dict[str, str] | None = None) -> None:
    """Store the api-latency template, with the text replacements given (old text: new text)."""
    text = template_text(NAME, "en")
    for old, new in (changes or {}).items():
        assert old in text
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"agreement-{hashlib.sha256(text.encode()).hexdigest()[:8]}.yaml"
    path.write_text(text, encoding="utf-8")
    apply_files(store, [path], NOW)


@pytest.fixture
def applied(store: SqlStore, tmp_path: Path) -> SqlStore:
    """The store with version 1 of the api-latency template (effective 2027-01-01, UTC)."""
    apply_template(store, tmp_path / "agreements")
    return store


@dataclass(frozen=True)
class Snapshot:
    """Everything ingestion can change in the store."""

    ledger: list[Any]
    buckets: dict[str, Counts]
    events: list[Any]
    announcements: list[Any]
    adjustments: list[Any]


def snapshot(store: SqlStore) -> Snapshot:
    """What the store holds now."""
    return Snapshot(
        store.ledger(),
        stored(store),
        store.events("requests", 0, END_OF_TIME),
        store.announcements(0, END_OF_TIME),
        store.adjustments(NAME),
    )


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_buckets_equal_counts_from_rows(applied: SqlStore, tmp_path: Path) -> None:
    """A CSV of requests is stored as one batch whose minute buckets equal the counts worked out by hand."""
    path = write_csv(tmp_path / "requests.csv", REQUESTS)
    report = ingest_file(applied, path, NAME, NOW)
    assert (report.stream, report.rows, report.batches_stored, report.batches_known) == ("requests", 11, 1, 0)
    assert stored(applied) == expected(REQUESTS)
    # Spot checks by hand: 08:00 UTC on 3 January holds r01 (good both), r02 (5xx, exactly 5 s) and
    # r03 (rate-limited); 08:01 holds r04 (no latency) and r05 (16:01 at +08:00, a timeout in 4999.9 ms).
    assert stored(applied)["latency"][minute_of("2027-01-03T08:00:00Z")] == (1, 2)
    assert stored(applied)["availability"][minute_of("2027-01-03T08:00:00Z")] == (1, 2)
    assert stored(applied)["latency"][minute_of("2027-01-03T08:01:00Z")] == (1, 2)
    assert stored(applied)["availability"][minute_of("2027-01-03T08:01:00Z")] == (1, 2)
    (entry,) = applied.ledger()
    assert (entry.key, entry.agreement, entry.stream, entry.rows) == (
        f"{sha256(path)}:{NAME}:requests:0",
        NAME,
        "requests",
        11,
    )
    events = applied.events("requests", 0, END_OF_TIME)
    assert sorted(e.attributes["request"] for e in events) == [r[1] for r in REQUESTS]


def test_reingesting_the_same_file_stores_nothing(applied: SqlStore, tmp_path: Path) -> None:
    """Ingesting the same file again finds its batch in the ledger and changes no count."""
    path = write_csv(tmp_path / "requests.csv", REQUESTS)
    ingest_file(applied, path, NAME, NOW)
    before = snapshot(applied)
    again = ingest_file(applied, path, NAME, NOW + 1)
    assert (again.batches_stored, again.batches_known) == (0, 1)
    assert snapshot(applied) == before
    assert stored(applied) == expected(REQUESTS)


def test_same_content_under_another_name_is_not_double_counted(applied: SqlStore, tmp_path: Path) -> None:
    """The same bytes under another name or directory are the same batch, so nothing is counted twice."""
    path = write_csv(tmp_path / "requests.csv", REQUESTS)
    ingest_file(applied, path, NAME, NOW)
    before = snapshot(applied)
    renamed = tmp_path / "copy-of-january.csv"
    shutil.copyfile(path, renamed)
    moved = tmp_path / "elsewhere" / "requests.csv"
    moved.parent.mkdir()
    shutil.copyfile(path, moved)
    by_objective = ingest_file(applied, renamed, NAME, NOW + 1, IngestOptions(objective="availability"))
    by_name = ingest_file(applied, moved, NAME, NOW + 2)
    assert [(r.batches_stored, r.batches_known) for r in (by_objective, by_name)] == [(0, 1), (0, 1)]
    assert snapshot(applied) == before
    assert stored(applied) == expected(REQUESTS)


def test_user_key_names_the_batches_and_guards_them(applied: SqlStore, tmp_path: Path) -> None:
    """A key given by the user names the batches; another file under the same key stores nothing."""
    first = write_csv(tmp_path / "requests.csv", REQUESTS)
    report = ingest_file(applied, first, NAME, NOW, IngestOptions(key="export-2027-01"))
    assert report.batches_stored == 1
    assert [e.key for e in applied.ledger()] == ["export-2027-01:0"]
    other = write_csv(tmp_path / "late" / "requests.csv", LATE)
    again = ingest_file(applied, other, NAME, NOW + 1, IngestOptions(key="export-2027-01"))
    assert (again.batches_stored, again.batches_known) == (0, 1)
    assert [e.key for e in applied.ledger()] == ["export-2027-01:0"]
    assert stored(applied) == expected(REQUESTS)


BAD_FILES = {
    "naive timestamp": (
        "requests.csv",
        HEADER,
        [REQUESTS[0], REQUESTS[1], ("2027-01-03T09:00:00", "r99", "2xx", "100", "false")],
        4,
        "timestamp",
        "not an instant with an offset: '2027-01-03T09:00:00'",
    ),
    "bad number": (
        "requests.csv",
        HEADER,
        [REQUESTS[0], ("2027-01-03T09:00:00Z", "r99", "2xx", "fast", "false"), REQUESTS[1]],
        3,
        "latency_ms",
        "expected a number, got 'fast'",
    ),
    "unknown announcement kind": (
        "announcements.csv",
        ("start", "end", "kind", "announcedAt", "objectives"),
        [
            ("2027-01-09T06:00:00Z", "2027-01-09T07:00:00Z", "maintenance", "2027-01-01T00:00:00Z", "availability"),
            ("2027-01-16T06:00:00Z", "2027-01-16T07:00:00Z", "holiday", "2027-01-01T00:00:00Z", "availability"),
        ],
        3,
        "kind",
        "unknown kind 'holiday'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_row_rejects_the_whole_file(applied: SqlStore, tmp_path: Path, case: str) -> None:
    """One bad row rejects the whole file with a problem naming the file, line and column; nothing changes."""
    ingest_file(applied, write_csv(tmp_path / "good" / "requests.csv", REQUESTS), NAME, NOW)
    before = snapshot(applied)
    name, header, rows, line, column, message = BAD_FILES[case]
    path = write_csv(tmp_path / "bad" / name, rows, header)
    with pytest.raises(InvalidInput) as raised:
        ingest_file(applied, path, NAME, NOW + 1)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), line, column)
    assert message in problem.message
    assert str(problem).startswith(f"{path}:{line}:")
    assert snapshot(applied) == before
    assert not path.with_name(f"{name}.rejects.csv").exists()


def test_bad_json_lines_row_is_located_by_its_line(applied: SqlStore, tmp_path: Path) -> None:
    """A bad record in JSON Lines is reported with the line it is on in the file."""
    path = tmp_path / "requests.jsonl"
    path.write_text(
        '{"timestamp": "2027-01-03T08:00:00Z", "status_class": "2xx", "latency_ms": 1}\n'
        '{"timestamp": "2027-01-03T08:00:01", "status_class": "2xx", "latency_ms": 1}\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        ingest_file(applied, path, NAME, NOW)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 2, "timestamp")
    assert applied.ledger() == []


def test_bad_json_lines_row_after_a_blank_line_is_located_by_its_line(applied: SqlStore, tmp_path: Path) -> None:
    """After a blank line, a bad JSON Lines record is still reported with the line it is on in the file."""
    path = tmp_path / "requests.jsonl"
    path.write_text(
        '{"timestamp": "2027-01-03T08:00:00Z", "status_class": "2xx", "latency_ms": 1}\n'
        "\n"
        '{"timestamp": "2027-01-03T08:00:01Z", "status_class": "2xx", "latency_ms": 1}\n'
        '{"timestamp": "2027-01-03T08:00:02", "status_class": "2xx", "latency_ms": 1}\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        ingest_file(applied, path, NAME, NOW)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 4, "timestamp")


def test_skip_bad_stores_good_rows_and_writes_rejects(applied: SqlStore, tmp_path: Path) -> None:
    """With skip_bad the good rows are stored and the bad ones are written with their reason to FILE.rejects.csv."""
    naive = ("2027-01-05T09:00:00", "b01", "2xx", "100", "false")
    not_number = ("2027-01-05T09:00:01Z", "b02", "5xx", "NaN", "false")
    rows = [*REQUESTS[:3], naive, *REQUESTS[3:7], not_number, *REQUESTS[7:]]
    path = write_csv(tmp_path / "requests.csv", rows)
    report = ingest_file(applied, path, NAME, NOW, IngestOptions(skip_bad=True))
    assert (report.rows, report.batches_stored) == (13, 1)
    assert [(p.line, p.path) for p in report.rejected] == [(5, "timestamp"), (10, "latency_ms")]
    assert report.reject_file == f"{path}.rejects.csv"
    assert stored(applied) == expected(REQUESTS)
    (entry,) = applied.ledger()
    assert entry.rows == 11
    with Path(f"{path}.rejects.csv").open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["row", "latency_ms", "rate_limited", "request", "status_class", "timestamp", "reason"]
    assert [r[:-1] for r in written[1:]] == [
        ["4", "100", "false", "b01", "2xx", "2027-01-05T09:00:00"],
        ["9", "NaN", "false", "b02", "5xx", "2027-01-05T09:00:01Z"],
    ]
    assert written[1][-1] == "timestamp: not an instant with an offset: '2027-01-05T09:00:00'"
    assert written[2][-1] == "latency_ms: expected a finite number, got 'NaN'"


def test_rejected_cells_that_look_like_formulas_are_written_as_text(applied: SqlStore, tmp_path: Path) -> None:
    """A rejected row's cells starting with = + - @ tab or NUL reach FILE.rejects.csv behind an apostrophe."""
    hostile = ('=HYPERLINK("http://127.0.0.2/")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\0x")
    rows = [("2027-01-05T09:00:00", request, "2xx", "1", "false") for request in hostile]
    path = write_csv(tmp_path / "requests.csv", [*REQUESTS[:1], *rows])
    ingest_file(applied, path, NAME, NOW, IngestOptions(skip_bad=True))
    with Path(f"{path}.rejects.csv").open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert [r[3] for r in written[1:]] == ["'" + cell for cell in hostile]
    assert all(r[0].isdigit() for r in written[1:])


def write_jsonl(path: Path, rows: list[Row]) -> Path:
    """The rows as JSON Lines: numbers as JSON numbers, missing latency as null, rate_limited as a boolean."""
    with path.open("w", encoding="utf-8") as handle:
        for timestamp, request, status_class, latency_ms, rate_limited in rows:
            latency: int | float | None = None if latency_ms == "" else float(latency_ms)
            if latency is not None and latency.is_integer():
                latency = int(latency)
            record = {
                "timestamp": timestamp,
                "request": request,
                "status_class": status_class,
                "latency_ms": latency,
                "rate_limited": rate_limited == "true",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def write_parquet(path: Path, rows: list[Row]) -> Path:
    """The rows as Parquet: timestamps as UTC instants, latency as float64 (null when missing), booleans."""
    table = pa.table(
        {
            "timestamp": pa.array(
                [datetime.fromisoformat(r[0]).astimezone(UTC) for r in rows], type=pa.timestamp("us", tz="UTC")
            ),
            "request": pa.array([r[1] for r in rows], type=pa.string()),
            "status_class": pa.array([r[2] for r in rows], type=pa.string()),
            "latency_ms": pa.array([None if r[3] == "" else float(r[3]) for r in rows], type=pa.float64()),
            "rate_limited": pa.array([r[4] == "true" for r in rows], type=pa.bool_()),
        }
    )
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_json_lines_and_parquet_give_the_csv_counts(applied: SqlStore, tmp_path: Path, suffix: str) -> None:
    """The same rows as JSON Lines or Parquet are stored with the same minute counts as the CSV."""
    writer = write_jsonl if suffix == "jsonl" else write_parquet
    path = writer(tmp_path / f"requests.{suffix}", REQUESTS)
    report = ingest_file(applied, path, NAME, NOW)
    assert (report.rows, report.batches_stored) == (11, 1)
    assert stored(applied) == expected(REQUESTS)


def test_naive_timestamps_are_read_in_the_given_zone(applied: SqlStore, tmp_path: Path) -> None:
    """Timestamps without an offset are accepted when a zone is given, and counted in that zone's minutes."""
    zone = ZoneInfo("America/New_York")
    rows: list[Row] = [
        ("2027-01-04T19:00:00", "n01", "2xx", "100", "false"),  # 2027-01-05T00:00Z (EST, -05:00)
        ("2027-01-04T19:00:59.5", "n02", "5xx", "100", "false"),
        ("2027-01-04T19:01:00", "n03", "2xx", "6000", "false"),
    ]
    path = write_csv(tmp_path / "requests.csv", rows)
    with pytest.raises(InvalidInput):
        ingest_file(applied, path, NAME, NOW)
    ingest_file(applied, path, NAME, NOW, IngestOptions(zone="America/New_York"))
    assert stored(applied) == expected(rows, zone)
    midnight = instant("2027-01-05T00:00:00+00:00")
    assert stored(applied)["availability"] == {midnight: (1, 2), midnight + 60_000_000: (1, 1)}


def test_late_data_into_a_closed_period_is_an_adjustment(applied: SqlStore, tmp_path: Path) -> None:
    """Rows arriving after January's result was stored record an adjustment and leave the stored result as it was."""
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)
    closing = instant("2027-02-02T00:00:00+00:00")
    (result,) = evaluate_period(applied, NAME, "2027-01", closing)
    january = [c for m, c in expected(REQUESTS)["availability"].items() if m < instant("2027-02-01T00:00:00+00:00")]
    good, valid = sum(g for g, _ in january), sum(v for _, v in january)
    assert (good, valid) == (5, 7)  # r01 r04 r06 r07 r08 good; r02 r05 failed; r03 not valid
    assert (result.objective, result.period, result.good, result.valid) == ("availability", "2027-01", good, valid)
    assert result.status == "breached"
    before = applied.results(NAME)

    late = write_csv(tmp_path / "late" / "requests.csv", LATE)
    report = ingest_file(applied, late, NAME, NOW + 5)
    assert (report.batches_stored, report.adjustments) == (1, 1)
    key = f"{sha256(late)}:{NAME}:requests:0"
    assert applied.adjustments(NAME) == [Adjustment(NAME, "availability", "2027-01", key, 3, NOW + 5)]
    assert applied.results(NAME) == before
    assert stored(applied) == expected(REQUESTS + LATE)
    with pytest.raises(ResultConflict):
        evaluate_period(applied, NAME, "2027-01", closing + 1)
    assert applied.results(NAME) == before


STRICT = {  # version 2: from February, 4xx answers are failures too
    "effective: {from: 2027-01-01}": "effective: {from: 2027-02-01}",
    "bad: {where: {status_class: [5xx, timeout]}}": "bad: {where: {status_class: [4xx, 5xx, timeout]}}",
}


def test_new_version_recounts_from_its_effective_date(applied: SqlStore, tmp_path: Path) -> None:
    """A version with a changed indicator recounts the buckets from its effective date on, and only from there."""
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)
    assert stored(applied) == expected(REQUESTS)
    assert stored(applied)["availability"][minute_of("2027-02-01T00:00:00Z")] == (1, 1)  # r09, 4xx, still good

    apply_template(applied, tmp_path / "agreements", STRICT)
    assert [(v.version, v.effective_from) for v in applied.versions(NAME)] == [
        (1, date(2027, 1, 1)),
        (2, date(2027, 2, 1)),
    ]
    after = stored(applied)
    assert after == expected(REQUESTS, strict_from="2027-02-01T00:00:00Z")
    assert after["availability"][minute_of("2027-01-31T23:59:00Z")] == (1, 1)  # r08, 4xx under version 1
    assert after["availability"][minute_of("2027-01-10T00:00:00Z")] == (2, 2)  # r06 (4xx) and r07
    assert after["availability"][minute_of("2027-02-01T00:00:00Z")] == (0, 1)  # r09, 4xx under version 2
    assert after["latency"] == expected(REQUESTS)["latency"]

    # Rows ingested afterwards are counted by the version in force at their own time.
    more: list[Row] = [
        ("2027-01-31T23:59:30Z", "m01", "4xx", "10", "false"),
        ("2027-02-01T00:00:30Z", "m02", "4xx", "10", "false"),
    ]
    ingest_file(applied, write_csv(tmp_path / "more" / "requests.csv", more), NAME, NOW + 1)
    assert stored(applied) == expected(REQUESTS + more, strict_from="2027-02-01T00:00:00Z")


def test_an_interrupted_recount_is_finished_by_applying_again(
    applied: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed between storing version 2 and recounting: the same `apply` again does the recount."""
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)

    def killed(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("attain.services.store.recount", killed)
    with pytest.raises(KeyboardInterrupt):
        apply_template(applied, tmp_path / "agreements", STRICT)
    assert [(v.version, v.recounted_at) for v in applied.versions(NAME)] == [(1, NOW), (2, None)]
    assert stored(applied) == expected(REQUESTS), "nothing recounted yet"
    monkeypatch.undo()
    apply_template(applied, tmp_path / "agreements", STRICT)
    assert [(v.version, v.recounted_at) for v in applied.versions(NAME)] == [(1, NOW), (2, NOW)]
    assert stored(applied) == expected(REQUESTS, strict_from="2027-02-01T00:00:00Z")


def test_recount_counts_only_this_agreements_rows(applied: SqlStore, tmp_path: Path) -> None:
    """A recount after a new version counts only the rows ingested for this agreement, not another agreement's."""
    apply_template(applied, tmp_path / "partner", {"  name: api-latency\n": "  name: partner-api\n"})
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)
    ingest_file(applied, write_csv(tmp_path / "partner" / "requests.csv", LATE), "partner-api", NOW)
    assert stored(applied) == expected(REQUESTS)
    apply_template(applied, tmp_path / "agreements", STRICT)
    assert stored(applied) == expected(REQUESTS, strict_from="2027-02-01T00:00:00Z")


def test_a_stream_a_later_version_no_longer_reads_still_counts_for_the_earlier(
    applied: SqlStore, tmp_path: Path
) -> None:
    """Requests are still taken, and counted under version 1, when version 2 reads its events from another stream."""
    moved = {"effective: {from: 2027-01-01}": "effective: {from: 2027-02-01}", "events: requests": "events: calls"}
    apply_template(applied, tmp_path / "agreements", moved)
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)
    february = minute_of("2027-02-01T00:00:00Z")
    january = {o: {m: c for m, c in counts.items() if m < february} for o, counts in expected(REQUESTS).items()}
    assert stored(applied) == january
    assert stored(applied)["latency"][minute_of("2027-01-31T23:59:00Z")] == (1, 1)  # r08, 80 ms under version 1


def test_values_are_kept_when_a_later_version_reads_them_from_another_stream(applied: SqlStore, tmp_path: Path) -> None:
    """Requests keep their latency (version 1's threshold reads it) when version 2's latency objective reads another stream."""
    moved = {
        "effective: {from: 2027-01-01}": "effective: {from: 2027-02-01}",
        "events: requests\n        value: latency_ms": "events: timings\n        value: latency_ms",
    }
    apply_template(applied, tmp_path / "agreements", moved)
    ingest_file(applied, write_csv(tmp_path / "requests.csv", REQUESTS), NAME, NOW)
    values = {e.at: e.value for e in applied.events("requests", 0, END_OF_TIME, NAME)}
    assert values[instant("2027-01-03T08:00:00Z")] == Decimal(120)  # r01
    assert values[instant("2027-01-03T16:01:30+08:00")] == Decimal("4999.9")  # r05
    assert values[instant("2027-01-03T08:01:00Z")] is None  # r04: no latency given
    assert stored(applied)["latency"][minute_of("2027-01-03T08:00:00Z")] == (1, 2)  # r01 good, r02 (5000 ms) bad
