"""`attain ingest --buckets-only`: the same per-minute counts as the row-by-row path, exactly once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bench.generate import Spec, generate

from attain.ingestion import counting
from attain.ingestion.counting import ingest_counts
from attain.ingestion.eligibility import NotEligible
from attain.ingestion.parquet import read_batches
from attain.ingestion.run import ingest_file
from attain.services.store import apply_files
from attain.services.summary import summarize_file, summarize_stored
from attain.storage import SqlStore, connect, upgrade
from attain.testing import agreement, agreement_yaml, ratio_objective

MINUTE = 60_000_000
AT = 1_793_577_600_000_000  # 2026-11-02T00:00:00Z
NOW = 1_900_000_000_000_000
AGREEMENT = agreement(
    time_zone="UTC",
    effective_from="2026-10-01",
    objectives=[
        ratio_objective(
            "checkout",
            valid={"where": {"service": "checkout"}},
            bad={"where": {"status": [500, 503]}},
            window={"rolling": "3d"},
            alerting="sre-workbook",
        ),
        ratio_objective(
            "all",
            valid={"whereNot": {"region": "test"}},
            target="99.5%",
            window={"rolling": "7d"},
            alerting="sre-workbook",
        ),
    ],
)


def _write_events(path: Path, rows: int = 5_000, seed: int = 3) -> None:
    """Random events of the last 8 days, with nulls, absent values and several columns."""
    rng = np.random.default_rng(seed)
    stamps = np.sort(rng.integers(AT - 8 * 1440 * MINUTE, AT, rows))
    service = rng.choice(np.array(["checkout", "search", ""], dtype=object), rows)
    status = rng.choice(np.array([200, 200, 200, 500, 503]), rows)
    ok = rng.random(rows) > 0.05
    region = [None if i % 97 == 0 else ("test" if i % 13 == 0 else "eu") for i in range(rows)]
    table = pa.table(
        {
            "timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")),
            "service": pa.array(service.tolist()),
            "status": pa.array(status),
            "ok": pa.array(ok.tolist()),
            "region": pa.array(region).dictionary_encode(),
        }
    )
    pq.write_table(table, path, row_group_size=1_000)


@pytest.fixture
def stores(tmp_path: Path, database_url: str) -> Iterator[tuple[SqlStore, SqlStore, Path]]:
    """A SQLite store for the row-by-row path and one on the test's database (SQLite or PostgreSQL) for counts."""
    found, engines = [], []
    document = tmp_path / "shop.yaml"
    document.write_text(agreement_yaml(AGREEMENT))
    for url in (f"sqlite:///{tmp_path}/rows/attain.db", database_url):
        engine = connect(url)
        engines.append(engine)
        upgrade(engine)
        store = SqlStore(engine)
        apply_files(store, [document], NOW)
        found.append(store)
    events = tmp_path / "requests.parquet"
    _write_events(events)
    yield found[0], found[1], events
    for engine in engines:
        engine.dispose()


def test_counts_equal_the_row_by_row_buckets(stores: tuple[SqlStore, SqlStore, Path]) -> None:
    """Every objective's stored minutes, hours and days are the same on both paths."""
    rows, counts, events = stores
    ingest_file(rows, events, "shop", NOW)
    report = ingest_counts(counts, events, "shop", NOW)
    assert report.batches_stored == 5  # one per row group of 1,000 rows
    assert report.rows == 5_000
    for objective in ("checkout", "all"):
        assert counts.buckets("shop", objective, 0, 2**62) == rows.buckets("shop", objective, 0, 2**62)
        for resolution in ("minute", "hour", "day"):
            a = rows.count_rows("shop", [objective], resolution, 0, 2**62)
            b = counts.count_rows("shop", [objective], resolution, 0, 2**62)
            assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_a_second_run_stores_nothing(stores: tuple[SqlStore, SqlStore, Path]) -> None:
    """Re-ingesting the file finds every batch in the ledger and adds no count."""
    _, counts, events = stores
    ingest_counts(counts, events, "shop", NOW)
    before = counts.buckets("shop", "all", 0, 2**62)
    again = ingest_counts(counts, events, "shop", NOW)
    assert (again.batches_stored, again.batches_known) == (0, 5)
    assert counts.buckets("shop", "all", 0, 2**62) == before


def test_stored_summary_equals_the_file_summary(stores: tuple[SqlStore, SqlStore, Path]) -> None:
    """The summary from the store's rollups equals the one counted from the file."""
    _, counts, events = stores
    ingest_counts(counts, events, "shop", NOW)
    agreement = counts.versions("shop")
    assert agreement
    from attain.lifecycle.versions import stored_agreements  # noqa: PLC0415

    latest = stored_agreements(counts, "shop")[-1]
    for at in (AT, AT - 90 * MINUTE, AT - 1441 * MINUTE):
        assert summarize_stored(counts, "shop", at) == summarize_file(latest, events, "requests", at)


def test_a_csv_file_is_refused(tmp_path: Path, stores: tuple[SqlStore, SqlStore, Path]) -> None:
    """Only Parquet is counted in one pass; a CSV file needs the row-by-row path."""
    _, counts, _ = stores
    csv = tmp_path / "requests.csv"
    csv.write_text("timestamp,service\n2026-11-01T00:00:00Z,checkout\n")
    with pytest.raises(NotEligible, match="only Parquet"):
        ingest_counts(counts, csv, "shop", NOW)


