"""What drives failures in a stored period: events, incidents and cases split by attribute, against the period before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from attain.engine.filter import ABSENT
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import CaseEvent, Event, Incident
from attain.errors import InvalidInput
from attain.ports import Batch
from attain.reports.drivers import objective_drivers_data
from attain.services.drivers import drivers
from attain.services.store import apply_text
from attain.storage import SqlStore, connect, upgrade
from attain.testing import MemoryStore

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
    - name: uptime
      indicator: {kind: availability, from: incidents}
      target: 99%
      window: month
    - name: us-uptime
      indicator: {kind: availability, from: incidents, where: {region: us}, minimumDowntime: 6m}
      target: 99%
      window: month
    - name: response
      indicator: {kind: case, events: tickets, clock: {start: opened, stop: closed}, goals: {"*": 4h}}
      target: 90%
      window: month
    - name: backups
      indicator: {kind: freshness, maxGap: 1d}
      target: 99%
      window: month
"""
AT = to_us(datetime(2027, 4, 1, tzinfo=UTC))


def _t(month: int, day: int, hour: int, minute: int = 0) -> int:
    return to_us(datetime(2027, month, day, hour, minute, tzinfo=UTC))


def _floor(numerator: int, denominator: Fraction) -> Decimal:
    fraction = Fraction(numerator) / denominator
    with localcontext(prec=28, rounding="ROUND_FLOOR"):
        return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def _events() -> list[Event]:
    """March: eu 6 good 2 bad, us 1 good 1 bad, one bad without a region; February: eu 1 bad, us 3 bad 1 good."""
    march = [("eu", True)] * 6 + [("eu", False)] * 2 + [("us", False), ("us", True), (None, False)]
    february = [("eu", False)] + [("us", False)] * 3 + [("us", True)]
    made = []
    for month, rows in ((3, march), (2, february)):
        for i, (region, ok) in enumerate(rows):
            attributes = {"ok": ok} | ({} if region is None else {"region": region})
            made.append(Event(_t(month, 5, 10, i), None, attributes))
    return made


def _cases() -> list[CaseEvent]:
    """March: ann met, bob breached twice (once taken over from ann); February: ann breached."""
    rows = [
        ("T1", "opened", _t(3, 2, 10), "ann"),
        ("T1", "closed", _t(3, 2, 12), None),
        ("T2", "opened", _t(3, 3, 10), "bob"),
        ("T2", "closed", _t(3, 3, 16), None),
        ("T3", "opened", _t(3, 4, 10), "ann"),
        ("T3", "closed", _t(3, 4, 20), "bob"),
        ("T4", "opened", _t(2, 10, 10), "ann"),
        ("T4", "closed", _t(2, 10, 18), None),
    ]
    return [CaseEvent(case, kind, at, {} if agent is None else {"agent": agent}) for case, kind, at, agent in rows]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite store holding the agreement, its events, incidents and tickets in February and March 2027."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    created = SqlStore(engine)
    apply_text(created, DOCUMENT, "web.yaml", now=0)
    created.store_batch(Batch("e", "web", "requests", "test", 16, events=_events()), now=0)
    incidents = [
        Incident(_t(3, 10, 8), _t(3, 10, 8, 10), {"region": "eu"}),
        Incident(_t(3, 11, 8), _t(3, 11, 8, 5), {"region": "us"}),
        Incident(_t(2, 28, 23, 50), _t(3, 1, 0, 10), {"region": "us"}),
    ]
    created.store_batch(Batch("i", "web", "incidents", "test", 3, incidents=incidents), now=0)
    created.store_batch(Batch("c", "web", "tickets", "test", 8, case_events=_cases()), now=0)
    yield created
    engine.dispose()


def test_bad_events_are_split_by_region_with_the_change_against_february(store: SqlStore) -> None:
    """4 of 11 March events bad: eu 2 (1 in February), us 1 (3), no region 1; 1% of 11 events allowed."""
    report = drivers(store, "web", "2027-03", AT, objective="ok")
    assert (report.period, report.previous) == ("2027-03", "2027-02")
    (found,) = report.objectives
    assert found.unit == "events"
    assert found.drivers is not None
    assert (found.drivers.bad, found.drivers.valid, found.drivers.previous) == (4, 11, 4)
    region = next(d for d in found.drivers.dimensions if d.dimension == "region")
    assert [(d.value, d.bad, d.previous, d.change) for d in region.drivers] == [
        ("eu", 2, 1, 1),
        ("us", 1, 3, -2),
        (ABSENT, 1, 0, 1),
    ]
    assert region.drivers[0].share == Decimal("0.5")
    assert region.drivers[0].budget_share == _floor(2, Fraction(11, 100))


