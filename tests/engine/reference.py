"""A small, obviously correct reference evaluator, written apart from the engine to check it.

It follows the conventions the engine's docstrings state, but computes everything the slow,
plain way: calendar periods by walking local dates with `zoneinfo`, events classified one by one
with `Decimal` comparisons and counted by looping, downtime, freshness and case clocks by walking
whole seconds, and every ratio as an exact `Fraction` that is only rounded at the very end (down,
to 28 significant digits, for attainment ratios; uptime and freshness shares too; half-even for budget minutes).

Scope: ratio and threshold objectives (all three budgeting methods), availability from incidents
with exclusions (one-off, recurring by a small RRULE subset: `FREQ=HOURLY|DAILY|WEEKLY`,
`INTERVAL`, `BYDAY` on a synchronized start, `COUNT`; standing or announced with `minimumNotice`;
schedule-less ones permitting announcements), freshness, and case objectives in calendar time or
in business time (weekly opening hours with country holidays from the `holidays` package, extra
holidays and extra working days, no opening or closing time inside a clock change's gap);
calendar windows of every unit (day, week with its `weekStart`, month, quarter, year) and rolling
windows; statistic objectives (mean, median, min, max, nearest-rank and linear percentiles, timeouts
ignored, worst or valued: semantics.md "Statistics"); service hours (`serviceHours`) of ratio,
threshold, statistic and availability-from-incidents objectives (semantics.md "Service hours");
credits (tiers, `sum` or `max`, cap, fee, minimum payout); several agreement versions
(`evaluate_versions`: each period judged by the version in force at its start, event counts
classified by the version in force at each event, credits by the judging version, termination
rights by the rules of the version in force at the instant evaluated over the whole history);
burn rates and multi-window multi-burn-rate alerts at that instant (`event_burn`,
`downtime_burn`: semantics.md "Burn rate and multi-window multi-burn-rate alerts"). Time-based
objectives expect instants on whole seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import floor
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    BudgetingMethod,
    BusinessCalendar,
    CalendarUnit,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    MissingStatistic,
    MissingValue,
    Objective,
    Operator,
    PercentileMethod,
    RatioIndicator,
    StatisticIndicator,
    StatisticName,
    ThresholdIndicator,
    TimeBasis,
)

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DIGITS = 28


# --- numbers ------------------------------------------------------------------------------------


def significant(value: Fraction, *, half_even: bool) -> Decimal:
    """`value` as a Decimal of at most 28 significant digits: rounded down (toward −∞) or half-even."""
    if value == 0:
        return Decimal(0)
    if not half_even and value < 0:
        raise ValueError("rounding down is only used for non-negative ratios")
    magnitude = abs(value)
    exponent = 0  # magnitude == scaled × 10**exponent
    scaled = magnitude
    while scaled >= 10**DIGITS:
        scaled /= 10
        exponent += 1
    while scaled < 10 ** (DIGITS - 1):
        scaled *= 10
        exponent -= 1
    digits = round(scaled) if half_even else floor(scaled)  # round() on a Fraction is half-even
    return Decimal((0 if value > 0 else 1, tuple(int(c) for c in str(digits)), exponent))


def text(value: Any) -> str | None:
    """An attribute value as text: booleans as true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def matches(attributes: Mapping[str, Any], where: Mapping[str, Any], where_not: Mapping[str, Any] | None) -> bool:
    """Every `where` key present with an allowed value, and no `whereNot` value present."""
    for key, allowed in where.items():
        options = allowed if isinstance(allowed, tuple) else (allowed,)
        if key not in attributes or text(attributes[key]) not in [text(o) for o in options]:
            return False
    for key, refused in (where_not or {}).items():
        options = refused if isinstance(refused, tuple) else (refused,)
        if key in attributes and text(attributes[key]) in [text(o) for o in options]:
            return False
    return True


# --- time and periods ---------------------------------------------------------------------------


