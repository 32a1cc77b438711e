"""Per-case clocks: start, pause, resume, stop; goals by priority; met, breached, pending; warnings."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.business_time import BusinessClock, CalendarClock
from attain.engine.case import CaseOutcome, evaluate_cases
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, to_us
from attain.engine.measurement import CaseEvent
from attain.model.calendar import BusinessCalendar
from attain.model.indicator import CaseIndicator

HOUR, MINUTE = US_PER_HOUR, US_PER_MINUTE
T = to_us(datetime(2026, 3, 9, 9, tzinfo=UTC))
"""A Monday, 09:00 UTC: the start of most cases below (calendar time)."""
CALENDAR = CalendarClock()
HALF, THREE_QUARTERS = Decimal("0.5"), Decimal("0.75")


def indicator(**extra: Any) -> CaseIndicator:
    """A case indicator: opened / resolved, paused by waiting, resumed by replied; P1 1 h, P2 4 h."""
    data = {
        "kind": "case",
        "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
        "goals": {"P1": "1h", "P2": "4h"},
    } | extra
    return CaseIndicator.model_validate(data)


def event(kind: str, at: int, case: str = "c1", **attributes: Any) -> CaseEvent:
    """A case event."""
    return CaseEvent(case=case, type=kind, at=at, attributes=attributes)


def one(events: list[CaseEvent], at: int, clock: Any = CALENDAR, **extra: Any) -> CaseOutcome:
    """The outcome of the only case in `events`."""
    (outcome,) = evaluate_cases(indicator(**extra), clock, events, at)
    return outcome


def shanghai(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a wall-clock time in Asia/Shanghai."""
    return to_us(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")))


CHINA = BusinessClock(
    BusinessCalendar.model_validate(
        {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}, "holidays": {"country": "CN"}}
    )
)


def test_friday_evening_p1_is_due_monday_morning() -> None:
    """A P1 (1 h) opened Friday 17:30 in Shanghai is due Monday 09:30 and is met when resolved at 09:20."""
    events = [
        event("opened", shanghai(2026, 3, 6, 17, 30), priority="P1"),
        event("resolved", shanghai(2026, 3, 9, 9, 20)),
    ]
    # Still open on Monday at 09:10: 30 min Fri 17:30-18:00 + 10 min; 20 min to go from 09:10.
    pending = one(events[:1], shanghai(2026, 3, 9, 9, 10), CHINA)
    assert (pending.elapsed, pending.due, pending.met) == (40 * MINUTE, shanghai(2026, 3, 9, 9, 30), None)
    outcome = one(events, shanghai(2026, 3, 9, 12), CHINA)
    # Counted: Fri 17:30-18:00 (30 min) + Mon 09:00-09:20 (20 min) = 50 min; stopped short of the goal, so no due.
    assert (outcome.elapsed, outcome.due) == (50 * MINUTE, None)
    assert (outcome.met, outcome.decided_at) == (True, shanghai(2026, 3, 9, 9, 20))
    # 50% = 30 min reached at Fri 18:00; 75% = 45 min reached at Mon 09:15.
    assert outcome.warnings == ((HALF, shanghai(2026, 3, 6, 18)), (THREE_QUARTERS, shanghai(2026, 3, 9, 9, 15)))
    assert (outcome.priority, outcome.goal, outcome.valid, outcome.reason) == ("P1", HOUR, True, None)


def test_a_pause_across_the_night_subtracts_only_business_hours() -> None:
    """Paused Mon 17:00, resumed Tue 10:00: only 17:00-18:00 and 09:00-10:00 are taken off, not the night."""
    opened, resolved = shanghai(2026, 3, 9, 9), shanghai(2026, 3, 10, 12)
    events = [
        event("opened", opened, priority="P2"),
        event("waiting", shanghai(2026, 3, 9, 17)),
        event("replied", shanghai(2026, 3, 10, 10)),
        event("resolved", resolved),
    ]
    # Unpaused: Mon 9 h + Tue 3 h = 12 h. Paused: Mon 09-17 (8 h) + Tue 10-12 (2 h) = 10 h.
    assert CHINA.elapsed(opened, resolved) == 12 * HOUR
    assert one(events, resolved, CHINA).elapsed == 10 * HOUR
    # Resumed at Tue 09:00 instead: only Mon 17:00-18:00 is taken off, 8 h + 3 h = 11 h.
    events[2] = event("replied", shanghai(2026, 3, 10, 9))
    assert one(events, resolved, CHINA).elapsed == 11 * HOUR


