"""The engine agrees exactly with the plain reference evaluator in `reference.py`, case by case."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.evaluate import evaluate
from attain.engine.measurement import Announcement, CaseEvent, Event, EventTable, Incident, Measurements
from attain.engine.result import Evaluation
from attain.model import Agreement, CaseIndicator, ExclusionKind

sys.path.insert(0, str(Path(__file__).parent))
import reference
from reference import MINUTE, SECOND, Expected

HOUR = 60 * MINUTE
DAY = 24 * HOUR
ZONES = ("UTC", "Europe/Berlin")
BASES = tuple(
    reference.instant(datetime(*d, tzinfo=UTC)) for d in ((2024, 2, 28), (2024, 3, 30), (2024, 10, 26), (2024, 12, 31))
)
"""Days near month ends, leap days and both of Berlin's clock changes in 2024."""


# --- building agreements ------------------------------------------------------------------------


def agreement(
    objective: dict[str, Any],
    zone: str,
    base: int,
    exclusions: list[dict[str, Any]] = (),
    calendars: dict[str, Any] | None = None,
) -> Agreement:
    """A minimal agreement with one objective (and business calendars), effective from the base day."""
    data = {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": "reference"},
        "spec": {
            "title": "Reference",
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
            "purpose": "Checks the engine.",
            "effective": {"from": reference.moment(base).date().isoformat()},
            "timeZone": zone,
            "exclusions": list(exclusions),
            "calendars": calendars or {},
            "objectives": [objective],
        },
    }
    return Agreement.model_validate(data, by_alias=True, by_name=False)


def engine_view(evaluation: Evaluation) -> dict[str, list[Expected]]:
    """The engine's periods in the reference's shape, checking the invariants on the way."""
    found: dict[str, list[Expected]] = {}
    for objective in evaluation.objectives:
        found[objective.objective] = []
        for p in objective.periods:
            assert p.ratio is None or Decimal(0) <= p.ratio <= Decimal(1)
            budget = None
            if p.budget is not None:
                assert p.budget.consumed + p.budget.remaining == p.budget.allowed
                budget = (
                    p.budget.unit,
                    Fraction(p.budget.allowed),
                    Fraction(p.budget.consumed),
                    Fraction(p.budget.remaining),
                )
            found[objective.objective].append(
                Expected(
                    label=p.period,
                    start=p.start,
                    end=p.end,
                    measured_from=p.measured_from,
                    measured_until=p.measured_until,
                    closed=p.closed,
                    status=p.status.value,
                    unit=p.unit,
                    good=None if p.good is None else Fraction(p.good),
                    valid=None if p.valid is None else int(p.valid),
                    ratio=p.ratio,
                    budget=budget,
                    detail=dict(p.detail),
                )
            )
    return found


def check(expected: dict[str, list[Expected]], evaluation: Evaluation) -> None:
    """Period by period, field by field, the engine equals the reference."""
    actual = engine_view(evaluation)
    assert actual.keys() == expected.keys()
    for name, periods in expected.items():
        assert len(actual[name]) == len(periods), (name, [p.label for p in actual[name]], [p.label for p in periods])
        for mine, theirs in zip(periods, actual[name], strict=True):
            assert theirs == mine


# --- strategies ---------------------------------------------------------------------------------

TARGETS = ("50%", "75%", "90%", "99%", "99.9%", "0.6", "2%")


