"""`attain summary` equals `attain evaluate` on random agreements, events and instants.

The summary side goes through `summarize_path` (what `attain summary AGREEMENT.yaml --data
requests.parquet` calls: one compiled pass over a Parquet file, then prefix sums) and, in a second
property, `summarize_stored` (what `attain summary NAME` calls, from a SQLite store's rollups after
`attain ingest --buckets-only`); the other side is `attain.engine.evaluate` on the same events as
an in-memory table, the general engine behind `attain evaluate`. Every answer is compared exactly: good and valid, the ratio, the budget
consumed and remaining, the burn rates of the windows both report, the alert state, and each day's
good and valid (against the engine's calendar days of the agreement's zone, DST days included).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Measurements
from attain.engine.result import ObjectiveEvaluation
from attain.engine.summary import SEVERITY_ORDER, Summary
from attain.ingestion.counting import ingest_counts
from attain.model import Agreement
from attain.services.store import apply_files
from attain.services.summary import goals, summarize_path, summarize_stored
from attain.storage import SqlStore, connect, upgrade

SECOND = 1_000_000
BASES = tuple(
    to_us(datetime(*d, tzinfo=UTC)) for d in ((2026, 3, 28, 12), (2026, 10, 24, 18), (2026, 11, 2), (2026, 6, 30, 23))
)
"""Instants near Berlin's and New York's clock changes, a midnight and a month end (the day added later)."""
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
INDICATORS = (
    {"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}},
    {"kind": "ratio", "events": "requests", "bad": {"where": {"status": [500, 503]}}},
    {"kind": "ratio", "events": "requests", "valid": {"whereNot": {"region": "test"}}, "good": {"where": {"ok": True}}},
)
WINDOW_MINUTES = (5, 10, 30, 60, 120, 360, 1440, 4320)


@dataclass(frozen=True)
class Row:
    """Events at one instant: how many, and their attributes."""

    offset_us: int
    copies: int
    ok: bool
    status: int
    region: str | None


def _duration(minutes: int) -> str:
    return f"{minutes // 1440}d" if minutes % 1440 == 0 else f"{minutes}m"


@st.composite
def tiers(draw: st.DrawFn) -> dict[str, Any]:
    """Custom burn-rate tiers (long window over short window) with a low-traffic guard."""
    found = []
    for _ in range(draw(st.integers(1, 3))):
        long_index = draw(st.integers(1, len(WINDOW_MINUTES) - 1))
        short = draw(st.sampled_from(WINDOW_MINUTES[:long_index]))
        found.append(
            {
                "longWindow": _duration(WINDOW_MINUTES[long_index]),
                "shortWindow": _duration(short),
                "budgetConsumed": draw(st.sampled_from(["1%", "2%", "5%", "10%", "50%"])),
                "severity": draw(st.sampled_from(["page", "ticket", "info"])),
            }
        )
    return {"tiers": found, "minimumEvents": draw(st.integers(0, 4))}


@st.composite
def objectives(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """A ratio objective with a rolling window, a target and maybe an alert policy."""
    objective: dict[str, Any] = {
        "name": f"o{number}",
        "indicator": draw(st.sampled_from(INDICATORS)),
        "target": draw(st.sampled_from(["90%", "95%", "99%", "99.5%", "99.9%", "99.95%", "99.123%"])),
        "window": {"rolling": draw(st.sampled_from(["1h", "6h", "1d", "2d", "3d", "7d"]))},
    }
    alerting = draw(st.one_of(st.none(), st.just({"preset": "sre-workbook"}), tiers()))
    if alerting is not None:
        objective["alerting"] = alerting
    return objective


rows = st.builds(
    Row,
    offset_us=st.one_of(
        st.integers(-8 * 86_400, 3_600).map(lambda s: s * SECOND),  # anywhere, some after the instant
        st.integers(-7_200 * SECOND, -1),  # the last two hours, where the short windows look
    ),
    copies=st.sampled_from([1, 1, 2, 3, 10, 40]),
    ok=st.booleans(),
    status=st.sampled_from([200, 200, 500, 503]),
    region=st.sampled_from(["eu", "test", None]),
)


def _agreement(zone: str, chosen: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": "shop"},
        "spec": {
            "title": "Shop",
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
            "purpose": "Tests.",
            "timeZone": zone,
            "effective": {"from": "2026-01-01"},
            "objectives": chosen,
        },
    }


def _write_parquet(path: Path, at: int, found: list[Row]) -> None:
    expanded = [r for r in found for _ in range(r.copies)]
    stamps = [at + r.offset_us for r in expanded]
    table = pa.table(
        {
            "timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")),
            "ok": pa.array([r.ok for r in expanded], pa.bool_()),
            "status": pa.array([r.status for r in expanded], pa.int64()),
            "region": pa.array([r.region for r in expanded], pa.string()),
        }
    )
    pq.write_table(table, path)


def _measurements(at: int, found: list[Row]) -> Measurements:
    events = [
        Event(at + r.offset_us, None, {"ok": r.ok, "status": r.status, "region": r.region})
        for r in found
        for _ in range(r.copies)
    ]
    return Measurements(events={"requests": EventTable.from_events(events)})


def _expected_state(evaluation: ObjectiveEvaluation) -> str:
    firing = {a.severity for a in evaluation.alerts if a.firing}
    ordered = [s for s in SEVERITY_ORDER if s in firing] + sorted(firing - set(SEVERITY_ORDER))
    return ordered[0] if ordered else "ok"


def _assert_equal(summary: Summary, engine: ObjectiveEvaluation, days: ObjectiveEvaluation) -> None:
    """Every answer of one objective's summary equals the engine's."""
    period = engine.periods[-1]
    assert (Decimal(summary.good), Decimal(summary.valid)) == (period.good, period.valid)
    assert summary.ratio == period.ratio
    if period.budget is None:
        assert summary.remaining is None
    else:
        assert period.budget.consumed == summary.valid - summary.good
        assert summary.remaining == period.budget.remaining
    rates = dict(engine.burn_rates)
    compared = [b for b in summary.burns if b.window_us in rates]
    assert [b.rate for b in compared] == [rates[b.window_us] for b in compared]
    if period.end - period.start >= 60 * US_PER_MINUTE:
        assert summary.burns[2].rate == engine.burn_rate  # the last hour
    assert summary.state == _expected_state(engine)
    measured = [(p.measured_from, p.good, p.valid) for p in days.periods if p.measured_from < p.measured_until]
    assert [(start, Decimal(g), Decimal(v)) for start, g, v in summary.days] == measured


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    chosen=st.integers(1, 3).flatmap(lambda n: st.tuples(*(objectives(i) for i in range(n)))),
    base=st.sampled_from(BASES),
    minutes=st.integers(0, 1440),
    found=st.lists(rows, min_size=1, max_size=120),
)
def test_summary_equals_evaluate(
    zone: str, chosen: tuple[dict[str, Any], ...], base: int, minutes: int, found: list[Row]
) -> None:
    """For any agreement, events and instant, the summary's answers are the engine's, digit for digit."""
    at = base + minutes * US_PER_MINUTE
    document = _agreement(zone, list(chosen))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.yaml"
        path.write_text(json.dumps(document), encoding="utf-8")
        data = Path(folder) / "requests.parquet"
        _write_parquet(data, at, found)
        summaries = summarize_path(path, data, at)
    agreement = Agreement.model_validate(document, by_alias=True, by_name=False)
    measurements = _measurements(at, found)
    evaluation = evaluate(agreement, measurements, at)
    assert [s.objective for s in summaries] == [o.objective for o in evaluation.objectives]
    for summary, engine, objective in zip(summaries, evaluation.objectives, chosen, strict=True):
        daily = {**document, "spec": {**document["spec"], "objectives": [{**objective, "window": {"calendar": "day"}}]}}
        period_us = engine.periods[-1].end - engine.periods[-1].start
        by_day = evaluate(
            Agreement.model_validate(daily, by_alias=True, by_name=False), measurements, at, at - period_us
        )
        _assert_equal(summary, engine, by_day.objectives[0])


@settings(max_examples=10, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    chosen=st.integers(1, 3).flatmap(lambda n: st.tuples(*(objectives(i) for i in range(n)))),
    base=st.sampled_from(BASES),
    minutes=st.integers(0, 1440),
    found=st.lists(rows, min_size=1, max_size=60),
)
def test_stored_summary_equals_the_file_summary(
    zone: str, chosen: tuple[dict[str, Any], ...], base: int, minutes: int, found: list[Row]
) -> None:
    """The summary from a store's rollups is the summary of the file, so it too equals the engine's answers."""
    at = base + minutes * US_PER_MINUTE
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.yaml"
        path.write_text(json.dumps(_agreement(zone, list(chosen))), encoding="utf-8")
        data = Path(folder) / "requests.parquet"
        _write_parquet(data, at, found)
        engine = connect(f"sqlite:///{folder}/attain.db")
        upgrade(engine)
        store = SqlStore(engine)
        apply_files(store, [path], at)
        ingest_counts(store, data, "shop", at)
        try:
            assert summarize_stored(store, "shop", at) == summarize_path(path, data, at)
        finally:
            engine.dispose()


def test_time_slice_objectives_are_left_to_the_general_engine() -> None:
    """Only objectives budgeted by occurrences are summarised: a slice objective's answer is not an event ratio."""
    indicator = INDICATORS[0]
    chosen = [
        {"name": "events", "indicator": indicator, "target": "99%", "window": "7d"},
        {
            "name": "slices",
            "indicator": indicator,
            "target": "99%",
            "window": "7d",
            "budgeting": {"method": "Timeslices", "slice": "5m", "sliceTarget": "95%"},
        },
        {
            "name": "ratio-slices",
            "indicator": indicator,
            "target": "99%",
            "window": "7d",
            "budgeting": {"method": "RatioTimeslices", "slice": "5m"},
        },
    ]
    agreement = Agreement.model_validate(_agreement("UTC", chosen), by_alias=True, by_name=False)
    assert [goal.objective for goal in goals(agreement)] == ["events"]