def test_due_moves_by_the_business_hours_paused() -> None:
    """A P2 (4 h) opened Mon 09:00 and paused 10:00-11:00 is due 14:00 instead of 13:00."""
    events = [
        event("opened", shanghai(2026, 3, 9, 9), priority="P2"),
        event("waiting", shanghai(2026, 3, 9, 10)),
        event("replied", shanghai(2026, 3, 9, 11)),
    ]
    # 1 h before the pause, 3 h more from 11:00.
    assert one(events, shanghai(2026, 3, 9, 12), CHINA).due == shanghai(2026, 3, 9, 14)


def test_pause_and_stop_at_the_same_instant_end_stopped() -> None:
    """A pause and a stop at one instant leave the case stopped there, whatever their input order."""
    stop_first = [
        event("opened", T, priority="P1"),
        event("resolved", T + 30 * MINUTE),
        event("waiting", T + 30 * MINUTE),
    ]
    pause_first = [stop_first[0], stop_first[2], stop_first[1]]
    for events in (stop_first, pause_first):
        outcome = one(events, T + 2 * HOUR)
        assert (outcome.stopped, outcome.elapsed, outcome.met) == (T + 30 * MINUTE, 30 * MINUTE, True)
        assert outcome.decided_at == T + 30 * MINUTE


def test_events_after_the_stop_are_ignored() -> None:
    """After the first stop, later resumes, stops and priority changes change nothing."""
    events = [
        event("opened", T, priority="P1"),
        event("resolved", T + 30 * MINUTE),
        event("replied", T + 40 * MINUTE),
        event("resolved", T + 3 * HOUR, priority="P2"),
    ]
    outcome = one(events, T + 5 * HOUR)
    assert (outcome.stopped, outcome.elapsed, outcome.priority, outcome.met) == (
        T + 30 * MINUTE,
        30 * MINUTE,
        "P1",
        True,
    )


def test_clock_events_before_the_start_do_nothing() -> None:
    """A pause or stop before the first start neither pauses nor stops the clock."""
    events = [event("resolved", T - HOUR), event("waiting", T - 30 * MINUTE), event("opened", T, priority="P1")]
    outcome = one(events, T + 20 * MINUTE)
    assert (outcome.started, outcome.stopped, outcome.elapsed, outcome.met) == (T, None, 20 * MINUTE, None)


def test_le_and_lt_differ_exactly_at_the_goal() -> None:
    """Resolved after exactly 1 h: met under le (decided at the stop), breached under lt (decided at due)."""
    events = [event("opened", T, priority="P1"), event("resolved", T + HOUR)]
    le, lt = one(events, T + 2 * HOUR), one(events, T + 2 * HOUR, op="lt")
    assert (le.met, le.decided_at, le.due) == (True, T + HOUR, T + HOUR)
    assert (lt.met, lt.decided_at, lt.due) == (False, T + HOUR, T + HOUR)


def test_open_at_exactly_the_goal_is_pending_under_le_and_breached_under_lt() -> None:
    """An open case with elapsed == goal at `at` is pending under le and breached under lt."""
    events = [event("opened", T, priority="P1")]
    le, lt = one(events, T + HOUR), one(events, T + HOUR, op="lt")
    assert (le.met, le.decided_at) == (None, None)
    assert (lt.met, lt.decided_at) == (False, T + HOUR)


def test_breached_after_a_minute_over_the_goal() -> None:
    """A P1 resolved after 61 min is breached, decided at the due instant 60 min in."""
    outcome = one([event("opened", T, priority="P1"), event("resolved", T + 61 * MINUTE)], T + 2 * HOUR)
    assert (outcome.met, outcome.decided_at, outcome.due, outcome.elapsed) == (False, T + HOUR, T + HOUR, 61 * MINUTE)


def test_open_case_already_breached_or_still_pending() -> None:
    """Open at T + 2 h, a 1 h case is breached since T + 1 h; open at T + 30 min it is pending, due T + 1 h."""
    events = [event("opened", T, priority="P1")]
    late = one(events, T + 2 * HOUR)
    assert (late.met, late.decided_at, late.due, late.elapsed, late.stopped) == (
        False,
        T + HOUR,
        T + HOUR,
        2 * HOUR,
        None,
    )
    early = one(events, T + 30 * MINUTE)
    assert (early.met, early.decided_at, early.due, early.elapsed) == (None, None, T + HOUR, 30 * MINUTE)