@st.composite
def range_of(draw: st.DrawFn, base: int, *, longest: int, whole: int) -> tuple[int | None, int]:
    """`since` (None for the effective start) and `at`, on multiples of `whole` µs."""
    since = draw(st.none() | st.integers(-2 * HOUR // whole, DAY // whole).map(lambda n: base + n * whole))
    start = base if since is None else since
    at = start + draw(st.integers(1, 4 * HOUR // whole) | st.integers(1, longest // whole)) * whole
    return since, at


def values() -> st.SearchStrategy[Decimal | None]:
    """Event values: short decimals, long ones (beyond a float's exactness) or none."""
    short = st.integers(0, 60).map(lambda n: Decimal(n * 5))
    long = st.integers(0, 300).map(lambda n: Decimal(n) + Decimal("0.000000000000000000001"))
    return st.one_of(short, short, long, st.none())


RATIO_INDICATORS = (
    {"kind": "ratio", "good": {"where": {"code": [200, 404]}}},
    {"kind": "ratio", "valid": {"whereNot": {"method": "POST"}}, "bad": {"where": {"code": "500"}}},
    {"kind": "ratio", "valid": {"where": {"method": ["GET", "HEAD"]}}, "good": {"whereNot": {"code": [500, 503]}}},
)


@st.composite
def event_indicator(draw: st.DrawFn) -> dict[str, Any]:
    """A ratio or threshold indicator."""
    if draw(st.booleans()):
        return dict(draw(st.sampled_from(RATIO_INDICATORS)))
    indicator: dict[str, Any] = {
        "kind": "threshold",
        "value": "latency",
        "op": draw(st.sampled_from(["lt", "le", "gt", "ge"])),
        "bound": str(draw(st.integers(0, 60)) * 5),
        "missing": draw(st.sampled_from(["bad", "good", "invalid"])),
    }
    if draw(st.booleans()):
        indicator["where"] = {"method": "GET"}
    return indicator


BUDGETING = st.one_of(
    st.just({"method": "Occurrences"}),
    st.builds(
        lambda s, t: {"method": "Timeslices", "slice": s, "sliceTarget": t},
        st.sampled_from(["1m", "2m", "5m", "7m"]),
        st.sampled_from(["50%", "0.75", "90%", "100%"]),
    ),
    st.builds(lambda s: {"method": "RatioTimeslices", "slice": s}, st.sampled_from(["1m", "3m", "5m"])),
)
WINDOWS = st.sampled_from(
    [
        {"calendar": "day"},
        {"calendar": "month"},
        {"calendar": "day", "timeZone": "Europe/Berlin"},
        {"calendar": "month", "timeZone": "UTC"},
        {"rolling": "5m"},
        {"rolling": "1h"},
        {"rolling": "3h"},
    ]
)
ATTRIBUTES = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([200, 404, 500, 503, "200", "500"]),
        "method": st.sampled_from(["GET", "POST", "HEAD"]),
    },
)


def anchors(base: int, since: int | None, at: int) -> tuple[int, ...]:
    """Instants where interesting things happen: at, window starts before it, since, midnights."""
    start = base if since is None else since
    midnights = tuple(base + d * DAY - h * HOUR for d in range(5) for h in (0, 1, 2))
    return (at, at - 5 * MINUTE, at - HOUR, at - 3 * HOUR, start, *midnights)


@st.composite
def clustered(
    draw: st.DrawFn, low: int, high: int, spread: int, unit: int, most: int, anchors: tuple[int, ...] = ()
) -> list[int]:
    """Instants grouped around a few centres in `[low, high]` or at `anchors`, on multiples of `unit` µs."""
    centre = st.integers(low // unit, max(low, high) // unit)
    if anchors:
        centre |= st.sampled_from([a // unit for a in anchors])
    centres = draw(st.lists(centre, min_size=1, max_size=3))
    centres = [c - spread // unit // 2 if c * unit in anchors[:1] else c for c in centres]
    picks = draw(
        st.lists(
            st.tuples(st.integers(0, len(centres) - 1), st.integers(-spread // unit, spread // unit)),
            min_size=most // 4,
            max_size=most,
        )
    )
    return [(centres[i] + d) * unit for i, d in picks]


@st.composite
def event_case(draw: st.DrawFn, *, aligned: bool = True) -> tuple[Agreement, list[Event], int | None, int]:
    """An agreement with a ratio or threshold objective, its events, since and at."""
    base = draw(st.sampled_from(BASES))
    zone = draw(st.sampled_from(ZONES))
    objective = {
        "name": "svc",
        "indicator": draw(event_indicator()),
        "target": draw(st.sampled_from(TARGETS)),
        "window": draw(WINDOWS),
        "budgeting": draw(BUDGETING),
    }
    since, at = draw(range_of(base, longest=3 * DAY, whole=MINUTE if aligned else 1))
    if not aligned and draw(st.booleans()):
        at += draw(st.integers(1, MINUTE - 1))
    unit = 1 if draw(st.booleans()) else SECOND
    times = draw(clustered(base - 2 * HOUR, at, 10 * MINUTE, unit, 40, anchors(base, since, at)))
    events = [Event(t, draw(values()), draw(ATTRIBUTES)) for t in times]
    return agreement(objective, zone, base), events, since, at


def run(agreement_: Agreement, since: int | None, at: int, **streams: Any) -> Evaluation:
    """The engine on these measurements."""
    return evaluate(agreement_, Measurements(**streams), at, since)


def tables(events: list[Event]) -> dict[str, EventTable]:
    """The events as the `svc` stream."""
    return {"svc": EventTable.from_events(events)}


# --- ratio and threshold ------------------------------------------------------------------------


@settings(max_examples=800, deadline=None)
@given(event_case() | event_case(aligned=False))
def test_ratio_and_threshold_objectives_agree(case: tuple[Agreement, list[Event], int | None, int]) -> None:
    """Ratio and threshold objectives under every budgeting method agree with the reference."""
    agreement_, events, since, at = case
    expected = reference.evaluate(agreement_, at, since, events={"svc": events})
    check(expected, run(agreement_, since, at, events=tables(events)))


# --- availability from incidents ----------------------------------------------------------------


@st.composite
def incident_case(draw: st.DrawFn) -> tuple[Agreement, list[Incident], int | None, int]:
    """An availability objective on incidents with one-off exclusions, on whole seconds."""
    base = draw(st.sampled_from(BASES))
    zone = draw(st.sampled_from(ZONES))
    window = draw(
        st.sampled_from(
            [{"calendar": "day"}, {"calendar": "day", "timeZone": "UTC"}, {"rolling": "1h"}, {"rolling": "4h"}]
        )
    )
    indicator: dict[str, Any] = {"kind": "availability", "from": "incidents"}
    indicator["minimumDowntime"] = draw(st.sampled_from(["0s", "30s", "5m", "20m"]))
    if draw(st.booleans()):
        indicator["where"] = {"severity": "major"}
    objective = {"name": "up", "indicator": indicator, "target": draw(st.sampled_from(TARGETS)), "window": window}
    since, at = draw(range_of(base, longest=2 * DAY, whole=SECOND))
    starts = draw(clustered(base - 3 * HOUR, at, 2 * HOUR, SECOND, 6, anchors(base, since, at)))
    incidents = [
        Incident(
            s,
            draw(st.none() | st.integers(1, 3 * HOUR // SECOND).map(lambda n, s=s: s + n * SECOND)),
            {"severity": draw(st.sampled_from(["major", "minor"]))},
        )
        for s in starts
    ]
    exclusions = []
    for begin in draw(clustered(base - HOUR, at, 2 * HOUR, SECOND, 2, anchors(base, since, at))):
        length = draw(st.integers(1, 3 * HOUR // SECOND)) * SECOND
        own = draw(st.sampled_from([None, *ZONES]))
        tz = ZoneInfo(own or zone)
        first = reference.moment(begin).astimezone(tz).replace(tzinfo=None)
        last = reference.moment(begin + length).astimezone(tz).replace(tzinfo=None)
        exclusion: dict[str, Any] = {
            "kind": draw(st.sampled_from(["maintenance", "force-majeure", "third-party"])),
            "start": first.isoformat(),
            "objectives": draw(st.sampled_from([[], ["up"]])),
        }
        shape = draw(st.sampled_from(["one-off", "recurring", "schedule-less"]))
        if shape == "recurring":
            exclusion["every"] = draw(st.sampled_from(["FREQ=DAILY", "FREQ=HOURLY;INTERVAL=5", "FREQ=DAILY;COUNT=2"]))
            exclusion["duration"] = f"{draw(st.integers(1, 2 * HOUR // SECOND))}s"
        elif shape == "schedule-less":
            del exclusion["start"]
        elif draw(st.booleans()) and last > first:
            exclusion["end"] = last.isoformat()
        else:
            exclusion["duration"] = f"{length // SECOND}s"
        if exclusion["kind"] == "maintenance" and draw(st.booleans()):
            exclusion["minimumNotice"] = draw(st.sampled_from(["0s", "1h"]))
        if own is not None:
            exclusion["timeZone"] = own
        exclusions.append(exclusion)
    return agreement(objective, zone, base, exclusions), incidents, since, at


@st.composite
def announcements(draw: st.DrawFn, at: int) -> list[Announcement]:
    """Up to three announcements near `at` of the kinds the exclusions use, told an hour ahead or late."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start = at - draw(st.integers(0, 2 * DAY // MINUTE)) * MINUTE
        end = start + draw(st.integers(1, 3 * HOUR // SECOND)) * SECOND
        told = start - draw(st.sampled_from([HOUR, HOUR - SECOND, 0]))
        kind = draw(st.sampled_from([ExclusionKind.MAINTENANCE, ExclusionKind.FORCE_MAJEURE, ExclusionKind.OTHER]))
        found.append(Announcement(start, end, kind, told, draw(st.sampled_from([(), ("up",), ("other",)]))))
    return found


@settings(max_examples=250, deadline=None)
@given(incident_case(), st.data())
def test_availability_from_incidents_agrees(
    case: tuple[Agreement, list[Incident], int | None, int], data: st.DataObject
) -> None:
    """Downtime, uptime ratio, budget and status from incidents, less every kind of exclusion, agree second by second."""
    agreement_, incidents, since, at = case
    told = data.draw(announcements(at))
    expected = reference.evaluate(agreement_, at, since, incidents={"incidents": incidents}, announcements=told)
    check(expected, run(agreement_, since, at, incidents={"incidents": incidents}, announcements=told))


# --- freshness ----------------------------------------------------------------------------------


@st.composite
def freshness_case(draw: st.DrawFn) -> tuple[Agreement, list[Event], int | None, int]:
    """A freshness objective and its events, on whole seconds."""
    base = draw(st.sampled_from(BASES))
    zone = draw(st.sampled_from(ZONES))
    window = draw(st.sampled_from([{"calendar": "day"}, {"rolling": "30m"}, {"rolling": "3h"}]))
    indicator: dict[str, Any] = {"kind": "freshness", "maxGap": draw(st.sampled_from(["30s", "5m", "1h", "90m"]))}
    if draw(st.booleans()):
        indicator["where"] = {"status": "ok"}
    if draw(st.booleans()):
        indicator["whereNot"] = {"source": "test"}
    objective = {"name": "fresh", "indicator": indicator, "target": draw(st.sampled_from(TARGETS)), "window": window}
    since, at = draw(range_of(base, longest=2 * DAY, whole=SECOND))
    times = draw(clustered(base - 3 * HOUR, at + HOUR, 3 * HOUR, SECOND, 30, anchors(base, since, at)))
    attributes = st.fixed_dictionaries(
        {}, optional={"status": st.sampled_from(["ok", "failed"]), "source": st.sampled_from(["test", "prod"])}
    )
    events = [Event(t, None, draw(attributes)) for t in times]
    return agreement(objective, zone, base), events, since, at


@settings(max_examples=250, deadline=None)
@given(freshness_case())
def test_freshness_agrees(case: tuple[Agreement, list[Event], int | None, int]) -> None:
    """Freshness violations, ratio, budget and status agree with a second-by-second count."""
    agreement_, events, since, at = case
    expected = reference.evaluate(agreement_, at, since, events={"fresh": events})
    check(expected, run(agreement_, since, at, events={"fresh": EventTable.from_events(events)}))


# --- cases --------------------------------------------------------------------------------------

CASE_TYPES = ("opened", "opened", "waiting", "replied", "resolved", "noted")


@st.composite
def case_case(draw: st.DrawFn) -> tuple[Agreement, list[CaseEvent], int | None, int]:
    """A case objective in calendar time: cases with start, pause, resume and stop events."""
    base = draw(st.sampled_from(BASES))
    zone = draw(st.sampled_from(ZONES))
    window = draw(st.sampled_from([{"calendar": "day"}, {"calendar": "month"}, {"rolling": "1h"}, {"rolling": "3h"}]))
    goals = {"P1": draw(st.sampled_from(["2m", "5m"])), "P2": draw(st.sampled_from(["10m", "20m"]))}
    if draw(st.booleans()):
        goals["*"] = "30m"
    indicator: dict[str, Any] = {
        "kind": "case",
        "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
        "goals": goals,
        "op": draw(st.sampled_from(["le", "lt"])),
    }
    objective = {"name": "tickets", "indicator": indicator, "target": draw(st.sampled_from(TARGETS)), "window": window}
    since, at = draw(range_of(base, longest=DAY, whole=30 * SECOND))
    events = []
    for number in range(draw(st.integers(0, 6))):
        opened = (base if since is None else since) + draw(st.integers(-60, 4 * 60)) * MINUTE
        for _ in range(draw(st.integers(1, 6))):
            kind = draw(st.sampled_from(CASE_TYPES))
            moment = opened + draw(st.integers(-2, 30)) * 30 * SECOND
            priority = draw(st.sampled_from([None, "P1", "P2", "P3"]))
            events.append(CaseEvent(f"c{number}", kind, moment, {} if priority is None else {"priority": priority}))
    return agreement(objective, zone, base), events, since, at


@settings(max_examples=600, deadline=None)
@given(case_case())
def test_case_objectives_agree(case: tuple[Agreement, list[CaseEvent], int | None, int]) -> None:
    """Case counts, status and budget per period agree with a second-by-second case clock."""
    agreement_, events, since, at = case
    expected = reference.evaluate(agreement_, at, since, cases={"cases": events})
    check(expected, run(agreement_, since, at, cases={"cases": events}))


@settings(max_examples=300, deadline=None)
@given(case_case())
def test_case_states_agree(case: tuple[Agreement, list[CaseEvent], int | None, int]) -> None:
    """Each counted case's state at `at` (open, paused, met, breached) agrees with the reference's replay of its clock."""
    agreement_, events, since, at = case
    indicator = agreement_.objectives[0].indicator
    assert isinstance(indicator, CaseIndicator)
    by_case: dict[str, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case, []).append(event)
    expected = {}
    for name, mine in by_case.items():
        result = reference.one_case(indicator, mine, at)
        if result is None:
            continue
        if result.met is None:
            running = reference.replay(indicator, mine, at).changes[-1][1]
            expected[name] = "open" if running else "paused"
        else:
            expected[name] = "met" if result.met else "breached"
    [objective] = run(agreement_, since, at, cases={"cases": events}).objectives
    assert {c.case: c.state.value for c in objective.cases or ()} == expected


HOURS = (
    {"mon-fri": ["09:00-17:00"]},
    {"mon-fri": ["08:30-12:00", "13:00-18:00"], "sat": ["10:00-14:00"]},
    {"mon-sun": ["01:00-05:00", "22:00-24:00"]},
    {"sun": ["00:00-24:00"], "mon": ["00:00-01:30"]},
)
"""Opening hours with no edge inside a clock change's gap (the reference refuses those)."""


@st.composite
def business_case(draw: st.DrawFn) -> tuple[Agreement, list[CaseEvent], int | None, int]:
    """A case objective in business time: the same cases, counted only in a calendar's opening hours."""
    plain, events, since, at = draw(case_case())
    base = reference.instant(datetime.combine(plain.spec.effective.from_, datetime.min.time(), tzinfo=UTC))
    days = [reference.moment(base + d * DAY).date().isoformat() for d in range(-1, 3)]
    calendar = {
        "timeZone": draw(st.sampled_from(ZONES)),
        "hours": draw(st.sampled_from(HOURS)),
        "extraHolidays": draw(st.lists(st.sampled_from(days[:2]), unique=True)),
        "extraWorkingDays": draw(st.lists(st.sampled_from(days[2:]), max_size=1)),
    }
    if calendar["extraWorkingDays"] and draw(st.booleans()):
        calendar["extraWorkingDayHours"] = ["10:00-11:00"]
    if draw(st.booleans()):
        calendar["holidays"] = draw(st.sampled_from([{"country": "DE", "subdivision": "BY"}, {"country": "CN"}]))
    objective = plain.spec.objectives[0].model_dump(mode="json", by_alias=True, exclude_defaults=True)
    objective["indicator"] |= {"time": "business", "calendar": "support"}
    found = agreement(objective, plain.spec.time_zone, base, calendars={"support": calendar})
    return found, events, since, at


@settings(max_examples=300, deadline=None)
@given(business_case())
def test_business_time_case_objectives_agree(case: tuple[Agreement, list[CaseEvent], int | None, int]) -> None:
    """Case counts, status and budget in business time agree with a second-by-second clock over opening hours."""
    agreement_, events, since, at = case
    expected = reference.evaluate(agreement_, at, since, cases={"cases": events})
    check(expected, run(agreement_, since, at, cases={"cases": events}))


def test_the_reference_follows_the_documented_business_time_example() -> None:
    """The semantics' 16-business-hour P3 case (opened Friday 14:00, paused, resumed) is breached at Wednesday 13:00."""
    shanghai = ZoneInfo("Asia/Shanghai")

    def local(*parts: int) -> int:
        return reference.instant(datetime(*parts, tzinfo=shanghai))  # type: ignore[misc]

    calendar = {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}, "extraHolidays": ["2026-04-06"]}
    indicator = {
        "kind": "case",
        "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
        "goals": {"P3": "16h"},
        "time": "business",
        "calendar": "support",
    }
    objective = {"name": "tickets", "indicator": indicator, "target": "90%", "window": {"calendar": "day"}}
    found = agreement(objective, "Asia/Shanghai", local(2026, 4, 3), calendars={"support": calendar})
    events = [
        CaseEvent("c", "opened", local(2026, 4, 3, 14), {"priority": "P3"}),
        CaseEvent("c", "waiting", local(2026, 4, 3, 17)),
        CaseEvent("c", "replied", local(2026, 4, 4, 10)),
    ]
    tickets = found.objectives[0].indicator
    assert isinstance(tickets, CaseIndicator)
    assert reference.one_case(tickets, events, local(2026, 4, 8, 14), found) == reference.CaseResult(
        local(2026, 4, 3, 14), met=False, decided_at=local(2026, 4, 8, 13)
    )
    assert reference.one_case(tickets, events, local(2026, 4, 8, 11), found) == reference.CaseResult(
        local(2026, 4, 3, 14), met=None, decided_at=None
    )


@pytest.mark.parametrize(
    ("day", "local_start"),
    [
        ("2024-10-27", "2024-10-27T02:30"),  # occurs twice in Berlin: the first occurrence
        ("2024-03-31", "2024-03-31T02:30"),  # does not exist in Berlin: maps forward to 03:30
        ("2024-10-27", "2024-10-27T01:59:30"),  # an hour before the fold
    ],
)
def test_exclusions_at_clock_changes_agree(day: str, local_start: str) -> None:
    """One-off exclusions written at Berlin's clock changes exclude what the reference places."""
    base = reference.instant(datetime.fromisoformat(day).replace(tzinfo=UTC))
    objective = {
        "name": "up",
        "indicator": {"kind": "availability", "from": "incidents"},
        "target": "99%",
        "window": {"calendar": "day"},
    }
    exclusions = [{"kind": "maintenance", "start": local_start, "duration": "45m"}]
    agreement_ = agreement(objective, "Europe/Berlin", base, exclusions)
    incidents = [Incident(base - 3 * HOUR, base + 6 * HOUR)]
    at = base + 2 * DAY
    expected = reference.evaluate(agreement_, at, incidents={"incidents": incidents})
    check(expected, run(agreement_, None, at, incidents={"incidents": incidents}))


# --- properties of the engine alone -------------------------------------------------------------


def failing(indicator: Any, at: int) -> Event:
    """An event every generated ratio or threshold indicator counts as valid and bad."""
    if indicator.kind == "ratio":
        return Event(at, None, {"code": 500, "method": "GET"})
    bound = indicator.bound
    value = {"lt": bound, "le": bound + 1, "gt": bound, "ge": bound - 1}[indicator.op.value]
    return Event(at, value, {"code": 500, "method": "GET"})


@settings(max_examples=300, deadline=None)
@given(event_case(aligned=False), st.data())
def test_an_extra_bad_event_never_raises_a_ratio(
    case: tuple[Agreement, list[Event], int | None, int], data: st.DataObject
) -> None:
    """Adding one valid, bad event lowers or keeps every period's ratio."""
    agreement_, events, since, at = case
    start = since if since is not None else BASES[0]
    moment = data.draw(st.integers(min(start, at - 1) - HOUR, at - 1))
    extra = failing(agreement_.spec.objectives[0].indicator, moment)
    before = run(agreement_, since, at, events=tables(events)).objectives[0].periods
    after = run(agreement_, since, at, events=tables([*events, extra])).objectives[0].periods
    assert [p.period for p in before] == [p.period for p in after]
    for old, new in zip(before, after, strict=True):
        assert new.valid is not None
        assert old.valid is not None
        assert new.valid >= old.valid
        if old.ratio is not None:
            assert new.ratio is not None
            assert new.ratio <= old.ratio


@settings(max_examples=200, deadline=None)
@given(event_case(aligned=False), incident_case(), case_case(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_measurements(
    events_case: tuple[Agreement, list[Event], int | None, int],
    incidents_case: tuple[Agreement, list[Incident], int | None, int],
    cases_case: tuple[Agreement, list[CaseEvent], int | None, int],
    random: Any,
) -> None:
    """Shuffling events, incidents or case events changes no result."""
    for agreement_, measured, since, at in (events_case, incidents_case, cases_case):
        shuffled = list(measured)
        random.shuffle(shuffled)
        stream = {
            "svc": lambda m: {"events": tables(m)},
            "up": lambda m: {"incidents": {"incidents": m}},
            "tickets": lambda m: {"cases": {"cases": m}},
        }[agreement_.spec.objectives[0].name]
        assert run(agreement_, since, at, **stream(measured)) == run(agreement_, since, at, **stream(shuffled))


# --- edge cases where rounding could decide a status ----------------------------------------------


def two_of_three_cases(target: str) -> tuple[Agreement, list[CaseEvent], int]:
    """Three tickets on one day with a 2-minute goal: two resolved in 1 minute, one never (breached)."""
    base = BASES[2]
    indicator = {"kind": "case", "clock": {"start": "opened", "stop": "resolved"}, "goals": {"*": "2m"}}
    objective = {"name": "tickets", "indicator": indicator, "target": target, "window": {"calendar": "day"}}
    events = [CaseEvent(c, "opened", base) for c in "abc"]
    events += [CaseEvent(c, "resolved", base + MINUTE) for c in "bc"]
    return agreement(objective, "UTC", base), events, base + DAY + HOUR


def test_case_ratio_is_rounded_down_like_every_other_ratio() -> None:
    """Two met cases of three give the ratio 2/3 rounded down to 0.6666666666666666666666666666."""
    agreement_, events, at = two_of_three_cases("50%")
    period = run(agreement_, None, at, cases={"cases": events}).objectives[0].periods[0]
    assert period.ratio == Decimal("0.6666666666666666666666666666")


def test_case_status_is_decided_on_the_exact_ratio() -> None:
    """Two met cases of three miss a target just above 2/3: the closed day is breached."""
    agreement_, events, at = two_of_three_cases("66.66666666666666666666666667%")
    period = run(agreement_, None, at, cases={"cases": events}).objectives[0].periods[0]
    assert period.status.value == "breached"


def test_availability_status_is_decided_on_the_exact_uptime() -> None:
    """Two seconds down in a closed UTC day miss a target just above 86398/86400: breached, as the budget says."""
    base = BASES[2]
    indicator = {"kind": "availability", "from": "incidents"}
    objective = {
        "name": "up",
        "indicator": indicator,
        "target": "99.99768518518518518518518519%",
        "window": {"calendar": "day"},
    }
    agreement_ = agreement(objective, "UTC", base)
    incidents = [Incident(base + HOUR, base + HOUR + 2 * SECOND)]
    period = run(agreement_, None, base + DAY + HOUR, incidents={"incidents": incidents}).objectives[0].periods[0]
    assert period.budget is not None
    assert period.budget.remaining < 0
    assert period.status.value == "breached"