HOURS = (
    {"mon-fri": ["08:00-18:00"]},
    {"mon-sun": ["00:00-02:30", "09:30-12:00", "13:00-24:00"]},
    {"sat,sun": ["10:00-16:00"], "wed": ["08:00-09:00"]},
)
"""Service hours: office days, hours across the night and a lunch break (DST nights included), weekends."""


@settings(max_examples=25, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hours=st.sampled_from(HOURS),
    chosen=st.integers(1, 2).flatmap(lambda n: st.tuples(*(objectives(i) for i in range(n)))),
    timed=st.lists(st.booleans(), min_size=2, max_size=2),
    base=st.sampled_from(BASES),
    minutes=st.integers(0, 1440),
    found=st.lists(rows, min_size=1, max_size=80),
)
def test_service_hours_summary_equals_evaluate(
    zone: str,
    hours: dict[str, list[str]],
    chosen: tuple[dict[str, Any], ...],
    timed: list[bool],
    base: int,
    minutes: int,
    found: list[Row],
) -> None:
    """With serviceHours, the file summary and the stored summary both equal the engine's answers."""
    at = base + minutes * US_PER_MINUTE
    picked = [{**o, "serviceHours": "office"} if t else o for o, t in zip(chosen, timed, strict=False)]
    document = _agreement(zone, picked)
    document["spec"]["calendars"] = {"office": {"timeZone": zone, "hours": hours}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.yaml"
        path.write_text(json.dumps(document), encoding="utf-8")
        data = Path(folder) / "requests.parquet"
        _write_parquet(data, at, found)
        from_file = summarize_path(path, data, at)
        engine = connect(f"sqlite:///{folder}/attain.db")
        upgrade(engine)
        store = SqlStore(engine)
        apply_files(store, [path], at)
        ingest_counts(store, data, "shop", at)
        try:
            assert summarize_stored(store, "shop", at) == from_file
        finally:
            engine.dispose()
    agreement = Agreement.model_validate(document, by_alias=True, by_name=False)
    measurements = _measurements(at, found)
    evaluation = evaluate(agreement, measurements, at)
    for summary, result, objective in zip(from_file, evaluation.objectives, picked, strict=True):
        daily = {**document, "spec": {**document["spec"], "objectives": [{**objective, "window": {"calendar": "day"}}]}}
        period_us = result.periods[-1].end - result.periods[-1].start
        by_day = evaluate(
            Agreement.model_validate(daily, by_alias=True, by_name=False), measurements, at, at - period_us
        )
        _assert_equal(summary, result, by_day.objectives[0])
