"""Whether the fast Parquet path applies to a file and a stream, and which columns it reads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.engine.versions import InForce, in_force
from attain.ingestion.eligibility import NotEligible, eligible, filter_keys, stream_objectives
from attain.testing import agreement, agreement_model, ratio_objective

VERSIONS = in_force(
    [
        agreement_model(
            agreement(
                objectives=[
                    ratio_objective(
                        "checkout", valid={"where": {"service": "checkout"}}, bad={"where": {"status": 500}}
                    ),
                    ratio_objective("all", valid={"whereNot": {"region": "test"}}),
                ]
            )
        )
    ]
)
"""One version: `checkout` filters on service and status, `all` on region and (its good events) ok."""


def _write(path: Path, stamps: pa.Array) -> Path:
    """A Parquet file with a timestamp column and a service column."""
    pq.write_table(pa.table({"timestamp": stamps, "service": pa.array(["checkout"] * len(stamps))}), path)
    return path


def test_the_filter_columns_are_every_attribute_the_streams_objectives_select_on() -> None:
    """The columns are service and status (checkout) and region and ok (all), sorted."""
    assert filter_keys(VERSIONS, "requests") == ["ok", "region", "service", "status"]


def test_the_counted_objectives_are_those_of_the_stream() -> None:
    """Both objectives count the requests stream, in order; another stream has none."""
    assert stream_objectives(VERSIONS, "requests") == ["checkout", "all"]
    assert stream_objectives(VERSIONS, "logins") == []


def test_columns_in_the_file_come_first(tmp_path: Path) -> None:
    """Of the four filter columns the file holds only service, which comes first; the absent follow sorted."""
    path = _write(tmp_path / "events.parquet", pa.array([0, 60_000_000], pa.timestamp("us", tz="UTC")))
    assert eligible(path, VERSIONS, "requests") == ["service", "ok", "region", "status"]


def test_only_parquet_files_are_eligible(tmp_path: Path) -> None:
    """A CSV file needs the row-by-row path."""
    with pytest.raises(NotEligible, match="only Parquet files are counted in one pass"):
        eligible(tmp_path / "events.csv", VERSIONS, "requests")


def test_a_timestamp_without_a_time_zone_is_not_eligible(tmp_path: Path) -> None:
    """A naive timestamp column cannot be placed in time, so the row-by-row path reports it."""
    path = _write(tmp_path / "events.parquet", pa.array([0, 60_000_000], pa.timestamp("us")))
    with pytest.raises(NotEligible, match="not a timestamp with a time zone"):
        eligible(path, VERSIONS, "requests")


def test_a_version_starting_within_a_minute_is_not_eligible(tmp_path: Path) -> None:
    """Counts per minute cannot split a minute between two versions."""
    path = _write(tmp_path / "events.parquet", pa.array([0, 60_000_000], pa.timestamp("us", tz="UTC")))
    versions: list[InForce] = [replace(VERSIONS[0], start=VERSIONS[0].start + 1)]
    with pytest.raises(NotEligible, match="a version starts within a minute"):
        eligible(path, versions, "requests")
