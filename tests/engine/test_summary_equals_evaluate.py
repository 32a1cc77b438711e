"""The one-pass summary gives the numbers `evaluate` gives on the same events, and counts exactly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from attain.engine.evaluate import evaluate
from attain.engine.measurement import Event, EventTable, Measurements
from attain.engine.minute_summary import summarize
from attain.engine.summary import Goal
from attain.model import SRE_WORKBOOK_TIERS, BurnRateTier
from attain.testing import agreement, agreement_model, ratio_objective

MINUTE = 60_000_000
AT = 1_793_577_600_000_000  # 2026-11-02T00:00:00Z
DAYS = 7
AGREEMENT = agreement(
    name="one",
    time_zone="UTC",
    objectives=[ratio_objective("api", window={"rolling": "7d"}, alerting="sre-workbook")],
)


def _events(seed: int) -> list[Event]:
    """Random events over the week, with a burst of errors in the last half hour."""
    rng = np.random.default_rng(seed)
    first = AT - DAYS * 1440 * MINUTE
    stamps = rng.integers(first - 60 * MINUTE, AT + 5 * MINUTE, 3_000)
    late = rng.integers(AT - 30 * MINUTE, AT, 200)
    events = [Event(int(t), None, {"ok": bool(rng.random() > 0.02)}) for t in stamps]
    return events + [Event(int(t), None, {"ok": bool(rng.random() > 0.5)}) for t in late]


def _counts(events: list[Event]) -> tuple[np.ndarray, np.ndarray]:
    first = AT - DAYS * 1440 * MINUTE
    good = np.zeros((1, DAYS * 1440), dtype=np.int64)
    valid = np.zeros((1, DAYS * 1440), dtype=np.int64)
    for event in events:
        if first <= event.at < AT:
            valid[0, (event.at - first) // MINUTE] += 1
            good[0, (event.at - first) // MINUTE] += event.attributes["ok"]
    return good, valid


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_matches_evaluate(seed: int) -> None:
    """Attainment, budget, last-hour burn rate and alert state equal those of the full engine."""
    agreement = agreement_model(AGREEMENT)
    events = _events(seed)
    evaluation = evaluate(agreement, Measurements(events={"requests": EventTable.from_events(events)}), AT)
    engine = evaluation.objectives[0]
    period = engine.periods[-1]
    goal = Goal("api", Decimal("0.99"), DAYS * 1440 * MINUTE, SRE_WORKBOOK_TIERS)
    good, valid = _counts(events)
    summary = summarize([goal], good, valid, AT - DAYS * 1440 * MINUTE, AT)[0]
    assert (Decimal(summary.good), Decimal(summary.valid)) == (period.good, period.valid)
    assert summary.ratio == period.ratio
    assert period.budget is not None
    assert summary.remaining == period.budget.remaining
    assert summary.burns[2].window_us == 60 * MINUTE
    assert summary.burns[2].rate == engine.burn_rate
    firing = {a.severity for a in engine.alerts if a.firing}
    expected = "page" if "page" in firing else ("ticket" if "ticket" in firing else "ok")
    assert summary.state == expected


def test_an_empty_window_has_no_burn_rate_and_never_fires() -> None:
    """Without valid events every burn rate is None and the state is ok."""
    goal = Goal("api", Decimal("0.999"), 1440 * MINUTE, SRE_WORKBOOK_TIERS)
    zeros = np.zeros((1, 1440), dtype=np.int64)
    summary = summarize([goal], zeros, zeros, AT - 1440 * MINUTE, AT)[0]
    assert summary.ratio is None
    assert summary.remaining is None
    assert all(b.rate is None for b in summary.burns)
    assert summary.state == "ok"


def test_windows_longer_than_the_data_have_no_burn_rate() -> None:
    """A 3-day window over one day of counts reaches before the data, so it has no burn rate."""
    goal = Goal("api", Decimal("0.9"), 1440 * MINUTE, SRE_WORKBOOK_TIERS)
    valid = np.ones((1, 1440), dtype=np.int64)
    summary = summarize([goal], valid, valid, AT - 1440 * MINUTE, AT, windows=[timedelta(days=1), timedelta(days=3)])[0]
    assert [b.rate for b in summary.burns] == [Decimal(0), None]


def test_an_alert_that_cleared_at_the_instant_is_not_firing() -> None:
    """One bad event two minutes back fires the page; 999 good ones in the last minute clear it at `at`."""
    agreement = agreement_model(AGREEMENT)
    events = [Event(AT - 115_000_000, None, {"ok": False})] + [Event(AT - 1, None, {"ok": True})] * 999
    evaluation = evaluate(agreement, Measurements(events={"requests": EventTable.from_events(events)}), AT)
    page = evaluation.objectives[0].alerts[0]
    assert page.intervals == ((AT - MINUTE, AT),)
    assert page.firing is False
    goal = Goal("api", Decimal("0.99"), DAYS * 1440 * MINUTE, SRE_WORKBOOK_TIERS)
    good, valid = _counts(events)
    assert summarize([goal], good, valid, AT - DAYS * 1440 * MINUTE, AT)[0].state == "ok"


def test_a_goal_reads_no_counts_before_its_own_window() -> None:
    """Beside a 7-day goal, a 1-day goal still has no 3-day burn rate and its 3-day tier cannot fire."""
    tiers = (BurnRateTier(long_window=timedelta(days=3), short_window=timedelta(hours=1), budget_consumed=Decimal(1)),)
    day, week = (Goal(name, Decimal("0.99"), d * 1440 * MINUTE, tiers) for name, d in (("day", 1), ("week", 7)))
    valid = np.ones((2, 7 * 1440), dtype=np.int64)
    good = valid.copy()
    good[:, -3 * 1440 :] = 0  # three days of nothing but bad events
    together = summarize([day, week], good, valid, AT - 7 * 1440 * MINUTE, AT)
    alone = summarize([day], good[:1, -1440:], valid[:1, -1440:], AT - 1440 * MINUTE, AT)
    assert together[0] == alone[0]
    assert (together[0].burns[-1].rate, together[0].state) == (None, "ok")
    assert (together[1].burns[-1].rate, together[1].state) == (Decimal(100), "page")
