"""Conditions found in an evaluation: keys, severities, instants and facts, computed by hand.

The agreement and measurements are described in `notices_support` with every figure worked out.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.engine.notices_support import AGREEMENT, NOW, agreement, evaluated, utc

from attain.engine.conditions import HORIZON_US
from attain.engine.notices import Condition, conditions
from attain.engine.result import BudgetState, Evaluation, ObjectiveEvaluation, PeriodResult, Status
from attain.model.notify import EventKind

B, BU, BR, CR, TR, CA, SI, RV = (
    EventKind.BURN_RATE,
    EventKind.BUDGET,
    EventKind.BREACH,
    EventKind.CREDIT,
    EventKind.TERMINATION_RIGHT,
    EventKind.CASE,
    EventKind.SILENT_SOURCE,
    EventKind.REVIEW_DUE,
)
API, SUPPORT = "api-availability", "support-response"


def found(at: int = NOW, text: str = AGREEMENT, **extra: object) -> tuple[Condition, ...]:
    """The shop's conditions at `at`."""
    shop, evaluation = evaluated(at, text)
    return conditions(shop, evaluation, at, **extra)  # type: ignore[arg-type]


def by_key(items: tuple[Condition, ...]) -> dict[str, Condition]:
    """Conditions by key."""
    return {c.key: c for c in items}


def test_every_condition_at_mid_november_in_order() -> None:
    """Burn rate, budgets, breaches, cases per objective; then credit, right, silent source, review."""
    items = found(last_seen={"requests": utc(11, 15, 11, 20)}, review_due=utc(11, 15))
    assert [(c.kind, c.key, c.severity, c.since, c.resolvable) for c in items] == [
        (B, f"burn-rate/{API}/page/60m-5m", "page", utc(11, 15, 11, 59), True),
        (BU, f"budget/{API}/2026-11/50%", "info", NOW, False),
        (BU, f"budget/{API}/2026-11/75%", "info", NOW, False),
        (BR, f"breach/{API}/2026-10", "critical", utc(11, 1), False),
        (BU, f"budget/{SUPPORT}/2026-11/50%", "info", NOW, False),
        (BU, f"budget/{SUPPORT}/2026-11/75%", "info", NOW, False),
        (BU, f"budget/{SUPPORT}/2026-11/100%", "warning", NOW, False),
        (BR, f"breach/{SUPPORT}/2026-10", "critical", utc(11, 1), False),
        (CA, f"case/{SUPPORT}/T-1/50%", "info", utc(11, 15, 10, 30), False),
        (CA, f"case/{SUPPORT}/T-1/75%", "warning", utc(11, 15, 11, 30), False),
        (CA, f"case/{SUPPORT}/T-2/100%", "critical", utc(11, 14, 10), False),
        (CR, "credit/2026-10", "warning", utc(11, 1), False),
        (TR, f"termination-right/{API}/2026-10/renegotiate", "critical", utc(11, 1), False),
        (SI, f"silent-source/{API}/requests", "warning", utc(11, 15, 11, 50), True),
        (RV, "review-due/2026-11-15T00:00:00Z", "info", utc(11, 15), False),
    ]
    assert {c.agreement for c in items} == {"shop"}
    assert [c.objective for c in items][-3:] == [API, API, None]
    assert items[11].objective is None  # a credit combines objectives


def test_burn_rate_facts_are_the_threshold_and_both_windows_exactly() -> None:
    """14.4 = 2% × 720 h ÷ 1 h; 1 h: (10/60) ÷ 1% = 16.66…67 (28 digits); 5 m: (5/5) ÷ 1% = 100."""
    [burn] = [c for c in found() if c.kind is B]
    assert burn.facts == (
        ("threshold", "14.4"),
        ("burn_rate_60m", "16.66666666666666666666666667"),
        ("burn_rate_5m", "100"),
    )


def test_budget_facts_name_period_threshold_and_the_exact_budget() -> None:
    """November: 10 bad of 1,200 valid against 1% allows 12 events, 83.3% spent: 50% and 75% crossed."""
    item = by_key(found())[f"budget/{API}/2026-11/75%"]
    assert item.facts == (
        ("period", "2026-11"),
        ("threshold", "75%"),
        ("consumed", "10"),
        ("allowed", "12.00"),
        ("unit", "events"),
    )
    assert f"budget/{API}/2026-11/100%" not in by_key(found())


