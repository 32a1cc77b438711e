"""Reading what the engine needs from the store: counts through the reader, raw rows where the indicator needs them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, to_us
from attain.engine.measurement import Event, Incident, MinuteCounts
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.ports import Batch, Store
from attain.services.measurements import read_counts, stored_measurements
from attain.storage import SqlStore, connect, upgrade

DOCUMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: web}
spec:
  title: Web
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: x
  effective: {from: 2027-01-01}
  objectives:
    - name: ok
      indicator: {kind: ratio, events: requests, good: {where: {ok: true}}}
      target: 99%
      window: month
    - name: backups
      indicator: {kind: freshness, maxGap: 1d}
      target: 99%
      window: month
    - name: uptime
      indicator: {kind: availability, from: incidents}
      target: 99%
      window: month
"""
SINCE = to_us(datetime(2027, 2, 1, 0, 0, 30, tzinfo=UTC))
AT = to_us(datetime(2027, 3, 1, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite store with a backup event 10 days before SINCE (inside the look-back) and one incident in February."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    created = SqlStore(engine)
    backup = Event(SINCE - 10 * US_PER_DAY, None, {"status": "success"})
    created.store_batch(Batch("b", "web", "backups", "test", 1, events=[backup]), now=0)
    outage = Incident(SINCE + US_PER_DAY, SINCE + US_PER_DAY + 5 * US_PER_MINUTE)
    created.store_batch(Batch("i", "web", "incidents", "test", 1, incidents=[outage]), now=0)
    yield created
    engine.dispose()


def test_counts_come_through_the_reader_and_raw_rows_from_the_store(store: SqlStore) -> None:
    """The ratio objective's counts come from the reader (from SINCE's minute); freshness gets events, availability incidents."""
    agreement = parse_agreement(read_text(DOCUMENT, "web.yaml")[0])
    asked: list[tuple[str, str, int, int]] = []

    def reader(store: Store, name: str, objective: str, first: int, at: int) -> MinuteCounts:
        asked.append((name, objective, first, at))
        return read_counts(store, name, objective, first, at)

    found = stored_measurements(store, "web", [agreement], SINCE, AT, reader)
    assert asked == [("web", "ok", to_us(datetime(2027, 2, 1, tzinfo=UTC)), AT)]
    assert set(found.counts) == {"ok"}
    assert found.counts["ok"].good.size == 0
    assert found.events["backups"].at.tolist() == [SINCE - 10 * US_PER_DAY]
    assert found.incidents["incidents"] == [Incident(SINCE + US_PER_DAY, SINCE + US_PER_DAY + 5 * US_PER_MINUTE)]