def test_downtime_is_split_by_region_including_an_incident_across_the_month_edge(store: SqlStore) -> None:
    """March: us 5 + 10 min (the incident from 28 Feb 23:50), eu 10 min; February: us 10 min."""
    (found,) = drivers(store, "web", "2027-03", AT, objective="uptime").objectives
    assert found.unit == "µs"
    assert found.drivers is not None
    (region,) = found.drivers.dimensions
    minute = US_PER_MINUTE
    assert [(d.value, d.bad, d.previous) for d in region.drivers] == [
        ("us", 15 * minute, 10 * minute),
        ("eu", 10 * minute, 0),
    ]
    assert region.drivers[0].share == Decimal("0.6")
    march = Fraction(31 * 24 * 60 * minute)
    assert region.drivers[0].budget_share == _floor(15 * minute, march / 100)


def test_breached_cases_are_split_by_the_agent_their_last_events_name(store: SqlStore) -> None:
    """March: 3 decided, bob breached 2 (T3 taken over from ann); February: ann breached 1; 10% of 3 allowed."""
    (found,) = drivers(store, "web", "2027-03", AT, objective="response").objectives
    assert found.drivers is not None
    assert (found.drivers.bad, found.drivers.valid, found.drivers.previous) == (2, 3, 1)
    (agent,) = found.drivers.dimensions
    assert [(d.value, d.bad, d.valid, d.previous) for d in agent.drivers] == [("bob", 2, 2, 0), ("ann", 0, 1, 1)]
    assert agent.drivers[0].budget_share == _floor(2, Fraction(3, 10))
    assert agent.drivers[1].share == Decimal(0)
    assert agent.drivers[1].previous_share == Decimal(1)


def test_a_freshness_objective_is_skipped_with_its_reason(store: SqlStore) -> None:
    """A freshness objective has no bad events to split, and says so."""
    (found,) = drivers(store, "web", "2027-03", AT, objective="backups").objectives
    assert found.drivers is None
    assert found.skipped is not None
    assert "freshness" in found.skipped


def test_an_unknown_objective_is_refused_naming_the_known_ones(store: SqlStore) -> None:
    """--objective nope is refused and the message lists ok, uptime, us-uptime, response, backups."""
    with pytest.raises(InvalidInput, match="nope") as raised:
        drivers(store, "web", "2027-03", AT, objective="nope")
    assert "ok, uptime, us-uptime, response, backups" in str(raised.value.problems[0])


def test_a_memory_store_ranks_the_same_as_sqlite(store: SqlStore) -> None:
    """The in-memory store (read row by row, no grouping) gives the same drivers as SQLite (grouped in the database)."""
    memory = MemoryStore()
    apply_text(memory, DOCUMENT, "web.yaml", now=0)
    memory.store_batch(Batch("e", "web", "requests", "test", 16, events=_events()), now=0)
    ours = drivers(memory, "web", "2027-03", AT, objective="ok")
    theirs = drivers(store, "web", "2027-03", AT, objective="ok")
    assert ours == theirs


def test_downtime_counts_only_the_incidents_the_evaluation_counts(store: SqlStore) -> None:
    """Only incidents the evaluation counts: `where` leaves eu out, `minimumDowntime: 6m` the 5-min us one.

    March holds the 10 min of the 20-min incident from 28 Feb 23:50, February its other 10.
    """
    (found,) = drivers(store, "web", "2027-03", AT, objective="us-uptime").objectives
    assert found.drivers is not None
    (region,) = found.drivers.dimensions
    assert [(d.value, d.bad, d.previous) for d in region.drivers] == [("us", 10 * US_PER_MINUTE, 10 * US_PER_MINUTE)]
    assert found.drivers.bad == 10 * US_PER_MINUTE


def test_json_seconds_are_plain_numbers_never_exponents(store: SqlStore) -> None:
    """10 minutes of downtime are "600" seconds in the JSON (a normalised Decimal would print "6E+2")."""
    (found,) = drivers(store, "web", "2027-03", AT, objective="us-uptime").objectives
    data = objective_drivers_data(found)
    assert (data["unit"], data["bad"], data["previous"]) == ("seconds", "600", "600")