def test_paused_at_at_has_no_due_unless_already_reached() -> None:
    """Paused at `at` before the goal: no due, pending; paused after the goal: due and breach stay known."""
    before = one([event("opened", T, priority="P1"), event("waiting", T + 20 * MINUTE)], T + 2 * HOUR)
    assert (before.due, before.met, before.elapsed) == (None, None, 20 * MINUTE)
    after = one([event("opened", T, priority="P1"), event("waiting", T + 90 * MINUTE)], T + 2 * HOUR)
    assert (after.due, after.met, after.decided_at, after.elapsed) == (T + HOUR, False, T + HOUR, 90 * MINUTE)


def test_stopped_before_the_goal_has_no_due() -> None:
    """A case resolved before reaching its goal never has a due instant."""
    outcome = one([event("opened", T, priority="P2"), event("resolved", T + HOUR)], T + 2 * HOUR)
    assert (outcome.due, outcome.met, outcome.decided_at) == (None, True, T + HOUR)


def test_warnings_at_half_and_three_quarters() -> None:
    """A 4 h case reaches 50% at T + 2 h and 75% at T + 3 h; resolved at T + 2.5 h, 75% is never reached."""
    opened = event("opened", T, priority="P2")
    running = one([opened], T + 3 * HOUR + 30 * MINUTE)
    assert running.warnings == ((HALF, T + 2 * HOUR), (THREE_QUARTERS, T + 3 * HOUR))
    resolved = one([opened, event("resolved", T + 2 * HOUR + 30 * MINUTE)], T + 5 * HOUR)
    assert resolved.warnings == ((HALF, T + 2 * HOUR), (THREE_QUARTERS, None))
    # Paused T + 1 h to T + 2 h: 2 h counted by T + 3 h, 3 h by T + 4 h.
    paused = one([opened, event("waiting", T + HOUR), event("replied", T + 2 * HOUR)], T + 5 * HOUR)
    assert paused.warnings == ((HALF, T + 3 * HOUR), (THREE_QUARTERS, T + 4 * HOUR))


def test_the_warning_is_the_highest_share_reached_while_undecided() -> None:
    """A 4 h case: none before 2 h, 50% from 2 h, 75% from 3 h; none once resolved or breached; kept while paused."""
    opened = event("opened", T, priority="P2")
    assert one([opened], T + 2 * HOUR - 1).warning is None
    assert one([opened], T + 2 * HOUR + 1).warning == HALF
    assert one([opened], T + 3 * HOUR + 1).warning == THREE_QUARTERS
    assert one([opened, event("waiting", T + 3 * HOUR + 1)], T + 9 * HOUR).warning == THREE_QUARTERS
    assert one([opened, event("resolved", T + 3 * HOUR + 1)], T + 5 * HOUR).warning is None
    assert one([opened], T + 4 * HOUR + 1).warning is None  # breached: decided


def test_custom_warning_shares() -> None:
    """A warnAt of [90%] gives one warning, at 54 min of a 1 h goal."""
    outcome = one([event("opened", T, priority="P1")], T + HOUR, warnAt=["90%"])
    assert outcome.warnings == ((Decimal("0.9"), T + 54 * MINUTE),)


def test_a_priority_without_a_goal_is_invalid_unless_there_is_a_star() -> None:
    """P3 has no goal: invalid; with a '*' goal of 8 h it takes that goal."""
    events = [event("opened", T, priority="P3")]
    outcome = one(events, T + HOUR)
    assert (outcome.valid, outcome.goal, outcome.met, outcome.warnings) == (False, None, None, ())
    assert outcome.reason == "no goal for priority 'P3' and no '*' goal"
    starred = one(events, T + HOUR, goals={"P1": "1h", "*": "8h"})
    assert (starred.valid, starred.goal, starred.due) == (True, 8 * HOUR, T + 8 * HOUR)


def test_a_case_without_priority_uses_the_star_goal() -> None:
    """A case that never carries a priority takes the '*' goal, or is invalid without one."""
    assert one([event("opened", T)], T + HOUR, goals={"*": "2h"}).goal == 2 * HOUR
    assert one([event("opened", T)], T + HOUR).valid is False