def test_breach_credit_and_right_facts() -> None:
    """October: 98 of 100 against 99%; 10% of 1,000.00 EUR owed; renegotiation until Dec 1 (30 d)."""
    items = by_key(found())
    assert items[f"breach/{API}/2026-10"].facts == (("period", "2026-10"), ("attainment", "98%"), ("target", "99%"))
    assert items[f"breach/{SUPPORT}/2026-10"].facts == (
        ("period", "2026-10"),
        ("attainment", "0%"),
        ("target", "90%"),
    )
    credit = dict(items["credit/2026-10"].facts)
    assert (credit["period"], credit["share"], credit["currency"], credit["objectives"]) == (
        "2026-10",
        "10%",
        "EUR",
        API,
    )
    assert credit["amount"] == credit["payable"] == "100.0000"  # 1000.00 × 0.10, exact, not rounded
    assert items[f"termination-right/{API}/2026-10/renegotiate"].facts == (
        ("grants", "renegotiate"),
        ("periods", "2026-10"),
        ("exercise_until", "2026-12-01T00:00:00Z"),
    )


def test_case_facts_name_the_case_its_share_goal_and_due_instant() -> None:
    """T-1 opened 08:30 with a 4 h goal is due 12:30; T-2 opened 06:00 Nov 14 breached at 10:00."""
    items = by_key(found())
    assert items[f"case/{SUPPORT}/T-1/50%"].facts == (
        ("case", "T-1"),
        ("share", "50%"),
        ("goal", "4h"),
        ("due", "2026-11-15T12:30:00Z"),
    )
    assert items[f"case/{SUPPORT}/T-2/100%"].facts[-1] == ("due", "2026-11-14T10:00:00Z")
    assert not any("T-3" in key or "T-4" in key for key in items)  # long breached, and met


def test_closed_periods_older_than_the_horizon_are_not_told_again() -> None:
    """Dec 10: October ended 39 days ago, beyond 35; November (ended 9 days ago) is told."""
    keys = [c.key for c in found(utc(12, 10))]
    assert HORIZON_US == 35 * 24 * 3600 * 1_000_000
    assert f"breach/{API}/2026-10" not in keys
    assert "credit/2026-10" not in keys
    assert f"termination-right/{API}/2026-10/renegotiate" not in keys
    assert f"breach/{SUPPORT}/2026-11" in keys  # 1 of 3 tickets decided in November: 33.3% < 90%


def test_the_horizon_edge_is_exclusive() -> None:
    """October ended Nov 1 00:00: still told 35 days less 1 µs later, not at exactly 35 days."""
    just_inside = utc(11, 1) + HORIZON_US - 1
    at_edge = utc(11, 1) + HORIZON_US
    shop, evaluation = evaluated(utc(12, 5, 23, 59))
    inside_keys = {c.key for c in conditions(shop, evaluation, just_inside)}
    edge_keys = {c.key for c in conditions(shop, evaluation, at_edge)}
    assert f"breach/{API}/2026-10" in inside_keys
    assert f"breach/{API}/2026-10" not in edge_keys


def test_a_case_breached_beyond_the_horizon_is_not_told() -> None:
    """Dec 20: T-2 (breached Nov 14 10:00, 36 d earlier) is not told; T-1 (Nov 15 12:30, 34.5 d) is."""
    keys = {c.key for c in found(utc(12, 20))}
    assert f"case/{SUPPORT}/T-2/100%" not in keys
    assert f"case/{SUPPORT}/T-1/100%" in keys
    assert not {f"case/{SUPPORT}/T-1/50%", f"case/{SUPPORT}/T-1/75%"} & keys  # warnings: open cases only


def test_a_stream_is_silent_only_strictly_after_silent_after() -> None:
    """Last seen 11:30, silent after 30 min: not at 12:00 (exactly 30 min), silent from 12:01."""
    assert not [c for c in found(last_seen={"requests": utc(11, 15, 11, 30)}) if c.kind is SI]
    assert not [c for c in found(last_seen={"requests": utc(11, 15, 11, 31)}) if c.kind is SI]
    [silent] = [c for c in found(last_seen={"requests": utc(11, 15, 11, 29)}) if c.kind is SI]
    assert silent.since == utc(11, 15, 11, 59)


