"""Valid and good events for ratio, threshold and probe indicators, and per-minute buckets."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.classify import MetricIndicatorError, bucket, classify
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import Event, EventTable
from attain.model import AvailabilityIndicator, RatioIndicator, ThresholdIndicator


def threshold(op: str, bound: str, **extra: object) -> ThresholdIndicator:
    """A threshold indicator on `v`."""
    return ThresholdIndicator.model_validate({"kind": "threshold", "value": "v", "op": op, "bound": bound} | extra)


def table(*values: str | None, **attributes: list[object]) -> EventTable:
    """One event per value, a minute apart, with optional attribute columns."""
    return EventTable.from_events(
        [
            Event(i * US_PER_MINUTE, None if v is None else Decimal(v), {k: col[i] for k, col in attributes.items()})
            for i, v in enumerate(values)
        ]
    )


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ("lt", [True, False, False]),
        ("le", [True, True, False]),
        ("gt", [False, False, True]),
        ("ge", [False, True, True]),
    ],
)
def test_operators_are_exact_at_the_bound(op: str, expected: list[bool]) -> None:
    """Exactly 5 s is `le 5 s` and `ge 5 s` but neither `lt` nor `gt`."""
    _, good = classify(threshold(op, "5"), table("4.999", "5", "5.001"))
    assert good.tolist() == expected


def test_decimals_beyond_float_precision_compare_exactly() -> None:
    """5.0000000000000001 is above 5 even though it is 5.0 as a float."""
    _, good = classify(threshold("le", "5"), table("5.0000000000000001", "5"))
    assert good.tolist() == [False, True]


def test_missing_values_count_as_the_indicator_says() -> None:
    """An event without a value is bad by default, good or not valid when the agreement says so."""
    events = table("1", None)
    assert [m.tolist() for m in classify(threshold("le", "5"), events)] == [[True, True], [True, False]]
    assert [m.tolist() for m in classify(threshold("le", "5", missing="good"), events)] == [[True, True], [True, True]]
    assert [m.tolist() for m in classify(threshold("le", "5", missing="invalid"), events)] == [
        [True, False],
        [True, False],
    ]


def test_filtered_events_are_not_valid() -> None:
    """Cancelled calls are outside the indicator: neither valid nor good."""
    indicator = threshold("le", "900", whereNot={"status": "cancelled"})
    valid, good = classify(indicator, table("100", "100", None, status=["done", "cancelled", "done"]))
    assert (valid.tolist(), good.tolist()) == ([True, False, True], [True, False, False])


def test_ratio_good_or_bad_selectors() -> None:
    """Good events match good; with bad instead, good is valid and not bad; CSV '200' equals YAML 200."""
    codes = ["200", "503", "404", "200"]
    methods = ["GET", "GET", "GET", "POST"]
    by_good = RatioIndicator.model_validate(
        {"kind": "ratio", "valid": {"where": {"method": "GET"}}, "good": {"where": {"code": [200, 404]}}}
    )
    valid, good = classify(by_good, table(None, None, None, None, code=codes, method=methods))
    assert (valid.tolist(), good.tolist()) == ([True, True, True, False], [True, False, True, False])
    by_bad = RatioIndicator.model_validate({"kind": "ratio", "bad": {"where": {"code": "503"}}})
    _, good = classify(by_bad, table(None, None, None, None, code=codes, method=methods))
    assert good.tolist() == [True, False, True, True]


def test_an_absent_attribute_never_matches() -> None:
    """An event without the attribute matches neither a value nor an empty string."""
    indicator = RatioIndicator.model_validate({"kind": "ratio", "good": {"where": {"code": ["", "200"]}}})
    events = EventTable.from_events([Event(0, None, {}), Event(1, None, {"code": ""}), Event(2, None, {"code": 200})])
    assert classify(indicator, events)[1].tolist() == [False, True, True]


def test_probes_are_good_when_up() -> None:
    """A probe is good when it matches `up`."""
    probes = AvailabilityIndicator.model_validate(
        {"kind": "availability", "from": "probes", "up": {"where": {"status": "up"}}}
    )
    assert classify(probes, table(None, None, status=["up", "down"]))[1].tolist() == [True, False]


def test_metric_selectors_cannot_classify_events() -> None:
    """An indicator that reads a Prometheus query needs counts, not events."""
    indicator = RatioIndicator.model_validate(
        {"kind": "ratio", "good": {"metric": {"type": "Prometheus", "spec": {"query": "x"}}}}
    )
    with pytest.raises(MetricIndicatorError):
        classify(indicator, table("1"))


def test_buckets_are_half_open_minutes() -> None:
    """An event at exactly 00:01:00 falls in the second minute; events outside the range are dropped."""
    at = np.array([0, US_PER_MINUTE - 1, US_PER_MINUTE, 5 * US_PER_MINUTE, -1], dtype=np.int64)
    counts = bucket(at, np.ones(5, dtype=bool), 0, 3)
    assert counts.tolist() == [2, 1, 0]


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2000)), max_size=60))
def test_vectorised_threshold_agrees_with_plain_comparison(rows: list[tuple[int, int]]) -> None:
    """For random millisecond values, good is exactly `value ≤ 1.000` computed by hand."""
    events = [Event(minute * US_PER_MINUTE, Decimal(ms).scaleb(-3)) for minute, ms in rows]
    _, good = classify(threshold("le", "1"), EventTable.from_events(events))
    ordered = sorted(rows, key=lambda r: r[0])
    assert good.tolist() == [ms <= 1000 for _, ms in ordered]