def test_the_latest_priority_counts() -> None:
    """Raised from P2 to P1 ten minutes in, the case has the 1 h goal; a change after `at` is not known yet."""
    events = [
        event("opened", T, priority="P2"),
        event("note", T + 10 * MINUTE, priority="P1"),
        event("note", T + 3 * HOUR, priority="P2"),
    ]
    outcome = one(events, T + 2 * HOUR)
    assert (outcome.priority, outcome.goal, outcome.met, outcome.decided_at) == ("P1", HOUR, False, T + HOUR)


def test_no_start_event_or_a_start_after_at_is_invalid() -> None:
    """A case with no start event, or one that starts after `at`, does not count."""
    missing = one([event("resolved", T, priority="P1")], T + HOUR)
    assert (missing.valid, missing.started, missing.reason) == (False, None, "no 'opened' event starts its clock")
    future = one([event("opened", T + 2 * HOUR, priority="P1")], T + HOUR)
    assert (future.valid, future.started, future.reason) == (False, None, "started after the evaluation instant")


def test_where_and_where_not_use_the_merged_attributes() -> None:
    """The where filter matches the case's merged attributes, later values winning; whereNot excludes."""
    events = [event("opened", T, priority="P1", team="sales"), event("note", T + MINUTE, team="support")]
    assert one(events, T + HOUR, where={"team": "support"}).valid is True
    filtered = one(events, T + HOUR, where={"team": "sales"})
    assert (filtered.valid, filtered.reason) == (False, "filtered out by where / whereNot")
    assert one(events, T + HOUR, whereNot={"team": ["support", "ops"]}).valid is False


def test_outcomes_are_sorted_by_case_id() -> None:
    """evaluate_cases returns one outcome per case, sorted by id."""
    events = [event("opened", T, case=name, priority="P1") for name in ("b", "c", "a")]
    assert [o.case for o in evaluate_cases(indicator(), CALENDAR, events, T + HOUR)] == ["a", "b", "c"]


# --- properties ---------------------------------------------------------------------------------

TYPES = ("opened", "resolved", "waiting", "replied", "note")
case_events = st.builds(
    CaseEvent,
    case=st.sampled_from(("a", "b", "c")),
    type=st.sampled_from(TYPES),
    at=st.integers(min_value=T, max_value=T + 6 * HOUR).map(lambda t: t - t % (15 * MINUTE)),
    attributes=st.fixed_dictionaries(
        {}, optional={"priority": st.sampled_from(("P1", "P2", "P3")), "team": st.sampled_from(("x", "y"))}
    ),
)
event_lists = st.lists(case_events, max_size=14)
ats = st.integers(min_value=T, max_value=T + 8 * HOUR)
CASE_CLOCKS = (CALENDAR, CHINA)


@settings(max_examples=200, deadline=None)
@given(event_lists.flatmap(lambda es: st.tuples(st.just(es), st.permutations(es))), ats, st.sampled_from(CASE_CLOCKS))
def test_results_do_not_depend_on_event_order(
    pair: tuple[list[CaseEvent], list[CaseEvent]], at: int, clock: Any
) -> None:
    """Shuffling the input events changes no outcome, ties at one instant included."""
    events, shuffled = pair
    rules = indicator(goals={"P1": "1h", "*": "2h"}, op="lt")
    assert evaluate_cases(rules, clock, events, at) == evaluate_cases(rules, clock, shuffled, at)


@settings(max_examples=200, deadline=None)
@given(event_lists, ats)
def test_outcomes_are_consistent(events: list[CaseEvent], at: int) -> None:
    """Elapsed never exceeds the wall time since the start, lt never meets where le breaches, and due fits elapsed."""
    le = evaluate_cases(indicator(), CALENDAR, events, at)
    lt = evaluate_cases(indicator(op="lt"), CALENDAR, events, at)
    for a, b in zip(le, lt, strict=True):
        if a.started is not None:
            assert 0 <= a.elapsed <= (a.stopped if a.stopped is not None else at) - a.started
        if a.met is False:
            assert b.met is False
        if a.valid and a.goal is not None and a.elapsed >= a.goal:
            assert a.due is not None
            assert a.due <= (a.stopped if a.stopped is not None else at)