def test_a_stream_never_seen_is_silent_since_the_range_start() -> None:
    """No entry for requests: never seen, silent since Oct 1 + 30 min; the ticket stream is never watched."""
    [silent] = [c for c in found(last_seen={}) if c.kind is SI]
    assert silent.key == f"silent-source/{API}/requests"
    assert silent.since == utc(10, 1, 0, 30)
    assert dict(silent.facts)["last_seen"] == "never"


def test_no_last_seen_means_no_silent_sources_and_a_future_review_is_not_due() -> None:
    """Without `last_seen` nothing is silent; a review due tomorrow is not told today."""
    kinds = {c.kind for c in found(review_due=utc(11, 16))}
    assert SI not in kinds
    assert RV not in kinds


SERVICE_HOURS = AGREEMENT.replace(
    "  objectives:\n",
    "  calendars:\n    office: {timeZone: UTC, hours: {mon-fri: ['09:00-17:00']}}\n  objectives:\n",
).replace("      target: 99%\n", "      target: 99%\n      serviceHours: office\n", 1)


def test_a_stream_is_silent_only_inside_its_objectives_service_hours() -> None:
    """Service hours Mon-Fri 09-17: Sunday Nov 15 12:00 is outside, Monday Nov 16 12:00 inside."""
    seen = {"requests": utc(11, 15, 11)}
    assert not [c for c in found(last_seen=seen, text=SERVICE_HOURS) if c.kind is SI]
    monday = [c.key for c in found(utc(11, 16, 12), last_seen=seen, text=SERVICE_HOURS) if c.kind is SI]
    assert monday == [f"silent-source/{API}/requests"]


def test_configured_thresholds_replace_the_default() -> None:
    """BudgetThresholds [80%, 90%]: 83.3% spent crosses 80% only."""
    text = AGREEMENT + "  notify:\n    budgetThresholds: [80%, 90%]\n"
    keys = [c.key for c in found(text=text) if c.kind is BU and API in c.key]
    assert keys == [f"budget/{API}/2026-11/80%"]


def test_a_rolling_window_is_told_of_burn_rates_only() -> None:
    """A rolling window's period moves every tick: no budget, breach or credit keys for it."""
    text = AGREEMENT.replace("window: {calendar: month}\n      alerting", "window: {rolling: 30d}\n      alerting", 1)
    text = text.replace("      credits: [{below: 99%, credit: 10%}]\n", "")
    kinds = {(c.kind, c.objective) for c in found(text=text)}
    assert (B, API) in kinds
    assert not {(BU, API), (BR, API), (TR, API)} & kinds


def test_two_rules_granting_the_same_right_for_the_same_month_are_told_once() -> None:
    """A second rule (attainment below 99%) grants renegotiation for October too: one key, told once."""
    text = AGREEMENT + (
        "      - when: {objective: api-availability, attainmentBelow: 99%}\n        grants: renegotiate\n"
    )
    keys = [c.key for c in found(text=text) if c.kind is TR]
    assert keys == [f"termination-right/{API}/2026-10/renegotiate"]


@settings(max_examples=200, deadline=None)
@given(
    valid=st.integers(min_value=1, max_value=10_000),
    bad_share=st.fractions(min_value=0, max_value=1),
    thresholds=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=5, unique=True),
)
def test_budget_thresholds_crossed_are_exactly_those_at_or_below_the_share_spent(
    valid: int, bad_share: Fraction, thresholds: list[int]
) -> None:
    """With `bad` of `valid` events bad against 90%, threshold t% is told exactly when bad ≥ t% × 10% × valid."""
    bad = int(bad_share * valid)
    budget = BudgetState("events", Decimal("0.1") * valid, Decimal(bad), Decimal("0.1") * valid - bad)
    period = PeriodResult(API, "2026-11", utc(11, 1), utc(12, 1), utc(11, 1), NOW, False, Status.MET, 1, "events")
    evaluation = Evaluation(
        "shop", 1, NOW, utc(10, 1), (ObjectiveEvaluation(API, (replace(period, budget=budget),)),), (), ()
    )
    text = AGREEMENT + "  notify:\n    budgetThresholds: [" + ", ".join(f"{t}%" for t in sorted(thresholds)) + "]\n"
    shop = agreement(text)
    keys = [c.key for c in conditions(shop, evaluation, NOW) if c.kind is BU]
    expected = [
        f"budget/{API}/2026-11/{t}%" for t in sorted(thresholds) if Fraction(bad) >= Fraction(t, 100) * valid / 10
    ]
    assert keys == expected
