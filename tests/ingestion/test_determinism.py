"""Stored results are deterministic on SQLite and PostgreSQL, in any row order, and on recomputation.

They are byte-identical in all these cases, equal to counts made by hand from the rows, and equal (counts,
ratio and status) to the plain reference evaluator of `tests/engine/reference.py` (issue 19).

Each example writes random request rows (many sharing one timestamp) for January and February 2027
to a CSV file, ingests it into a fresh SQLite file and a fresh PostgreSQL schema (the rows in
another order there), stores the two closed months' results, and compares the canonical JSON of
every stored result.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from tests.engine import reference

from attain.engine.measurement import Event
from attain.formats.bundle import load_bundle_text
from attain.formats.template import template_text
from attain.ingestion.run import ingest_file
from attain.services.store import apply_files, evaluate_period
from attain.storage import SqlStore, connect, upgrade

NAME = "api-latency"
NOW = 1_900_000_000_000_000  # 2030: both months are closed
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MONTHS = {"2027-01": (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))}
MONTHS["2027-02"] = (MONTHS["2027-01"][1], datetime(2027, 3, 1, tzinfo=UTC))
# A few instants only, so that many rows share a timestamp; two at the very bounds of a month.
INSTANTS = ("2027-01-01T00:00:00Z", "2027-01-15T12:00:30Z", "2027-01-31T23:59:59.999999Z", "2027-02-01T00:00:00Z")
Row = tuple[str, str, str, str, str]


@st.composite
def request_rows(draw: st.DrawFn) -> list[Row]:
    """Between 1 and 40 request rows over the instants above, with every kind of status and latency."""
    count = draw(st.integers(min_value=1, max_value=40))
    return [
        (
            draw(st.sampled_from(INSTANTS)),
            f"r{i:03d}",
            draw(st.sampled_from(("2xx", "3xx", "4xx", "5xx", "timeout"))),
            draw(st.sampled_from(("", "0.5", "120", "4999.9", "5000", "7000"))),
            draw(st.sampled_from(("true", "false", "false"))),
        )
        for i in range(count)
    ]


def by_hand(rows: list[Row]) -> dict[tuple[str, str], tuple[int, int]]:
    """(good, valid) per (objective, month), counted from the rows as the template defines them."""
    counts = {(o, m): [0, 0] for o in ("latency", "availability") for m in MONTHS}
    for timestamp, _request, status_class, latency_ms, rate_limited in rows:
        at = datetime.fromisoformat(timestamp)
        month = next(m for m, (start, end) in MONTHS.items() if start <= at < end)
        if rate_limited == "true":
            continue
        latency, availability = counts["latency", month], counts["availability", month]
        latency[1] += 1
        availability[1] += 1
        latency[0] += latency_ms != "" and Decimal(latency_ms) < 5000
        availability[0] += status_class not in ("5xx", "timeout")
    return {key: (good, valid) for key, (good, valid) in counts.items()}


def by_reference(rows: list[Row]) -> dict[str, tuple[Decimal, Decimal, Decimal | None, str]]:
    """(good, valid, ratio, status) per month of availability, from the plain evaluator in `tests/engine/reference.py`."""
    [agreement] = load_bundle_text(template_text(NAME, "en"), "api-latency.yaml").agreements
    events = [
        Event(
            reference.instant(datetime.fromisoformat(timestamp)),
            None if latency_ms == "" else Decimal(latency_ms),
            {"request": request, "status_class": status_class, "rate_limited": rate_limited},
        )
        for timestamp, request, status_class, latency_ms, rate_limited in rows
    ]
    periods = reference.evaluate(agreement, NOW, events={"requests": events})["availability"]
    return {
        p.label: (Decimal(int(p.good or 0)), Decimal(p.valid or 0), p.ratio, p.status)
        for p in periods
        if p.label in MONTHS
    }


def write_csv(path: Path, rows: list[Row]) -> Path:
    """The rows as a CSV file under the template's header."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("timestamp", "request", "status_class", "latency_ms", "rate_limited"))
        writer.writerows(rows)
    return path


def stored_json(store: SqlStore) -> list[str]:
    """Every stored result as canonical JSON text (sorted keys, no spaces), in the store's order."""
    return [
        json.dumps(
            {
                "objective": r.objective,
                "period": r.period,
                "version": r.version,
                "status": r.status,
                "ratio": None if r.ratio is None else str(r.ratio),
                "good": None if r.good is None else str(r.good),
                "valid": None if r.valid is None else str(r.valid),
                "data": r.data,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        for r in store.results(NAME)
    ]


def run(engine: Engine, directory: Path, rows: list[Row]) -> list[str]:
    """Apply the template, ingest the rows, store both months' results, recompute them later.

    Returns:
        The canonical results, checked to be the same bytes after the recomputation.
    """
    upgrade(engine)
    store = SqlStore(engine)
    agreement = directory / "agreement.yaml"
    agreement.write_text(template_text(NAME, "en"), encoding="utf-8")
    apply_files(store, [agreement], NOW)
    ingest_file(store, write_csv(directory / "requests.csv", rows), NAME, NOW)
    for month in MONTHS:
        evaluate_period(store, NAME, month, NOW)
    first = stored_json(store)
    for month in MONTHS:
        evaluate_period(store, NAME, month, NOW + 60_000_000)  # a later recomputation: no conflict
    assert stored_json(store) == first
    return first


@pytest.fixture
def fresh_schema(postgres_schema: str, postgres_url: str) -> tuple[str, str]:
    """The session's PostgreSQL schema and its URL; each example empties it itself."""
    return postgres_schema, postgres_url


def empty(schema: str, url: str) -> None:
    """Drop and recreate the PostgreSQL schema, so the next example starts from nothing."""
    admin = connect(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request_rows(), st.randoms(use_true_random=False))
def test_stored_results_are_byte_identical_across_databases_orders_and_recomputation(
    fresh_schema: tuple[str, str], rows: list[Row], shuffler: random.Random
) -> None:
    """SQLite and PostgreSQL store the same bytes, whatever the row order; again is identical; counts are exact."""
    schema, url = fresh_schema
    empty(schema, url)
    shuffled = rows[:]
    shuffler.shuffle(shuffled)
    with TemporaryDirectory() as sqlite_dir, TemporaryDirectory() as postgres_dir:
        sqlite, postgres = connect(f"sqlite:///{sqlite_dir}/attain.db"), connect(url)
        try:
            on_sqlite = run(sqlite, Path(sqlite_dir), rows)
            on_postgres = run(postgres, Path(postgres_dir), shuffled)
            found = {(r.objective, r.period): (r.good, r.valid) for r in SqlStore(sqlite).results(NAME)}
            judged = {r.period: (r.good, r.valid, r.ratio, r.status) for r in SqlStore(sqlite).results(NAME)}
        finally:
            sqlite.dispose()
            postgres.dispose()
    assert on_sqlite == on_postgres
    # Only the availability objective has calendar periods (latency's window is a rolling 28 days).
    assert len(on_sqlite) == 2
    hand = by_hand(rows)
    assert found == {
        ("availability", m): (Decimal(hand["availability", m][0]), Decimal(hand["availability", m][1])) for m in MONTHS
    }
    assert judged == by_reference(rows)


def test_the_hand_counts_assume_the_templates_zone_and_start() -> None:
    """The hand count's months are calendar months in UTC from 2027-01-01, as the template says."""
    lines = [line.strip() for line in template_text(NAME, "en").splitlines()]
    assert "timeZone: UTC" in lines
    assert "effective: {from: 2027-01-01}" in lines
