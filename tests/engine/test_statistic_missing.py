"""Statistics with events that have no value (timeouts): left out, ranked as worst, or given the timeout."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Measurements
from attain.engine.result import Status
from attain.engine.statistic import statistic
from attain.model import Agreement, MissingStatistic, StatisticIndicator

MEASURED = [Decimal(v) for v in (120, 80, 300, 150, 90, 200, 110, 250)]  # ms; sorted: 80 90 110 120 150 200 250 300


def indicator(**extra: Any) -> StatisticIndicator:
    """A nearest-rank p90 of latency in ms that must stay at or under 280 ms."""
    data = {
        "kind": "statistic",
        "value": "latency_ms",
        "op": "le",
        "bound": 280,
        "unit": "ms",
        "statistic": "percentile",
        "percentile": 90,
        "method": "nearest-rank",
    }
    return StatisticIndicator.model_validate(data | extra)


def test_ignoring_missing_values_flatters_the_p90() -> None:
    """missing: ignore (the default): n = 8, rank ⌈0.9 × 8⌉ = ⌈7.2⌉ = 8 → 300 ms; 2 timeouts vanish."""
    result = statistic(indicator(bound=300), MEASURED, missing=2)
    assert (result.count, result.value, result.met, result.beyond) == (8, Decimal(300), True, False)


def test_ten_events_two_missing_p90_falls_on_a_timeout() -> None:
    """missing: worst: n = 10, rank ⌈0.9 × 10⌉ = 9; ranks 1–8 are measured, 9 and 10 the timeouts → not met."""
    result = statistic(indicator(bound=300, missing="worst"), MEASURED, missing=2)
    assert (result.count, result.value, result.met, result.beyond) == (10, None, False, True)


def test_p80_with_two_missing_stays_on_a_measured_value() -> None:
    """missing: worst: n = 10, p80 rank ⌈8⌉ = 8 → the largest measured value, 300 ms, above 280 → not met."""
    result = statistic(indicator(percentile=80, missing="worst"), MEASURED, missing=2)
    assert (result.count, result.value, result.met, result.beyond) == (10, Decimal(300), False, False)
    result = statistic(indicator(percentile=70, missing="worst"), MEASURED, missing=2)
    # rank ⌈7⌉ = 7 → 250 ms ≤ 280 → met
    assert (result.value, result.met) == (Decimal(250), True)


def test_linear_percentile_interpolating_towards_a_timeout_is_beyond() -> None:
    """Linear, n = 10: p70 h = 9 × 0.7 = 6.3 → 250 + 0.3 × 50 = 265; p80 h = 7.2 lies between 300 and a timeout."""
    p70 = statistic(indicator(percentile=70, method="linear", missing="worst"), MEASURED, missing=2)
    assert (p70.value, p70.met) == (Decimal(265), True)
    p80 = statistic(indicator(percentile=80, method="linear", missing="worst"), MEASURED, missing=2)
    assert (p80.value, p80.met, p80.beyond) == (None, False, True)
    # n = 11 (9 measured, 2 missing), p80: h = 10 × 0.8 = 8 exactly lands on the 9th value, 300 ms
    exact = statistic(indicator(percentile=80, method="linear", missing="worst"), [*MEASURED, Decimal(300)], missing=2)
    assert (exact.value, exact.beyond) == (Decimal(300), False)


def test_mean_and_max_with_a_timeout_are_beyond_and_min_is_not() -> None:
    """With any missing event ranked worst, the mean and the maximum are beyond; the minimum is 80 ms."""
    for name, beyond in (("mean", True), ("max", True), ("min", False), ("median", False)):
        extra = {"statistic": name, "percentile": None, "method": None, "missing": "worst", "bound": 100_000}
        result = statistic(indicator(**extra), MEASURED, missing=2)
        assert result.beyond is beyond, name
        assert result.met is (not beyond), name


def test_higher_is_good_ranks_missing_below_every_value() -> None:
    """Op ge: a missing throughput ranks lowest; n = 10, p20 rank 2 is a timeout, p30 rank 3 is 80."""
    high = {"op": "ge", "bound": 50, "missing": "worst"}
    p20 = statistic(indicator(percentile=20, **high), MEASURED, missing=2)
    assert (p20.value, p20.met, p20.beyond) == (None, False, True)
    p30 = statistic(indicator(percentile=30, **high), MEASURED, missing=2)
    assert (p30.value, p30.met) == (Decimal(80), True)


def test_timeout_value_takes_the_place_of_missing_ones_and_makes_the_mean_computable() -> None:
    """timeout: 1s with unit ms: values + 2 × 1000; mean = (1300 + 2000) / 10 = 330 ms; p90 rank 9 = 1000."""
    mean = statistic(indicator(statistic="mean", percentile=None, method=None, timeout="1s"), MEASURED, missing=2)
    assert (mean.count, mean.value, mean.met) == (10, Decimal(330), False)
    p90 = statistic(indicator(timeout=1000), MEASURED, missing=2)
    assert (p90.value, p90.met) == (Decimal(1000), False)


def test_only_timeouts_is_beyond_not_no_data() -> None:
    """Two events, both timed out, ranked worst: n = 2 and the period is not met (not "no data")."""
    result = statistic(indicator(missing="worst"), [], missing=2)
    assert (result.count, result.value, result.met, result.beyond) == (2, None, False, True)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"missing": "timeout"}, "missing: timeout needs a timeout value"),
        ({"missing": "worst", "timeout": 500}, "timeout takes the place of a missing value"),
        ({"timeout": "2s", "unit": "bytes"}, "a duration timeout '2s' needs a time unit"),
    ],
)
def test_contradictory_missing_fields_are_refused(extra: dict[str, Any], message: str) -> None:
    """Missing and timeout must agree: a timeout implies missing: timeout and needs a value in a time unit."""
    with pytest.raises(ValueError, match=message):
        indicator(**extra)


def test_a_duration_timeout_is_converted_into_the_unit() -> None:
    """timeout: 30s with unit ms is 30000 ms, and implies missing: timeout."""
    ind = indicator(timeout="30s")
    assert (ind.timeout, ind.missing) == (Decimal(30000), MissingStatistic.TIMEOUT)


def _reference(kind: str, op: str, p: Fraction, values: list[Decimal], missing: int) -> tuple[str, Fraction | None]:
    """An independent computation: sort (is it missing, value) pairs; worst is last (lower good) or first."""
    low_good = op in ("lt", "le")
    tagged = [(0, Fraction(v)) for v in values] + [(1, Fraction(0))] * missing
    # A missing event sorts after every value when lower is good, before every value otherwise.
    tagged.sort(key=lambda t: (t[0], t[1]) if low_good else (-t[0], t[1]))
    n = len(tagged)
    if kind == "mean":
        return ("beyond", None) if missing else ("value", sum(v for _, v in tagged) / n)
    if kind == "nearest-rank":
        is_missing, value = tagged[max(1, math.ceil(p * n / 100)) - 1]
        return ("beyond", None) if is_missing else ("value", value)
    h = (n - 1) * p / 100
    k = math.floor(h)
    if k + 1 >= n or h == k:
        is_missing, value = tagged[min(k, n - 1)]
        return ("beyond", None) if is_missing else ("value", value)
    if tagged[k][0] or tagged[k + 1][0]:
        return ("beyond", None)
    return ("value", tagged[k][1] + (h - k) * (tagged[k + 1][1] - tagged[k][1]))


@given(
    values=st.lists(st.integers(0, 5000).map(Decimal), max_size=30),
    missing=st.integers(0, 6),
    p=st.integers(1, 100),
    kind=st.sampled_from(["mean", "nearest-rank", "linear"]),
    op=st.sampled_from(["le", "lt", "ge", "gt"]),
    bound=st.integers(0, 5000),
)
def test_missing_as_worst_matches_an_independent_sort(
    values: list[Decimal], missing: int, p: int, kind: str, op: str, bound: int
) -> None:
    """missing: worst agrees with a sort of (missing?, value) pairs for the mean and both percentile methods."""
    if not values and not missing:
        return
    extra: dict[str, Any] = {"op": op, "bound": bound, "missing": "worst", "percentile": p}
    extra |= {"statistic": "mean", "percentile": None, "method": None} if kind == "mean" else {"method": kind}
    result = statistic(indicator(**extra), values, missing=missing)
    outcome, value = _reference(kind, op, Fraction(p), values, missing)
    assert result.count == len(values) + missing
    if outcome == "beyond":
        assert (result.value, result.met, result.beyond) == (None, False, True)
        return
    assert value is not None
    assert result.value is not None
    assert abs(Fraction(result.value) - value) <= abs(value) * Fraction(1, 10**26)
    holds = {"le": value <= bound, "lt": value < bound, "ge": value >= bound, "gt": value > bound}[op]
    assert result.met is holds


def test_evaluation_counts_events_without_a_value_as_worst() -> None:
    """Through evaluate: 8 measured and 2 timed-out requests in a day; p90 falls on a timeout → breached."""
    agreement = Agreement.model_validate(
        {
            "apiVersion": "attain/v1",
            "kind": "Agreement",
            "metadata": {"name": "api"},
            "spec": {
                "title": "API",
                "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
                "purpose": "x",
                "effective": {"from": "2027-01-01"},
                "objectives": [
                    {
                        "name": "p90",
                        "indicator": indicator(bound=300, missing="worst").model_dump(by_alias=True, mode="json")
                        | {"events": "requests"},
                        "window": "day",
                    }
                ],
            },
        },
        by_alias=True,
        by_name=False,
    )
    start = to_us(datetime(2027, 1, 5, tzinfo=UTC))
    events = [Event(start + i * US_PER_MINUTE, v, {}) for i, v in enumerate([*MEASURED, None, None])]
    measurements = Measurements(events={"requests": EventTable.from_events(events)})
    period = evaluate(agreement, measurements, start + 86_400_000_000).objectives[0].periods[-1]
    assert (period.status, period.valid, period.statistic) == (Status.BREACHED, Decimal(10), None)
    assert period.detail == {"missing": 2, "beyond_measured": True}


def test_semantics_example_with_two_timeouts() -> None:
    """docs/semantics.md: ten responses and two timeouts, p90 nearest-rank against le 1200, three ways."""
    responses = [Decimal(v) for v in (300, 420, 480, 540, 600, 660, 720, 900, 1200, 1500)]
    base = {"unit": "s", "bound": 1200}
    ignore = statistic(indicator(**base), responses, missing=2)
    worst = statistic(indicator(missing="worst", **base), responses, missing=2)
    timeout = statistic(indicator(timeout=1800, **base), responses, missing=2)
    mean = statistic(indicator(statistic="mean", percentile=None, method=None, timeout=1800, **base), responses, 2)
    assert (ignore.value, ignore.met) == (Decimal(1200), True)  # rank ⌈9⌉ = 9 of 10
    assert (worst.count, worst.beyond, worst.met) == (12, True, False)  # rank ⌈10.8⌉ = 11 is a timeout
    assert (timeout.value, timeout.met) == (Decimal(1800), False)  # rank 11 of 12
    assert mean.value == Decimal(910)  # (7,320 + 2 × 1,800) / 12
    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "semantics.md").read_text().split())
    assert "rank ⌈90 × 12 / 100⌉ = ⌈10.8⌉ = 11" in text
    assert "(7,320 + 3,600) / 12 = **910 s**" in text