def instant(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    delta = moment - EPOCH
    return delta.days * DAY + delta.seconds * SECOND + delta.microseconds


def moment(us: int) -> datetime:
    """The aware UTC datetime of an instant."""
    return EPOCH + timedelta(microseconds=us)


def local_date(us: int, tz: ZoneInfo) -> date:
    """The local calendar date at an instant."""
    return moment(us).astimezone(tz).date()


def day_begins(day: date, tz: ZoneInfo) -> int:
    """The first whole second whose local date is `day` (or later), found by walking forward."""
    cursor = instant(datetime(day.year, day.month, day.day, tzinfo=UTC)) - 15 * HOUR
    for step in (HOUR, MINUTE, SECOND):
        while local_date(cursor + step, tz) < day:
            cursor += step
    return cursor + SECOND


def place(local: datetime, tz: ZoneInfo) -> int:
    """A wall-clock time as an instant: its first occurrence; in a gap, read with the offset before it."""
    naive_utc = instant(local.replace(tzinfo=UTC))
    offsets = {moment(naive_utc + k * HOUR).astimezone(tz).utcoffset() for k in range(-30, 31)}
    found = sorted(
        naive_utc - o // timedelta(microseconds=1)
        for o in offsets
        if o is not None
        and moment(naive_utc - o // timedelta(microseconds=1)).astimezone(tz).replace(tzinfo=None) == local
    )
    if not found:  # in a gap (the offset grew): RFC 5545 reads it with the offset before, the smaller one
        return naive_utc - min(o for o in offsets if o is not None) // timedelta(microseconds=1)
    return found[0]


@dataclass(frozen=True)
class Span:
    """A period `[start, end)` and its label."""

    start: int
    end: int
    label: str


def first_day(unit: CalendarUnit, day: date, week_start: int = 1) -> date:
    """The first day of the day, week, month, quarter or year containing `day` (weeks begin on ISO weekday `week_start`)."""
    if unit is CalendarUnit.DAY:
        return day
    if unit is CalendarUnit.WEEK:
        while day.isoweekday() != week_start:
            day -= timedelta(days=1)
        return day
    if unit is CalendarUnit.MONTH:
        return day.replace(day=1)
    if unit is CalendarUnit.QUARTER:
        return day.replace(month=day.month - (day.month - 1) % 3, day=1)
    return day.replace(month=1, day=1)


def following(unit: CalendarUnit, day: date) -> date:
    """The first day of the next period, given the first day of one."""
    if unit is CalendarUnit.DAY:
        return day + timedelta(days=1)
    if unit is CalendarUnit.WEEK:
        return day + timedelta(days=7)
    steps = {CalendarUnit.MONTH: 1, CalendarUnit.QUARTER: 3, CalendarUnit.YEAR: 12}[unit]
    for _ in range(steps):
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day


def period_label(unit: CalendarUnit, day: date) -> str:
    """A period's label from its first day: 2024-10-27, 2024-W43 (ISO week of the first day), 2024-10, 2024-Q4, 2024."""
    if unit is CalendarUnit.DAY:
        return day.isoformat()
    if unit is CalendarUnit.WEEK:
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if unit is CalendarUnit.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if unit is CalendarUnit.QUARTER:
        return f"{day.year:04d}-Q{(day.month + 2) // 3}"
    return f"{day.year:04d}"


def spans(agreement: Agreement, objective: Objective, since: int, at: int) -> list[Span]:
    """The periods overlapping `[since, at)`: walk local days or months; or the rolling window."""
    if at <= since:
        return []
    window = objective.window
    if not isinstance(window, CalendarWindow):
        length = int(window.rolling.total_seconds()) * SECOND
        return [Span(at - length, at, f"rolling until {moment(at).isoformat()}")]
    tz = ZoneInfo(window.time_zone or agreement.spec.time_zone)
    day = first_day(window.calendar, local_date(since, tz), window.week_start)
    found: list[Span] = []
    start = day_begins(day, tz)
    while start < at:
        after = following(window.calendar, day)
        end = day_begins(after, tz)
        found.append(Span(start, end, period_label(window.calendar, day)))
        day, start = after, end
    return found


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What one period should come out as. Budget is (allowed, consumed, remaining), exact."""

    label: str
    start: int
    end: int
    measured_from: int
    measured_until: int
    closed: bool
    status: str
    unit: str
    good: Fraction | None = None
    valid: int | None = None
    ratio: Decimal | None = None
    budget: tuple[str, Fraction, Fraction, Fraction] | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    statistic: Decimal | None = None


def status(exact: Fraction | None, target: Decimal, *, closed: bool, certain: bool = False) -> str:
    """no_data, met (at or above the target), breached (closed, or certain), else at_risk."""
    if exact is None:
        return "no_data"
    if exact >= Fraction(target):
        return "met"
    return "breached" if closed or certain else "at_risk"


def time_budget(bad_us: int, span_us: int, target: Decimal) -> tuple[str, Fraction, Fraction, Fraction]:
    """Minutes allowed ((1 − target) × span) and remaining, each half-even; consumed is their difference."""
    allowed = (1 - Fraction(target)) * Fraction(span_us, MINUTE)
    rounded = Fraction(significant(allowed, half_even=True))
    remaining = Fraction(significant(allowed - Fraction(bad_us, MINUTE), half_even=True))
    return "minutes", rounded, rounded - remaining, remaining


def evaluate(
    agreement: Agreement,
    at: int,
    since: int | None = None,
    *,
    events: Mapping[str, Sequence[Event]] | None = None,
    incidents: Mapping[str, Sequence[Incident]] | None = None,
    cases: Mapping[str, Sequence[CaseEvent]] | None = None,
    announcements: Sequence[Announcement] = (),
) -> dict[str, list[Expected]]:
    """Every objective's periods, by objective name."""
    spec = agreement.spec
    begin = since if since is not None else day_begins(spec.effective.from_, ZoneInfo(spec.time_zone))
    result: dict[str, list[Expected]] = {}
    for objective in spec.objectives:
        indicator = objective.indicator
        stream = indicator.events or {
            AvailabilityIndicator: "incidents",
            CaseIndicator: "cases",
        }.get(type(indicator), objective.name)
        periods = spans(agreement, objective, begin, at)
        if isinstance(indicator, AvailabilityIndicator):
            rows = (incidents or {}).get(stream, ())
            found = availability(agreement, objective, rows, periods, begin, at, announcements)
        elif isinstance(indicator, FreshnessIndicator):
            found = freshness(objective, (events or {}).get(stream, ()), periods, begin, at)
        elif isinstance(indicator, CaseIndicator):
            found = case_periods(objective, (cases or {}).get(stream, ()), periods, begin, at, agreement)
        elif isinstance(indicator, StatisticIndicator):
            found = statistic_periods(agreement, objective, (events or {}).get(stream, ()), periods, begin, at)
        else:
            hours = service_hours(agreement, objective, begin, at)
            found = event_periods(objective, (events or {}).get(stream, ()), periods, begin, at, hours=hours)
        result[objective.name] = found
    return result


def shell(span: Span, since: int, at: int) -> dict[str, Any]:
    """The fields every period has."""
    return {
        "label": span.label,
        "start": span.start,
        "end": span.end,
        "measured_from": max(span.start, since),
        "measured_until": min(span.end, at),
        "closed": span.end <= at,
    }


# --- ratio and threshold ------------------------------------------------------------------------


def classify(indicator: RatioIndicator | ThresholdIndicator, event: Event) -> tuple[bool, bool]:
    """(valid, good) of one event."""
    if isinstance(indicator, RatioIndicator):
        valid = matches(event.attributes, indicator.valid.where, indicator.valid.where_not)
        if indicator.good is not None:
            return valid, valid and matches(event.attributes, indicator.good.where, indicator.good.where_not)
        assert indicator.bad is not None
        return valid, valid and not matches(event.attributes, indicator.bad.where, indicator.bad.where_not)
    valid = matches(event.attributes, indicator.where, indicator.where_not)
    value = event.value
    if value is None:
        if indicator.missing is MissingValue.INVALID:
            return False, False
        return valid, valid and indicator.missing is MissingValue.GOOD
    bound = indicator.bound
    passes = {
        Operator.LT: value < bound,
        Operator.LE: value <= bound,
        Operator.GT: value > bound,
        Operator.GE: value >= bound,
    }[indicator.op]
    return valid, valid and passes


def event_periods(
    objective: Objective,
    events: Sequence[Event],
    periods: list[Span],
    since: int,
    at: int,
    judge: Callable[[Event], tuple[bool, bool]] | None = None,
    hours: Callable[[int], bool] | None = None,
) -> list[Expected]:
    """Ratio and threshold objectives: count events per minute, then per slice or in total.

    `judge` gives an event's (valid, good); by default the objective's own indicator. `hours`:
    whether an instant lies inside the objective's service hours (events outside do not count).
    """
    indicator = objective.indicator
    assert isinstance(indicator, RatioIndicator | ThresholdIndicator)
    assert objective.target is not None
    target = objective.target
    budgeting = objective.budgeting
    results = []
    for span in periods:
        low, high = max(span.start, since), min(span.end, at)
        first_minute = low - low % MINUTE
        per_minute: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for event in events:
            if not low <= event.at < high or (hours is not None and not hours(event.at)):
                continue
            valid, good = classify(indicator, event) if judge is None else judge(event)
            minute = (event.at - first_minute) // MINUTE
            per_minute[minute][0] += int(good)
            per_minute[minute][1] += int(valid)
        if budgeting.method is BudgetingMethod.OCCURRENCES:
            good_n = sum(g for g, _ in per_minute.values())
            valid_n = sum(v for _, v in per_minute.values())
            unit, good_part, count = "events", Fraction(good_n), valid_n
            exact = Fraction(good_n, valid_n) if valid_n else None
        else:
            assert budgeting.slice is not None
            slice_minutes = int(budgeting.slice.total_seconds()) // 60
            per_slice: dict[int, list[int]] = defaultdict(lambda: [0, 0])
            for minute, (g, v) in per_minute.items():
                per_slice[minute // slice_minutes][0] += g
                per_slice[minute // slice_minutes][1] += v
            counted = [(g, v) for g, v in per_slice.values() if v > 0]
            count = len(counted)
            if budgeting.method is BudgetingMethod.TIMESLICES:
                assert budgeting.slice_target is not None
                good_slices = sum(1 for g, v in counted if Fraction(g, v) >= Fraction(budgeting.slice_target))
                unit, good_part = "slices", Fraction(good_slices)
                exact = Fraction(good_slices, count) if count else None
            else:
                total = sum((Fraction(g, v) for g, v in counted), Fraction(0))
                unit, good_part = "slice-ratio", Fraction(significant(total, half_even=False))
                exact = total / count if count else None
        budget = None
        if count:
            allowed = (1 - Fraction(target)) * count
            bad = count - good_part
            budget = ("events" if unit == "events" else "slices", allowed, bad, allowed - bad)
        results.append(
            Expected(
                **shell(span, since, at),
                status=status(exact, target, closed=span.end <= at),
                unit=unit,
                good=good_part,
                valid=count,
                ratio=significant(exact, half_even=False) if exact is not None else None,
                budget=budget,
            )
        )
    return results


# --- availability from incidents ----------------------------------------------------------------


def seconds(start: int, end: int) -> range:
    """The whole seconds in `[start, end)`, as second numbers (instants must be whole seconds)."""
    assert start % SECOND == 0
    assert end % SECOND == 0
    return range(start // SECOND, end // SECOND)


WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrences(rule: str, first: datetime, until: date) -> list[datetime]:
    """The local starts of a recurrence rule from `first` (its DTSTART) up to the local date `until`.

    A small subset of RFC 5545, walked in wall-clock time: `FREQ=HOURLY|DAILY|WEEKLY`, `INTERVAL`,
    `COUNT`, and `BYDAY` (plain weekday codes, weekly rules only, with `first` on one of them).
    """
    parts = dict(part.split("=") for part in rule.split(";"))
    unknown = set(parts) - {"FREQ", "INTERVAL", "COUNT", "BYDAY"}
    if unknown:
        raise NotImplementedError(f"the reference does not expand {sorted(unknown)}")
    interval = int(parts.get("INTERVAL", "1"))
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    if parts["FREQ"] == "WEEKLY" and "BYDAY" in parts:
        days = {WEEKDAY_CODES.index(code) for code in parts["BYDAY"].split(",")}
        if interval != 1 or first.weekday() not in days:
            raise NotImplementedError("the reference expands BYDAY weekly, every week, from one of its days")
        step, keep = timedelta(days=1), lambda local: local.weekday() in days
    else:
        step = {"HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(days=7)}[parts["FREQ"]]
        step, keep = step * interval, lambda _local: True
    found: list[datetime] = []
    local = first
    while local.date() <= until and (count is None or len(found) < count):
        if keep(local):
            found.append(local)
        local += step
    return found


def announced(objective: Objective, announcements: Sequence[Announcement], kind: Any, notice: Any) -> set[int]:
    """Seconds of the announcements of one kind naming this objective (or none), timely for `notice` if any."""
    found: set[int] = set()
    for announcement in announcements:
        if announcement.kind is not kind:
            continue
        if announcement.objectives and objective.name not in announcement.objectives:
            continue
        if notice is not None and announcement.announced_at > announcement.start - int(notice.total_seconds()) * SECOND:
            continue
        found.update(seconds(announcement.start, announcement.end))
    return found


def excluded_seconds(
    agreement: Agreement, objective: Objective, announcements: Sequence[Announcement] = (), until: int | None = None
) -> set[int]:
    """Seconds excluded for this objective by the exclusions that name it (or none).

    A scheduled exclusion gives its time (with `minimumNotice`, only where an announcement of its
    kind made in time covers it); a schedule-less one its kind's announcements. Recurring exclusions are expanded up to the local date after `until` (required for them).
    """
    spec = agreement.spec
    found: set[int] = set()
    for exclusion in spec.exclusions:
        if exclusion.objectives and objective.name not in exclusion.objectives:
            continue
        told = announced(objective, announcements, exclusion.kind, exclusion.minimum_notice)
        if exclusion.start is None:
            found.update(told)
            continue
        tz = ZoneInfo(exclusion.time_zone or spec.time_zone)
        scheduled: set[int] = set()
        if exclusion.every is not None:
            assert until is not None
            assert exclusion.duration is not None
            length = int(exclusion.duration.total_seconds()) * SECOND
            last = local_date(until, tz) + timedelta(days=1)
            for local in recurrences(exclusion.every, exclusion.start, last):
                begin = place(local, tz)
                scheduled.update(seconds(begin, begin + length))
        else:
            start = place(exclusion.start, tz)
            if exclusion.end is not None:
                end = place(exclusion.end, tz)
            else:
                assert exclusion.duration is not None
                end = start + int(exclusion.duration.total_seconds()) * SECOND
            scheduled.update(seconds(start, end))
        found.update(scheduled if exclusion.minimum_notice is None else scheduled & told)
    return found


def runs(marked: set[int]) -> list[list[int]]:
    """Maximal runs of consecutive seconds."""
    found: list[list[int]] = []
    for second in sorted(marked):
        if found and found[-1][-1] == second - 1:
            found[-1].append(second)
        else:
            found.append([second])
    return found


def down_seconds(indicator: AvailabilityIndicator, incidents: Sequence[Incident], at: int) -> set[int]:
    """The seconds before `at` in a run of matching incidents' downtime at least `minimumDowntime` long."""
    down: set[int] = set()
    for incident in incidents:
        if matches(incident.attributes, indicator.where, None):
            end = at if incident.end is None else min(incident.end, at)
            down.update(seconds(incident.start, max(incident.start, end)))
    shortest = int(indicator.minimum_downtime.total_seconds())
    return {second for run in runs(down) if len(run) >= shortest for second in run}


def availability(
    agreement: Agreement,
    objective: Objective,
    incidents: Sequence[Incident],
    periods: list[Span],
    since: int,
    at: int,
    announcements: Sequence[Announcement] = (),
) -> list[Expected]:
    """Downtime second by second: down, in a long enough run, not excluded, within the span.

    With service hours (`serviceHours`), the measured span is the service time of `[measured_from,
    min(end, at))`, only downtime in it counts, and the budget is `(1 − target) ×` the service time
    to the period's end (none: a budget of 0); a period without service time has no data
    (semantics.md "Service hours").
    """
    indicator = objective.indicator
    assert isinstance(indicator, AvailabilityIndicator)
    assert objective.target is not None
    target = objective.target
    long_enough, excluded = (
        down_seconds(indicator, incidents, at),
        excluded_seconds(agreement, objective, announcements, at),
    )
    calendar = agreement.spec.calendars[objective.service_hours] if objective.service_hours is not None else None
    results = []
    for span in periods:
        low, high = max(span.start, since), min(span.end, at)
        if calendar is None:
            measured: Sequence[int] | set[int] = seconds(low, high)
            span_us, whole_us = high - low, span.end - low
        else:  # only service time counts: the measured span, the downtime and the budget's span
            intervals = opening_intervals(calendar, low, span.end)
            measured = {s for o, c in intervals for s in seconds(max(o, low), max(o, low, min(c, high)))}
            span_us = len(measured) * SECOND
            whole_us = sum(max(0, min(c, span.end) - max(o, low)) for o, c in intervals)
        counted = {s for s in measured if s in long_enough and s not in excluded}
        bad_us = len(counted) * SECOND
        exact = Fraction(span_us - bad_us, span_us) if span_us else None
        results.append(
            Expected(
                **shell(span, since, at),
                status=status(
                    exact,
                    target,
                    closed=span.end <= at,
                    certain=bad_us > (1 - Fraction(target)) * whole_us,
                ),
                unit="minutes",
                ratio=significant(exact, half_even=False) if exact is not None else None,
                budget=time_budget(bad_us, whole_us, target),
                detail={
                    "downtime_minutes": significant(Fraction(bad_us, MINUTE), half_even=True),
                    "incidents": len(runs(counted)),
                },
            )
        )
    return results


# --- freshness ----------------------------------------------------------------------------------


def freshness(
    objective: Objective, events: Sequence[Event], periods: list[Span], since: int, at: int
) -> list[Expected]:
    """Violation seconds: those at least `maxGap` after the last qualifying event (or the reference)."""
    indicator = objective.indicator
    assert isinstance(indicator, FreshnessIndicator)
    assert objective.target is not None
    target = objective.target
    gap = int(indicator.max_gap.total_seconds()) * SECOND
    qualifying = sorted(e.at for e in events if matches(e.attributes, indicator.where, indicator.where_not))
    results = []
    for span in periods:
        low, high = max(span.start, since), min(span.end, at)
        earlier = [q for q in qualifying if q <= low]
        last = earlier[-1] if earlier else since
        later = [q for q in qualifying if q > low]
        violating: set[int] = set()
        for second in seconds(low, high):
            now = second * SECOND
            while later and later[0] <= now:
                last = max(last, later.pop(0))
            if now >= last + gap:
                violating.add(second)
        bad_us, span_us = len(violating) * SECOND, high - low
        exact = Fraction(span_us - bad_us, span_us)
        results.append(
            Expected(
                **shell(span, since, at),
                status=status(
                    exact,
                    target,
                    closed=span.end <= at,
                    certain=bad_us > (1 - Fraction(target)) * (span.end - low),
                ),
                unit="minutes",
                ratio=significant(exact, half_even=False),
                budget=time_budget(bad_us, span.end - low, target),
                detail={"violations": len(runs(violating)), "open_violation": high // SECOND - 1 in violating},
            )
        )
    return results


# --- cases in calendar time ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """One valid case: when it started, and whether and when it was decided (None: pending)."""

    started: int
    met: bool | None
    decided_at: int | None


def order(indicator: CaseIndicator, event: CaseEvent) -> tuple[int, int, str, str]:
    """Events at one instant apply as start, other, resume, pause, stop; then by type and attributes."""
    clock = indicator.clock
    if event.type == clock.start:
        rank = 0
    elif event.type in clock.resume:
        rank = 2
    elif event.type in clock.pause:
        rank = 3
    elif event.type == clock.stop:
        rank = 4
    else:
        rank = 1
    return event.at, rank, event.type, repr(sorted((str(k), repr(v)) for k, v in event.attributes.items()))


@dataclass
class Replay:
    """A case's events replayed: its start, stop, merged attributes and clock changes."""

    started: int | None = None
    stopped: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    changes: list[tuple[int, bool]] = field(default_factory=list)
    """(instant, running from then on), in order."""


def replay(indicator: CaseIndicator, events: list[CaseEvent], at: int) -> Replay:
    """Apply the case's known events in order: start once, pause when running, resume when paused, stop."""
    clock = indicator.clock
    state = Replay()
    running = False
    for event in sorted(events, key=lambda e: order(indicator, e)):
        if event.at >= at:  # not known yet: the evaluated range is [since, at)
            break
        state.attributes.update({k: v for k, v in event.attributes.items() if v is not None})
        if state.started is None:
            if event.type == clock.start:
                state.started, running = event.at, True
                state.changes.append((event.at, True))
        elif event.type in clock.pause and running:
            running = False
            state.changes.append((event.at, False))
        elif event.type in clock.resume and not running:
            running = True
            state.changes.append((event.at, True))
        elif event.type == clock.stop:
            state.stopped = event.at
            state.changes.append((event.at, False))
            break
    return state


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekdays_of(key: str) -> list[int]:
    """The weekdays (Monday = 0) a key of `hours` names: `mon-fri`, `sat,sun` or `wed`."""
    found = []
    for part in key.replace(" ", "").lower().split(","):
        first, _, last = part.partition("-")
        low, high = WEEKDAY_NAMES.index(first), WEEKDAY_NAMES.index(last or first)
        found.extend(range(low, high + 1))
    return found


def hours_on(calendar: BusinessCalendar, day: date) -> tuple[tuple[time, time | None], ...]:
    """The opening hours of one local date: an extra working day's, none on an extra holiday, else its weekday's."""
    week: dict[int, tuple[tuple[time, time | None], ...]] = {}
    for key, ranges in calendar.hours.items():
        for weekday in weekdays_of(key):
            week[weekday] = ranges
    if day in calendar.extra_working_days:
        return calendar.extra_working_day_hours if calendar.extra_working_day_hours is not None else week.get(0, ())
    if day in calendar.extra_holidays or public_holiday(calendar, day):
        return ()
    return week.get(day.weekday(), ())


def public_holiday(calendar: BusinessCalendar, day: date) -> bool:
    """Whether `day` is a public holiday of the calendar's country (and subdivision), per the `holidays` package."""
    source = calendar.holidays
    if source is None:
        return False
    return day in country_holidays(source.country, source.subdivision, day.year)


@cache
def country_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """A country's (and subdivision's) public holidays of one year, per the `holidays` package."""
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def placed(day: date, clock: time, tz: ZoneInfo) -> int:
    """A wall-clock time of a local date as an instant (its first occurrence); one inside a gap is refused."""
    local = datetime.combine(day, clock)
    found = place(local, tz)
    if moment(found).astimezone(tz).replace(tzinfo=None) != local:
        raise NotImplementedError("the reference places no opening or closing time inside a gap")
    return found


def opening_intervals(calendar: BusinessCalendar, start: int, end: int) -> list[tuple[int, int]]:
    """The business calendar's opening intervals `[open, close)` on every local day near `[start, end)`.

    Closed on country holidays and `extraHolidays`, open on `extraWorkingDays`; `24:00` is the next
    local midnight.
    """
    tz = ZoneInfo(calendar.time_zone)
    found = []
    day = local_date(start, tz) - timedelta(days=1)
    while day <= local_date(end, tz) + timedelta(days=1):
        for opening, closing in hours_on(calendar, day):
            finish = day_begins(day + timedelta(days=1), tz) if closing is None else placed(day, closing, tz)
            found.append((placed(day, opening, tz), finish))
        day += timedelta(days=1)
    return sorted(found)


def counting(agreement: Agreement | None, indicator: CaseIndicator, start: int, end: int) -> list[bool]:
    """For each whole second of `[start, end)`, whether the case clock's basis counts it (business hours or all)."""
    total = (end - start) // SECOND
    if indicator.time is TimeBasis.CALENDAR:
        return [True] * total
    assert agreement is not None
    assert indicator.calendar is not None
    marks = [False] * total
    for begin, finish in opening_intervals(agreement.spec.calendars[indicator.calendar], start, end):
        for second in seconds(max(begin, start), max(begin, start, min(finish, end))):
            marks[second - start // SECOND] = True
    return marks


def one_case(
    indicator: CaseIndicator, events: list[CaseEvent], at: int, agreement: Agreement | None = None
) -> CaseResult | None:
    """Replay a case's clock, then count its running time second by second; None when it does not count.

    Under business time a second counts only when it lies in an opening interval of the calendar
    (`agreement` names the calendars).
    """
    state = replay(indicator, events, at)
    if state.started is None or not matches(state.attributes, indicator.where, indicator.where_not):
        return None
    priority = text(state.attributes.get(indicator.priority))
    goal_duration = indicator.goals.get(priority) if priority is not None else None
    goal_duration = goal_duration if goal_duration is not None else indicator.goals.get("*")
    if goal_duration is None:
        return None
    goal = int(goal_duration.total_seconds())
    elapsed, due, running = 0, None, False
    changes = list(state.changes)
    last = state.stopped if state.stopped is not None else at
    counted = counting(agreement, indicator, state.started, last)
    for second in seconds(state.started, last):
        while changes and changes[0][0] <= second * SECOND:
            running = changes.pop(0)[1]
        step = int(running and counted[second - state.started // SECOND])
        elapsed += step
        if step and elapsed == goal:
            due = (second + 1) * SECOND
        if elapsed > goal:
            break
    if elapsed > goal if indicator.op is Operator.LE else elapsed >= goal:
        return CaseResult(state.started, met=False, decided_at=due)
    if state.stopped is not None:
        return CaseResult(state.started, met=True, decided_at=state.stopped)
    return CaseResult(state.started, met=None, decided_at=None)


def case_periods(
    objective: Objective,
    events: Sequence[CaseEvent],
    periods: list[Span],
    since: int,
    at: int,
    agreement: Agreement | None = None,
) -> list[Expected]:
    """Each case counts in the period where it was decided: met at its stop, breached when due."""
    indicator = objective.indicator
    assert isinstance(indicator, CaseIndicator)
    assert objective.target is not None
    target = objective.target
    by_case: dict[str, list[CaseEvent]] = defaultdict(list)
    for event in events:
        by_case[event.case].append(event)
    outcomes = [r for r in (one_case(indicator, e, at, agreement) for e in by_case.values()) if r is not None]
    results = []
    for span in periods:
        low, high = max(span.start, since), min(span.end, at)
        # A breach decided exactly at `at` (an `lt` goal reached then) counts in the open period.
        last = high + 1 if span.end > at else high
        decided = [o for o in outcomes if o.decided_at is not None and low <= o.decided_at < last]
        met = sum(1 for o in decided if o.met)
        exact = Fraction(met, len(decided)) if decided else None
        allowed = (1 - Fraction(target)) * len(decided)
        bad = len(decided) - met
        results.append(
            Expected(
                **shell(span, since, at),
                status=status(exact, target, closed=span.end <= at),
                unit="cases",
                good=Fraction(met),
                valid=len(decided),
                ratio=significant(exact, half_even=False) if exact is not None else None,
                budget=("cases", allowed, Fraction(bad), allowed - bad) if decided else None,
                detail={
                    "pending": sum(1 for o in outcomes if o.met is None and o.started < high),
                    "breached": bad,
                },
            )
        )
    return results


# --- service hours ------------------------------------------------------------------------------


def service_hours(agreement: Agreement, objective: Objective, since: int, at: int) -> Callable[[int], bool] | None:
    """Whether an instant lies inside the objective's service hours (`opening ≤ t < closing`); None: all hours count.

    The hours are the business calendar's opening intervals (semantics.md, "Service hours"),
    listed once over `[since, at)` and searched one by one.
    """
    if objective.service_hours is None:
        return None
    intervals = opening_intervals(agreement.spec.calendars[objective.service_hours], since, at)

    def inside(instant: int) -> bool:
        return any(opening <= instant < closing for opening, closing in intervals)

    return inside


# --- statistics ---------------------------------------------------------------------------------

WORST = object()
"""An event without a value under `missing: worst`: ranked worse than every measured value."""


def statistic_of(indicator: StatisticIndicator, ordered: list[Any]) -> Any:  # noqa: PLR0911 - one per statistic
    """The statistic of sorted values (WORST among them), by semantics.md "Statistics"; WORST when it reaches one."""
    n = len(ordered)
    name = indicator.statistic
    if name is StatisticName.MEAN:
        if any(v is WORST for v in ordered):
            return WORST
        return significant(sum((Fraction(v) for v in ordered), Fraction(0)) / n, half_even=True)
    if name is StatisticName.MIN:
        return ordered[0]
    if name is StatisticName.MAX:
        return ordered[-1]
    p = Fraction(50) if name is StatisticName.MEDIAN else Fraction(indicator.percentile)
    if name is StatisticName.PERCENTILE and indicator.method is PercentileMethod.NEAREST_RANK:
        rank = max(1, -(-p * n // 100))  # ⌈p·n/100⌉, at least 1
        return ordered[int(rank) - 1]
    h = (n - 1) * p / 100
    low = floor(h)
    weight = h - low
    if weight == 0:
        x = ordered[low]
        return x if x is WORST else significant(Fraction(x), half_even=True)
    x, y = ordered[low], ordered[low + 1]
    if x is WORST or y is WORST:
        return WORST
    return significant(Fraction(x) + weight * (Fraction(y) - Fraction(x)), half_even=True)


def statistic_periods(
    agreement: Agreement, objective: Objective, events: Sequence[Event], periods: list[Span], since: int, at: int
) -> list[Expected]:
    """Statistic objectives: the period's values (in service hours, if any) give one number against the bound."""
    indicator = objective.indicator
    assert isinstance(indicator, StatisticIndicator)
    hours = service_hours(agreement, objective, since, at)
    lower_good = indicator.op in (Operator.LT, Operator.LE)
    results = []
    for span in periods:
        low, high = max(span.start, since), min(span.end, at)
        kept = [
            e
            for e in events
            if low <= e.at < high
            and matches(e.attributes, indicator.where, indicator.where_not)
            and (hours is None or hours(e.at))
        ]
        values: list[Any] = [e.value for e in kept if e.value is not None]
        missing = len(kept) - len(values)
        if indicator.missing is MissingStatistic.TIMEOUT:
            values += [indicator.timeout] * missing
        elif indicator.missing is MissingStatistic.WORST:
            values += [WORST] * missing
        measured = sorted(v for v in values if v is not WORST)
        worst = [v for v in values if v is WORST]
        ordered = measured + worst if lower_good else worst + measured
        closed = span.end <= at
        value = statistic_of(indicator, ordered) if ordered else None
        if value is None:
            state = "no_data"
        else:
            good = (
                value is not WORST
                and {
                    Operator.LT: value < indicator.bound,
                    Operator.LE: value <= indicator.bound,
                    Operator.GT: value > indicator.bound,
                    Operator.GE: value >= indicator.bound,
                }[indicator.op]
            )
            state = "met" if good else "breached" if closed else "at_risk"
        detail: dict[str, Any] = {}
        if indicator.missing is not MissingStatistic.IGNORE:
            detail = {"missing": missing, "beyond_measured": value is WORST}
        results.append(
            Expected(
                **shell(span, since, at),
                status=state,
                unit="statistic",
                valid=len(ordered),
                statistic=None if value is None or value is WORST else Decimal(value),
                detail=detail,
            )
        )
    return results


# --- credits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """What one closed calendar period owes: each credited objective's share, combined, capped, priced."""

    label: str
    end: int
    shares: tuple[tuple[str, Decimal], ...]
    share: Decimal
    amount: Decimal | None
    payable: Decimal | None


def tier_share(objective: Objective, attainment: Decimal | None) -> Decimal:
    """The credit of the first tier whose edges (≥ atLeast, > above, < below, ≤ atMost) hold the attainment."""
    if attainment is None:
        return Decimal(0)
    for tier in objective.credits:
        edges = (
            tier.at_least is None or attainment >= tier.at_least,
            tier.above is None or attainment > tier.above,
            tier.below is None or attainment < tier.below,
            tier.at_most is None or attainment <= tier.at_most,
        )
        if all(edges):
            return tier.credit
    return Decimal(0)


def period_credits(agreement: Agreement, results: Mapping[str, list[Expected]]) -> list[Credit]:
    """Closed calendar periods of objectives with tiers, grouped by (end, label), by the policy."""
    spec = agreement.spec
    policy = spec.credit_policy
    grouped: dict[tuple[int, str], list[tuple[str, Decimal]]] = defaultdict(list)
    units: dict[tuple[int, str], CalendarUnit] = {}
    for objective in spec.objectives:
        if not objective.credits or not isinstance(objective.window, CalendarWindow):
            continue
        for period in results[objective.name]:
            if period.closed:
                grouped[period.end, period.label].append((objective.name, tier_share(objective, period.ratio)))
                units[period.end, period.label] = objective.window.calendar
    found = []
    for (end, label), shares in sorted(grouped.items()):
        values = [s for _, s in shares]
        total = max(values) if policy.combine.value == "max" else sum(values, Decimal(0))
        share = min(total, policy.cap)
        amount = None
        if spec.fee is not None and spec.fee.per == units[end, label]:
            amount = spec.fee.amount * share
        payable = None if amount is None else (amount if amount >= policy.minimum_payout else Decimal(0))
        found.append(Credit(label, end, tuple(shares), share, amount, payable))
    return found


# --- several versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """A termination right granted: the rule (its index in the ruling version), objective, when, evidence."""

    rule: int
    objective: str
    granted_at: int
    periods: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """Every version's judgement: periods by objective (each with its version), credits and termination grants."""

    periods: dict[str, list[Expected]]
    credits: list[Credit]
    grants: list[Grant]
    ruling: int = 0
    """The index of the version whose termination rules granted (the one in force at `at`)."""


def version_starts(agreements: Sequence[Agreement]) -> list[int]:
    """Each version's first instant: local midnight of its `effective.from` in its own zone."""
    return [day_begins(a.spec.effective.from_, ZoneInfo(a.spec.time_zone)) for a in agreements]


def in_force_at(agreements: Sequence[Agreement], instant: int) -> Agreement | None:
    """The version in force at an instant: the last one started by then (None before the first)."""
    found = None
    for agreement, start in zip(agreements, version_starts(agreements), strict=True):
        if start <= instant:
            found = agreement
    return found


def judged_by(agreements: Sequence[Agreement], name: str) -> Callable[[Event], tuple[bool, bool]]:
    """(valid, good) of an event by the version in force at its instant (neither when that version lacks `name`)."""

    def judge(event: Event) -> tuple[bool, bool]:
        version = in_force_at(agreements, event.at)
        mine = [o for o in version.spec.objectives if o.name == name] if version is not None else []
        if not mine or not isinstance(mine[0].indicator, RatioIndicator | ThresholdIndicator):
            return False, False
        return classify(mine[0].indicator, event)

    return judge


@dataclass(frozen=True)
class Streams:
    """Every measurement by stream name, plus the announcements."""

    events: Mapping[str, Sequence[Event]] = field(default_factory=dict)
    incidents: Mapping[str, Sequence[Incident]] = field(default_factory=dict)
    cases: Mapping[str, Sequence[CaseEvent]] = field(default_factory=dict)
    announcements: Sequence[Announcement] = ()


def evaluate_versions(agreements: Sequence[Agreement], at: int, streams: Streams) -> History:
    """Versions (oldest first, all given) judged as docs/operations.md and engine/versions.py state.

    The range starts when the first version takes effect. A calendar period is judged by the version
    in force at its start (the partial first period by the first version), the rolling window by the
    version in force at `at`; ratio and threshold events are counted by the version in force at the
    event. Credits: each version's, over the periods it judged. Termination: the rules of the version
    in force at `at` (semantics.md "Termination rights") over every judged closed period.
    """
    starts = version_starts(agreements)
    since = starts[0]
    periods: dict[str, list[Expected]] = {}
    owed: list[Credit] = []
    for number, (agreement, start) in enumerate(zip(agreements, starts, strict=True)):
        if start > at:
            continue
        end = starts[number + 1] if number + 1 < len(starts) else None

        def holds(instant: int, start: int = start, end: int | None = end) -> bool:
            return start <= instant and (end is None or instant < end)

        mine: dict[str, list[Expected]] = {}
        for objective in agreement.spec.objectives:
            rolling = not isinstance(objective.window, CalendarWindow)
            kept = [p for p in spans(agreement, objective, since, at) if holds(at if rolling else max(p.start, since))]
            found = judge_periods(agreements, agreement, objective, (kept, since, at), streams)
            mine[objective.name] = [replace(p, version=agreement.spec.version) for p in found]
        owed += period_credits(agreement, mine)
        for name, found in mine.items():
            periods.setdefault(name, []).extend(found)
    ordered = {name: sorted(found, key=lambda p: p.start) for name, found in periods.items()}
    ruling = in_force_at(agreements, at) or agreements[0]  # a version not yet in force grants nothing yet
    clause = ruling.spec.termination
    rights = termination(clause.rights if clause is not None else (), ordered)
    return History(ordered, owed, rights, agreements.index(ruling))


def judge_periods(
    agreements: Sequence[Agreement],
    agreement: Agreement,
    objective: Objective,
    kept: tuple[list[Span], int, int],
    streams: Streams,
) -> list[Expected]:
    """One version's judgement of one objective's kept periods (with `since` and `at`)."""
    indicator = objective.indicator
    periods, since, at = kept
    stream = indicator.events or {AvailabilityIndicator: "incidents", CaseIndicator: "cases"}.get(
        type(indicator), objective.name
    )
    if isinstance(indicator, AvailabilityIndicator):
        rows = streams.incidents.get(stream, ())
        return availability(agreement, objective, rows, periods, since, at, streams.announcements)
    if isinstance(indicator, FreshnessIndicator):
        return freshness(objective, streams.events.get(stream, ()), periods, since, at)
    if isinstance(indicator, CaseIndicator):
        return case_periods(objective, streams.cases.get(stream, ()), periods, since, at, agreement)
    if isinstance(indicator, StatisticIndicator):
        return statistic_periods(agreement, objective, streams.events.get(stream, ()), periods, since, at)
    judge = judged_by(agreements, objective.name)
    hours = service_hours(agreement, objective, since, at)
    return event_periods(objective, streams.events.get(stream, ()), periods, since, at, judge, hours)


def grant_evidence(when: Any, history: list[Expected], i: int) -> list[Expected]:
    """The periods that make a rule's condition hold at the end of `history[i]` (none: it does not)."""
    period = history[i]
    if when.breached_consecutive_periods is not None:
        n = when.breached_consecutive_periods
        run = history[i + 1 - n : i + 1] if i + 1 >= n else []
        return run if run and all(p.status == "breached" for p in run) else []
    if when.breached_periods is not None:
        last = history[max(0, i + 1 - when.breached_periods.periods) : i + 1]
        breached = [p for p in last if p.status == "breached"]
        return breached if period.status == "breached" and len(breached) >= when.breached_periods.count else []
    return [period] if period.ratio is not None and period.ratio < when.attainment_below else []


def termination(rules: Sequence[Any], periods: Mapping[str, list[Expected]]) -> list[Grant]:
    """Grants of each rule, per objective, over its closed periods in order of their end (semantics.md)."""
    found: list[Grant] = []
    for index, rule in enumerate(rules):
        for name in sorted(periods):
            if rule.when.objective not in (None, name):
                continue
            history = sorted((p for p in periods[name] if p.closed), key=lambda p: (p.end, p.start))
            for i, period in enumerate(history):
                evidence = grant_evidence(rule.when, history, i)
                if evidence:
                    found.append(Grant(index, name, period.end, tuple(p.label for p in evidence)))
    return sorted(found, key=lambda g: (g.granted_at, g.objective))


# --- burn rates and alerts ----------------------------------------------------------------------

NOMINAL_DAYS = {
    CalendarUnit.DAY: 1,
    CalendarUnit.WEEK: 7,
    CalendarUnit.MONTH: 30,
    CalendarUnit.QUARTER: 90,
    CalendarUnit.YEAR: 365,
}
"""semantics.md "Burn rate": a calendar window's period is its unit's nominal length (a month 30 days)."""
WORKBOOK = (
    (HOUR, 5 * MINUTE, Fraction(2, 100), "page"),
    (6 * HOUR, 30 * MINUTE, Fraction(5, 100), "page"),
    (DAY, 2 * HOUR, Fraction(10, 100), "ticket"),
    (3 * DAY, 6 * HOUR, Fraction(10, 100), "ticket"),
)
"""The `sre-workbook` preset as semantics.md tables it: (long, short, budget consumed, severity)."""


@dataclass(frozen=True)
class Alert:
    """One tier at `at`: severity, windows (µs), factor (exact), firing intervals, whether it fires at `at`."""

    severity: str
    long_window: int
    short_window: int
    factor: Fraction
    intervals: tuple[tuple[int, int], ...]
    firing: bool


@dataclass(frozen=True)
class Burn:
    """An objective's state at `at`: alert tiers, burn rate per alert window, the last hour's rate and burn."""

    alerts: tuple[Alert, ...]
    rates: tuple[tuple[int, Decimal | None], ...]
    last_hour: Decimal | None
    per_hour: Fraction | None


def tiers_of(objective: Objective) -> tuple[tuple[int, int, Fraction, str], ...]:
    """The objective's tiers as (long, short, budget consumed, severity); the workbook's for the preset."""
    policy = objective.alerting
    if policy is None or policy.preset == "sre-workbook":
        return WORKBOOK
    return tuple(
        (
            int(t.long_window.total_seconds()) * SECOND,
            int(t.short_window.total_seconds()) * SECOND,
            Fraction(t.budget_consumed),
            t.severity,
        )
        for t in policy.tiers
    )


def nominal(objective: Objective) -> int:
    """The period burn-rate factors use: the rolling length, or the calendar unit's nominal days (µs)."""
    window = objective.window
    if isinstance(window, CalendarWindow):
        return NOMINAL_DAYS[window.calendar] * DAY
    return int(window.rolling.total_seconds()) * SECOND


def rate_of(bad: int, valid: int, target: Decimal) -> Decimal | None:
    """(bad / valid) ÷ (1 − target), half-even to 28 digits; None without valid events."""
    return None if valid == 0 else significant(Fraction(bad, valid) / (1 - Fraction(target)), half_even=True)


def burn(objective: Objective, good: list[int], valid: list[int], first: int, guard: bool = True) -> Burn:
    """Alerts and burn rates over per-minute counts from minute `first` (semantics.md "Burn rate").

    A tier fires at minute end m when both its windows are full (m + 1 ≥ W minutes), hold at
    least max(1, minimumEvents) valid (with `guard`) and bad / valid > factor × (1 − target)
    strictly; runs of firing minute ends t_a … t_b are [t_a, t_b + 1 min); it fires at `at` when
    it fires at the last minute end.
    """
    assert objective.target is not None
    target, n = objective.target, len(good)
    bad = [v - g for g, v in zip(good, valid, strict=True)]
    bad_sum, valid_sum = [0], [0]
    for b, v in zip(bad, valid, strict=True):
        bad_sum.append(bad_sum[-1] + b)
        valid_sum.append(valid_sum[-1] + v)

    def window(m: int, minutes: int) -> tuple[int, int] | None:
        """(bad, valid) of the full window of `minutes` ending at minute end m (None: not full)."""
        if m + 1 < minutes:
            return None
        return bad_sum[m + 1] - bad_sum[m + 1 - minutes], valid_sum[m + 1] - valid_sum[m + 1 - minutes]

    least = max(1, objective.alerting.minimum_events if objective.alerting is not None and guard else 0)
    alerts = []
    for long_us, short_us, consumed, severity in tiers_of(objective) if objective.alerting is not None else ():
        factor = consumed * nominal(objective) / long_us
        threshold = factor * (1 - Fraction(target))
        fires = []
        for m in range(n):
            held = [window(m, w // MINUTE) for w in (long_us, short_us)]
            fires.append(all(h is not None and h[1] >= least and Fraction(h[0], h[1]) > threshold for h in held))
        intervals = []
        for m, fire in enumerate(fires):
            end = first + (m + 1) * MINUTE
            if fire and intervals and intervals[-1][1] == end:
                intervals[-1] = (intervals[-1][0], end + MINUTE)
            elif fire:
                intervals.append((end, end + MINUTE))
        alerts.append(Alert(severity, long_us, short_us, factor, tuple(intervals), bool(fires) and fires[-1]))
    windows = sorted({w for long_us, short_us, _, _ in tiers_of(objective) for w in (long_us, short_us)})
    rates = []
    for w in windows:
        held = window(n - 1, w // MINUTE) if n else None
        rates.append((w, None if held is None else rate_of(held[0], held[1], target)))
    hour = slice(max(0, n - 60), n)
    last = rate_of(sum(bad[hour]), sum(valid[hour]), target) if n else None
    per_hour = Fraction(sum(bad[hour])) if n and objective.budgeting.method is BudgetingMethod.OCCURRENCES else None
    return Burn(tuple(alerts), tuple(rates), last, per_hour)


def event_burn(agreements: Sequence[Agreement], at: int, streams: Streams) -> dict[str, Burn]:
    """Ratio and threshold objectives of the version in force at `at`: their alerts and burn rates.

    Counted per minute from the minute of the earliest measured instant of the objective's periods
    under that version (`since`, or `at − L` for a rolling window) to `at`, each event classified by
    the version in force at its instant (none when that version lacks the objective), and only in
    the ruling version's service hours (semantics.md "Per-minute buckets", "Service hours").
    """
    ruling, since = in_force_at(agreements, at), version_starts(agreements)[0]
    found: dict[str, Burn] = {}
    for objective in ruling.spec.objectives if ruling is not None else ():
        if not isinstance(objective.indicator, RatioIndicator | ThresholdIndicator):
            continue
        lowest = min((max(s.start, since) for s in spans(ruling, objective, since, at)), default=since)
        first = lowest - lowest % MINUTE
        n = -(-(at - first) // MINUTE)
        good, valid = [0] * n, [0] * n
        judge = judged_by(agreements, objective.name)
        hours = service_hours(ruling, objective, since, at)
        stream = objective.indicator.events or objective.name
        for event in streams.events.get(stream, ()):
            if lowest <= event.at < at and (hours is None or hours(event.at)):
                is_valid, is_good = judge(event)
                valid[(event.at - first) // MINUTE] += int(is_valid)
                good[(event.at - first) // MINUTE] += int(is_good)
        found[objective.name] = burn(objective, good, valid, first)
    return found


def downtime_burn(agreements: Sequence[Agreement], at: int, streams: Streams) -> dict[str, Burn]:
    """Availability-from-incidents objectives of the version in force at `at`: alerts and the last hour's burn.

    Per minute from the minute of the earliest measured instant (as for events), valid is the
    minute's time (its service time with service hours) in µs and bad its counted downtime: down
    in a long enough run, not excluded (semantics.md "Burn rate", "Service hours"); no low-traffic
    guard. The burn per hour is the last hour's downtime in minutes (half-even to 28 digits, as
    minute amounts are shown); no per-window burn rates.
    """
    ruling, since = in_force_at(agreements, at), version_starts(agreements)[0]
    found: dict[str, Burn] = {}
    for objective in ruling.spec.objectives if ruling is not None else ():
        indicator = objective.indicator
        if not isinstance(indicator, AvailabilityIndicator):
            continue
        lowest = min((max(s.start, since) for s in spans(ruling, objective, since, at)), default=since)
        first = lowest - lowest % MINUTE
        n = -(-(at - first) // MINUTE)
        counted = down_seconds(indicator, streams.incidents.get(indicator.events or "incidents", ()), at)
        counted -= excluded_seconds(ruling, objective, streams.announcements, at)
        hours = service_hours(ruling, objective, since, at)
        valid, good = [0] * n, [0] * n
        for m in range(n):  # service hours open and close on whole minutes (semantics.md "Service hours")
            if hours is None or hours(first + m * MINUTE):
                inside = seconds(first + m * MINUTE, min(first + (m + 1) * MINUTE, at))
                valid[m] = len(inside) * SECOND
                good[m] = valid[m] - sum(SECOND for s in inside if s in counted)
        state = burn(objective, good, valid, first, guard=False)
        hour = slice(max(0, n - 60), n)
        down = sum(valid[hour]) - sum(good[hour])
        found[objective.name] = replace(
            state, rates=(), per_hour=Fraction(significant(Fraction(down, MINUTE), half_even=True)) if n else None
        )
    return found
