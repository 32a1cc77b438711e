"""A case's state at the evaluation instant: open, paused, met, breached; elapsed, remaining, share used, due."""

from __future__ import annotations

from datetime import datetime
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.business_time import BusinessClock, CalendarClock
from attain.engine.case import CaseOutcome, CaseState, ClockState, evaluate_cases
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, to_us
from attain.engine.measurement import CaseEvent
from attain.model.calendar import BusinessCalendar
from attain.model.indicator import CaseIndicator

HOUR, MINUTE = US_PER_HOUR, US_PER_MINUTE
CHINA = BusinessClock(
    BusinessCalendar.model_validate(
        {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}, "holidays": {"country": "CN"}}
    )
)
"""Mon–Fri 09:00–18:00 in Shanghai; 2026-04-06 (Monday) is Tomb-Sweeping Day (observed), a holiday."""


def indicator(**extra: Any) -> CaseIndicator:
    """Opened / resolved, paused by waiting, resumed by replied; P3 has a goal of 16 business hours."""
    data = {
        "kind": "case",
        "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
        "time": "business",
        "calendar": "china",
        "goals": {"P3": "16h"},
    } | extra
    return CaseIndicator.model_validate(data)


def shanghai(month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a wall-clock time in Asia/Shanghai in 2026."""
    return to_us(datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")))


def event(kind: str, at: int, case: str = "c1", **attributes: Any) -> CaseEvent:
    """A case event."""
    return CaseEvent(case=case, type=kind, at=at, attributes=attributes)


# Opened Fri 04-03 14:00, paused 17:00 (3 h counted), resumed Sat 04-04 10:00: the clock runs again
# only at the next opening, Tue 04-07 09:00 (Sunday, and Monday 04-06 a public holiday, are closed).
EVENTS = [
    event("opened", shanghai(4, 3, 14), priority="P3"),
    event("waiting", shanghai(4, 3, 17)),
    event("replied", shanghai(4, 4, 10)),
]


def at(instant: int, events: list[CaseEvent] = EVENTS) -> CaseOutcome:
    """The only case, evaluated at `instant` on the Chinese business calendar."""
    (outcome,) = evaluate_cases(indicator(), CHINA, events, instant)
    return outcome


def test_paused_over_the_weekend_has_no_due_instant() -> None:
    """Saturday 09:00, still paused: 3 h used of 16 h (18.75%), 13 h left, no due instant while paused."""
    case = at(shanghai(4, 4, 9))
    assert (case.state, case.clock_state) == (CaseState.PAUSED, ClockState.PAUSED)
    assert (case.elapsed, case.remaining, case.due) == (3 * HOUR, 13 * HOUR, None)
    assert case.used == Decimal("0.1875")  # 3 / 16
    assert not case.at_risk


def test_open_after_a_weekend_and_a_holiday_counts_business_hours_only() -> None:
    """Tuesday 12:00: Fri 14-17 (3 h) + Tue 09-12 (3 h) = 6 h; due Wed 13:00 (6 h Tue 12-18, then 4 h Wed)."""
    case = at(shanghai(4, 7, 12))
    assert (case.state, case.clock_state) == (CaseState.OPEN, ClockState.RUNNING)
    assert (case.elapsed, case.remaining) == (6 * HOUR, 10 * HOUR)
    assert case.due == shanghai(4, 8, 13)
    assert case.used == Decimal("0.375")  # 6 / 16
    assert not case.at_risk  # 50% = 8 h not yet reached


def test_past_the_first_warning_an_open_case_is_at_risk() -> None:
    """Wednesday 11:00: 3 + 9 (Tue) + 2 = 14 h used, 87.5%, past the 50% warning (8 h, reached Tue 11:00)."""
    case = at(shanghai(4, 8, 11))
    assert (case.state, case.elapsed, case.used, case.at_risk) == (CaseState.OPEN, 14 * HOUR, Decimal("0.875"), True)
    assert case.warnings[0] == (Decimal("0.5"), shanghai(4, 7, 14))  # 3 h Fri + 5 h Tue 09-14


def test_an_open_case_past_its_goal_is_breached_with_its_clock_running() -> None:
    """Wednesday 14:00: 17 h used, 1 h over (106.25%); breached at the due instant, Wed 13:00, still open."""
    case = at(shanghai(4, 8, 14))
    assert (case.state, case.clock_state) == (CaseState.BREACHED, ClockState.RUNNING)
    assert (case.elapsed, case.remaining, case.used) == (17 * HOUR, -1 * HOUR, Decimal("1.0625"))
    assert (case.due, case.decided_at, case.at_risk) == (shanghai(4, 8, 13), shanghai(4, 8, 13), False)


def test_a_case_stopped_within_its_goal_is_met() -> None:
    """Resolved Wed 12:30: 3 + 9 + 3.5 = 15.5 h of 16 h (96.875%), met, clock stopped, no due instant."""
    case = at(shanghai(4, 9, 9), [*EVENTS, event("resolved", shanghai(4, 8, 12, 30))])
    assert (case.state, case.clock_state) == (CaseState.MET, ClockState.STOPPED)
    assert (case.elapsed, case.remaining, case.used) == (15 * HOUR + 30 * MINUTE, 30 * MINUTE, Decimal("0.96875"))
    assert (case.due, case.decided_at, case.at_risk) == (None, shanghai(4, 8, 12, 30), False)


def test_a_share_that_does_not_terminate_is_rounded_down() -> None:
    """1 h of a 3 h goal is 0.333… with 28 threes, rounded toward −∞ like every ratio."""
    events = [event("opened", shanghai(4, 7, 9), priority="P3")]
    (case,) = evaluate_cases(indicator(goals={"P3": "3h"}), CHINA, events, shanghai(4, 7, 10))
    assert case.used == Decimal("0." + "3" * 28)


# --- properties ---------------------------------------------------------------------------------

START = shanghai(4, 1)
instants = st.integers(min_value=0, max_value=30 * 24 * 60).map(lambda m: START + m * MINUTE)
goals = st.integers(min_value=1, max_value=60 * 60).map(lambda m: m * MINUTE)


minutes = st.integers(min_value=0, max_value=3 * 24 * 60)


@settings(max_examples=150, deadline=None)
@given(instants, st.lists(st.tuples(minutes, minutes), max_size=3), minutes, goals.map(lambda g: 4 * g))
def test_open_unpaused_cases_add_up_and_fall_due_in_business_hours(
    opened: int, pauses: list[tuple[int, int]], running: int, goal_us: int
) -> None:
    """Open and running: elapsed + remaining == goal, and the µs before the due instant is business time."""
    # Each pause comes some minutes after the clock (re)started and lasts some minutes; the case is
    # evaluated `running` + 1 minutes after the last resume, so its clock runs then.
    events, instant = [event("opened", opened, priority="P3")], opened
    for before, length in pauses:
        instant += (before + 1) * MINUTE
        events.append(event("waiting", instant))
        instant += (length + 1) * MINUTE
        events.append(event("replied", instant))
    evaluated = instant + (running + 1) * MINUTE
    (case,) = evaluate_cases(indicator(goals={"P3": f"{goal_us // MINUTE}m"}), CHINA, events, evaluated)
    assert case.clock_state is ClockState.RUNNING
    if case.state is not CaseState.OPEN:
        assert case.state is CaseState.BREACHED
        assert case.elapsed > goal_us
        return
    assert case.elapsed + (case.remaining or 0) == goal_us
    assert case.due is not None
    assert CHINA.elapsed(case.due - 1, case.due) == 1
    # Running from `evaluated` on, the business time from the evaluation instant to the due instant is what remains.
    assert CHINA.elapsed(evaluated, case.due) == case.remaining


@settings(max_examples=100, deadline=None)
@given(instants, instants, goals)
def test_calendar_time_share_used_is_elapsed_over_goal(opened: int, evaluated: int, goal_us: int) -> None:
    """In calendar time an open case's elapsed time is `at − start`, and `used` is exactly that over the goal."""
    data = {"time": "calendar", "calendar": None, "goals": {"*": f"{goal_us // MINUTE}m"}}
    outcomes = evaluate_cases(indicator(**data), CalendarClock(), [event("opened", opened)], evaluated)
    if evaluated <= opened:
        assert not outcomes[0].valid
        return
    (case,) = outcomes
    assert case.elapsed == evaluated - opened
    assert case.used is not None
    # Independent check against the exact fraction: `used` is it, or the 28-digit decimal just below it.
    exact = Fraction(case.elapsed, goal_us)
    assert Fraction(case.used) <= exact < Fraction(Context(prec=28).next_plus(case.used))
    assert Fraction(case.used) == exact or len(case.used.as_tuple().digits) == 28