def test_a_second_run_decodes_nothing(stores: tuple[SqlStore, SqlStore, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every batch of a stored file is known from its footer and hash: no row group is decoded again."""
    _, counts, events = stores
    ingest_counts(counts, events, "shop", NOW)

    def refuse(*_: object) -> None:
        raise AssertionError("a stored row group was decoded")

    monkeypatch.setattr(counting, "map_groups", refuse)
    again = ingest_counts(counts, events, "shop", NOW)
    assert (again.batches_stored, again.batches_known) == (0, 5)


def test_a_resumed_run_decodes_only_the_missing_row_groups(
    stores: tuple[SqlStore, SqlStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With batches 0, 2 and 3 stored (a run cut short), the next decodes row groups 1 and 4 only; counts are whole."""
    rows, counts, events = stores
    ingest_file(rows, events, "shop", NOW)
    parts = counting.file_parts(pq.read_metadata(events))
    decoded: list[int] = []
    original = counting.map_groups

    def only(keep: set[int]) -> object:
        def chosen(path: Path, keys: tuple[str, ...], groups: list[int], work: object, rows: int) -> object:
            decoded.extend(groups)
            return original(path, keys, [g for g in groups if g in keep], work, rows)  # type: ignore[arg-type]

        return chosen

    monkeypatch.setattr(counting, "map_groups", only({0, 2, 3}))
    first = ingest_counts(counts, events, "shop", NOW)
    assert first.batches_stored == 3
    decoded.clear()
    monkeypatch.setattr(counting, "map_groups", only({0, 1, 2, 3, 4}))
    second = ingest_counts(counts, events, "shop", NOW)
    assert (second.batches_stored, second.batches_known) == (2, 3)
    assert decoded == [1, 4]
    assert [p.rows for p in parts] == [1_000] * 5
    for objective in ("checkout", "all"):
        assert counts.buckets("shop", objective, 0, 2**62) == rows.buckets("shop", objective, 0, 2**62)


def test_a_changed_file_is_not_taken_for_the_stored_one(stores: tuple[SqlStore, SqlStore, Path]) -> None:
    """One changed row gives the file another hash: all its batches are new, none is skipped as stored."""
    _, counts, events = stores
    ingest_counts(counts, events, "shop", NOW)
    table = pq.read_table(events)
    service = table.column("service").to_pylist()
    service[4_321] = "search" if service[4_321] != "search" else "checkout"
    changed = table.set_column(table.schema.get_field_index("service"), "service", pa.array(service))
    pq.write_table(changed, events, row_group_size=1_000)
    again = ingest_counts(counts, events, "shop", NOW)
    assert (again.batches_stored, again.batches_known) == (5, 0)


@pytest.mark.parametrize("group_rows", [700, 1_000, 2_500])
def test_batches_are_numbered_as_the_decoder_yields_them(tmp_path: Path, group_rows: int) -> None:
    """The batches known from the footer are the batches `read_batches` decodes, in the same order and sizes."""
    events = tmp_path / "requests.parquet"
    _write_events(events)
    pq.write_table(pq.read_table(events), events, row_group_size=group_rows)
    parts = counting.file_parts(pq.read_metadata(events), batch_rows=600)
    decoded = list(read_batches(events, ["service"], batch_rows=600))
    assert [p.rows for p in parts] == [b.num_rows for b in decoded]
    assert [p.number for p in parts] == list(range(len(decoded)))


def test_parts_are_cut_from_batches_of_any_size(tmp_path: Path) -> None:
    """Were a row group decoded in other sizes, each part still holds exactly its own rows."""
    events = tmp_path / "requests.parquet"
    _write_events(events)
    pq.write_table(pq.read_table(events), events, row_group_size=2_500)
    parts = counting.file_parts(pq.read_metadata(events), batch_rows=600)
    group = [p for p in parts if p.group == 1]
    smaller = list(pq.ParquetFile(events).iter_batches(batch_size=250, row_groups=[1]))
    whole = pq.ParquetFile(events).read_row_group(1)
    for part, batch in zip(group, counting._cut(smaller, group), strict=True):
        assert batch.num_rows == part.rows
        assert batch.to_pylist() == whole.slice(part.offset, part.rows).to_pylist()


def test_the_digest_on_a_thread_is_the_files_sha256(tmp_path: Path) -> None:
    """The key's hash, computed beside the rest, is the sha256 of the file's bytes; a missing file raises."""
    path = tmp_path / "requests.parquet"
    _write_events(path)
    assert counting.FileDigest(path).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(FileNotFoundError):
        counting.FileDigest(tmp_path / "missing.parquet").hexdigest()


def test_the_bench_data_counts_equal_duckdbs(tmp_path: Path, database_url: str) -> None:
    """The generated benchmark file (100 services, row groups cut into batches) counts as DuckDB counts it."""
    spec = Spec(events=200_000, services=100, days=3, seed=11)
    meta = generate(spec, tmp_path / "data")
    events = tmp_path / "requests.parquet"
    pq.write_table(pq.read_table(tmp_path / "data" / "events.parquet"), events, row_group_size=30_000)
    engine = connect(database_url)
    upgrade(engine)
    store = SqlStore(engine)
    apply_files(store, [tmp_path / "data" / "agreement.yaml"], NOW)
    report = ingest_counts(store, events, "bench", NOW)
    assert (report.rows, report.batches_stored) == (meta["rows"], pq.read_metadata(events).num_row_groups)
    with duckdb.connect() as conn:
        expected = conn.execute(
            "SELECT service, epoch_us(timestamp) // 60000000 * 60000000 AS m, count(*) FILTER (WHERE good), count(*) "
            "FROM read_parquet(?) GROUP BY ALL ORDER BY ALL",
            [str(events)],
        ).fetchall()
    stored = sorted(
        (b.objective, b.minute, b.good, b.valid)
        for name in {row[0] for row in expected}
        for b in store.buckets("bench", name, 0, 2**62)
    )
    assert stored == [tuple(int(v) if i else v for i, v in enumerate(row)) for row in expected]
    assert ingest_counts(store, events, "bench", NOW).batches_stored == 0
    engine.dispose()
