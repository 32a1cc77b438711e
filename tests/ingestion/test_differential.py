"""Generated agreements and data give the same stored results everywhere, equal to the reference (issue 19).

Each example builds an agreement as a user would write it (YAML files, loaded by the real loader)
with one to four objectives drawn from every kind the plain evaluator of `tests/engine/reference.py`
covers: ratio and threshold objectives under the three budgeting methods, statistic objectives
(mean, median, min, max, percentiles nearest-rank and linear; timeouts ignored, worst or valued),
service hours of the ratio, threshold, statistic and availability objectives, availability from
incidents with a minimum downtime and exclusions (one-off, also at clock changes; recurring by an
RRULE in wall-clock time; with `minimumNotice` and announcements told in time or late;
schedule-less, permitting announcements), freshness, and case objectives in calendar or business
time (country holidays, extra holidays and working days) with pauses and stops at one instant;
calendar windows (day, week with any `weekStart`, month, quarter, year) in UTC, Europe/Berlin or
Asia/Shanghai around a daylight saving change, a month end, a year end or a leap day, and rolling
windows; credit tiers with a fee and a credit policy; termination rules.

Up to two later versions take effect within the first week (mid-period for most windows), each
with some targets, tiers, windows, budgeting methods, indicators, zones, calendars, exclusions and
termination rules changed, applied before the measurements are ingested or after (a recount).
Not changed by a later version: a statistic's filter and the service-hours calendar `office` (the
docs do not say which version's applies to the events of a period an earlier version judges).

Its measurements (requests, incidents, backups, ticket events, announcements, many rows sharing
an instant) are written to CSV files and ingested by the real path into a fresh SQLite file (rows
in generated order) and a fresh PostgreSQL schema (rows shuffled). Then every closed calendar
period is stored by `evaluate_period` and recomputed, and:

- the recomputation returns byte-identical canonical JSON, and the stored rows do not change;
- SQLite and PostgreSQL give byte-identical canonical JSON, stored rows and whole evaluations;
- every period (edges, status, good, valid, ratio, statistic, budget, detail, the version that judged it),
  every credit and every termination grant equals the reference's, exactly (Decimal and integer
  values);
- the stored rows are those periods.

`ATTAIN_LONG_TESTS=1` runs 150 examples instead of 10 (docs/reliability.md gives the last run's figures).
"""

from __future__ import annotations

import csv
import json
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from tests.engine import reference
from tests.engine.reference import DAY, HOUR, MINUTE, SECOND, Expected

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.engine.result import Evaluation
from attain.formats.bundle import load_bundle_text
from attain.formats.results import evaluation_data
from attain.ingestion.run import ingest_file
from attain.model import Agreement, ExclusionKind
from attain.ports import StoredResult
from attain.services.store import apply_files, evaluate_period, evaluate_stored
from attain.storage import SqlStore, connect, upgrade

NAME = "generated"
LONG = os.environ.get("ATTAIN_LONG_TESTS") == "1"
EXAMPLES = 150 if LONG else 10
ZONES = ("UTC", "Europe/Berlin", "Asia/Shanghai")
BASES = (date(2027, 3, 26), date(2027, 10, 29), date(2027, 12, 29), date(2028, 2, 27))
"""Effective dates: before Berlin's spring-forward and fall-back Sundays and a month end, before a
quarter and year end, and before the leap day 2028-02-29."""
SPAN = 8 * DAY + 7 * MINUTE + 30 * SECOND
"""Evaluated from the effective date to this much later (not on a whole minute): the first month,
quarter or year and one whole week at least are closed."""
KINDS = ("ratio", "threshold", "availability", "freshness", "case", "statistic")
SERVED = ("ratio", "threshold", "statistic", "availability")
"""Kinds that may count only in service hours (`serviceHours: office`)."""
TARGETS = ("50%", "75%", "90%", "99%", "99.9%")
LOWER = {"50%": "25%", "75%": "50%", "90%": "75%", "99%": "95%", "99.9%": "99%"}
"""A credit edge below each target."""


def utc(day: date) -> int:
    """The instant UTC midnight begins a date, in µs."""
    return reference.instant(datetime(day.year, day.month, day.day, tzinfo=UTC))


# --- agreements ---------------------------------------------------------------------------------


@st.composite
def windows(draw: st.DrawFn) -> dict[str, Any]:
    """A calendar window of any unit (its own zone or the agreement's), or a rolling one."""
    unit = draw(st.sampled_from(("day", "week", "month", "quarter", "year", "rolling")))
    if unit == "rolling":
        return {"rolling": draw(st.sampled_from(("1h", "6h", "1d", "3d")))}
    window: dict[str, Any] = {"calendar": unit}
    if unit == "week":
        window["weekStart"] = draw(st.integers(1, 7))
    if draw(st.booleans()):
        window["timeZone"] = draw(st.sampled_from(ZONES))
    return window


RATIO_INDICATORS = (
    {"good": {"where": {"code": [200, 404]}}},
    {"valid": {"whereNot": {"method": "POST"}}, "bad": {"where": {"code": "500"}}},
    {"valid": {"where": {"method": ["GET", "HEAD"]}}, "good": {"whereNot": {"code": [500, 503]}}},
)
BUDGETING = st.one_of(
    st.just({"method": "Occurrences"}),
    st.builds(
        lambda s, t: {"method": "Timeslices", "slice": s, "sliceTarget": t},
        st.sampled_from(["1m", "5m", "1h"]),
        st.sampled_from(["50%", "90%", "100%"]),
    ),
    st.builds(lambda s: {"method": "RatioTimeslices", "slice": s}, st.sampled_from(["1m", "10m"])),
)
HOURS = (
    {"mon-fri": ["09:00-17:00"]},
    {"mon-fri": ["08:30-12:00", "13:00-18:00"], "sat": ["10:00-14:00"]},
    {"mon-sun": ["01:00-05:00", "22:00-24:00"]},
    {"mon-sun": ["00:00-24:00"]},
)
"""Opening hours with no edge inside a clock change's gap (the reference refuses those)."""


@st.composite
def event_indicators(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A ratio or threshold indicator on the requests."""
    if kind == "ratio":
        return {"kind": "ratio", "events": "requests", **draw(st.sampled_from(RATIO_INDICATORS))}
    indicator = {
        "kind": "threshold",
        "events": "requests",
        "value": "latency_ms",
        "op": draw(st.sampled_from(["lt", "le", "gt", "ge"])),
        "bound": draw(st.sampled_from(["250", "300", "4999.9"])),
        "missing": draw(st.sampled_from(["bad", "good", "invalid"])),
    }
    if draw(st.booleans()):
        indicator["where"] = {"method": "GET"}
    return indicator


@st.composite
def time_indicators(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """An availability indicator on the incidents or a freshness one on the backups."""
    if kind == "availability":
        indicator = {"kind": "availability", "from": "incidents", "events": "incidents"}
        indicator["minimumDowntime"] = draw(st.sampled_from(["0s", "30s", "5m", "20m"]))
        if draw(st.booleans()):
            indicator["where"] = {"severity": "major"}
        return indicator
    indicator = {"kind": "freshness", "events": "backups", "maxGap": draw(st.sampled_from(["5m", "1h", "90m"]))}
    if draw(st.booleans()):
        indicator["where"] = {"status": "ok"}
    if draw(st.booleans()):
        indicator["whereNot"] = {"source": "test"}
    return indicator


@st.composite
def case_indicators(draw: st.DrawFn) -> dict[str, Any]:
    """A case indicator on the tickets, in calendar or business time."""
    goals = {"P1": draw(st.sampled_from(["10m", "30m"])), "P2": draw(st.sampled_from(["1h", "2h"]))}
    if draw(st.booleans()):
        goals["*"] = "4h"
    indicator = {
        "kind": "case",
        "events": "tickets",
        "clock": {"start": "opened", "stop": "resolved", "pause": ["waiting"], "resume": ["replied"]},
        "goals": goals,
        "op": draw(st.sampled_from(["le", "lt"])),
    }
    if draw(st.booleans()):
        indicator |= {"time": "business", "calendar": "support"}
    return indicator


STATISTICS = (
    {"statistic": "mean"},
    {"statistic": "median"},
    {"statistic": "min"},
    {"statistic": "max"},
    {"statistic": "percentile", "percentile": 90, "method": "nearest-rank"},
    {"statistic": "percentile", "percentile": "99.9", "method": "nearest-rank"},
    {"statistic": "percentile", "percentile": 100, "method": "nearest-rank"},
    {"statistic": "percentile", "percentile": 10, "method": "linear"},
    {"statistic": "percentile", "percentile": 95, "method": "linear"},
    {"statistic": "percentile", "percentile": "33.3", "method": "linear"},
)


@st.composite
def statistic_indicators(draw: st.DrawFn, where: dict[str, Any] | None = None) -> dict[str, Any]:
    """A statistic of the requests' latency against a bound, timeouts ignored, worst or valued; `where` kept if given."""
    indicator = {
        "kind": "statistic",
        **draw(st.sampled_from(STATISTICS)),
        "events": "requests",
        "value": "latency_ms",
        "op": draw(st.sampled_from(["lt", "le", "gt", "ge"])),
        "bound": draw(st.sampled_from(["250", "300", "4999.9", "1000"])),
    }
    missing = draw(st.sampled_from(["ignore", "worst", "timeout", None]))
    if missing == "timeout":
        indicator["timeout"] = draw(st.sampled_from(["6000", "300"]))
    elif missing is not None:
        indicator["missing"] = missing
    if where is not None:
        indicator["where"] = where
    elif draw(st.booleans()):
        indicator["where"] = {"method": "GET"}
    return indicator


def indicators(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """An indicator of the kind, reading the kind's stream."""
    if kind == "statistic":
        return statistic_indicators()
    if kind in ("ratio", "threshold"):
        return event_indicators(kind)
    if kind in ("availability", "freshness"):
        return time_indicators(kind)
    return case_indicators()


@st.composite
def tiers(draw: st.DrawFn, target: str) -> list[dict[str, str]]:
    """Two credit tiers below the target, edges written either way."""
    low = LOWER[target]
    if draw(st.booleans()):
        return [{"below": target, "atLeast": low, "credit": "10%"}, {"below": low, "credit": "25%"}]
    return [{"below": target, "above": low, "credit": "5%"}, {"atMost": low, "credit": "50%"}]


HOLIDAYS = ({"country": "DE", "subdivision": "BY"}, {"country": "CN"}, {"country": "DE"}, {"country": "US"})
"""Country holidays near the effective dates: Good Friday and Easter Monday 2027, All Saints' Day in
Bavaria, New Year's Day (observed on 2028-01-03 in China); and none near the leap day."""


@st.composite
def calendars(draw: st.DrawFn, base: date) -> dict[str, Any]:
    """A business calendar: weekly hours in a zone, maybe a country's holidays, extra holidays and working days."""
    calendar: dict[str, Any] = {
        "timeZone": draw(st.sampled_from(ZONES)),
        "hours": draw(st.sampled_from(HOURS)),
        "extraHolidays": draw(st.lists(st.sampled_from([base + timedelta(days=d) for d in range(0, 8, 2)]))),
        "extraWorkingDays": draw(
            st.lists(st.sampled_from([base + timedelta(days=d) for d in range(1, 8, 2)]), max_size=1)
        ),
    }
    if draw(st.booleans()):
        calendar["holidays"] = draw(st.sampled_from(HOLIDAYS))
    return calendar


@dataclass
class Case:
    """A generated agreement's versions (as the dicts written to YAML) and its measurements, as CSV rows.

    `late`: the versions after the first are applied after the measurements are ingested (so
    applying them recounts the stored events), else before.
    """

    versions: list[dict[str, Any]]
    base: date
    now: int
    late: bool = False
    requests: list[tuple[str, str, str, str]] = field(default_factory=list)
    incidents: list[tuple[str, str, str]] = field(default_factory=list)
    backups: list[tuple[str, str, str]] = field(default_factory=list)
    tickets: list[tuple[str, str, str, str]] = field(default_factory=list)
    announcements: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def document(self) -> dict[str, Any]:
        """The first version."""
        return self.versions[0]


@st.composite
def documents(draw: st.DrawFn, base: date, zone: str) -> dict[str, Any]:
    """An agreement with one to four objectives, maybe credit tiers, a fee, exclusions and a business calendar."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    objectives = []
    for number, kind in enumerate(kinds):
        objective: dict[str, Any] = {"name": f"{kind}-{number}", "indicator": draw(indicators(kind))}
        if kind != "statistic":  # a statistic carries its own goal: no target, budgeting or credits
            objective["target"] = draw(st.sampled_from(TARGETS))
        objective["window"] = draw(windows())
        if kind in ("ratio", "threshold"):
            objective["budgeting"] = draw(BUDGETING)
        if kind != "statistic" and draw(st.booleans()):
            objective["credits"] = draw(tiers(objective["target"]))
        if kind in SERVED and draw(st.booleans()):
            objective["serviceHours"] = "office"
        objectives.append(objective)
    spec: dict[str, Any] = {
        "title": "Generated",
        "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
        "purpose": "Checks stored results against the reference evaluator.",
        "effective": {"from": base.isoformat()},
        "timeZone": zone,
        "objectives": objectives,
        "calendars": {"support": draw(calendars(base)), "office": draw(calendars(base))},
    }
    if draw(st.booleans()):
        spec["fee"] = {"amount": "8500.00", "currency": "EUR", "per": draw(st.sampled_from(["day", "month"]))}
    spec["creditPolicy"] = draw(credit_policies())
    return {"apiVersion": "attain/v1", "kind": "Agreement", "metadata": {"name": NAME}, "spec": spec}


def stamp(draw: st.DrawFn, us: int) -> str:
    """An instant as ISO 8601 text, with a UTC or a +08:00 offset."""
    zone = draw(st.sampled_from([UTC, ZoneInfo("Asia/Shanghai")]))
    return reference.moment(us).astimezone(zone).isoformat()


def local_text(us: int, zone: str) -> str:
    """An instant as local wall-clock ISO text (no offset) in a zone."""
    return reference.moment(us).astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat()


@st.composite
def one_off(draw: st.DrawFn, start: int, at: int, zone: str) -> dict[str, Any]:
    """A one-off exclusion in local time (maybe at a clock change), ending by `end` or `duration`."""
    begin = start + draw(st.integers(-2 * 60, (at - start) // MINUTE)) * MINUTE
    length = draw(st.integers(1, 3 * HOUR // SECOND)) * SECOND
    own = draw(st.sampled_from([None, *ZONES]))
    first, last = local_text(begin, own or zone), local_text(begin + length, own or zone)
    exclusion: dict[str, Any] = {"kind": "maintenance", "start": first}
    if draw(st.booleans()) and last > first:
        exclusion["end"] = last
    else:
        exclusion["duration"] = f"{length // SECOND}s"
    if own is not None:
        exclusion["timeZone"] = own
    return exclusion


RULES = (
    ("FREQ=DAILY", None),
    ("FREQ=DAILY;INTERVAL=2", None),
    ("FREQ=DAILY;COUNT=3", None),
    ("FREQ=HOURLY;INTERVAL=7", None),
    ("FREQ=WEEKLY", None),
    ("FREQ=WEEKLY;BYDAY=SU", {6}),
    ("FREQ=WEEKLY;BYDAY=SA,SU", {5, 6}),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", {0, 2, 4}),
)
"""Recurrence rules and the weekdays their start must fall on (RFC 5545 leaves a start off the rule undefined)."""
CLOCKS = ("02:00", "02:30", "01:59:30", "00:00", "23:30", "12:15")
"""Local start times: in or next to Berlin's clock-change hour (02:00-03:00 on 2027-03-28 and 2027-10-31)."""


@st.composite
def recurring(draw: st.DrawFn, base: date, zone: str) -> dict[str, Any]:
    """A recurring exclusion starting up to a week before the effective date, in local wall-clock time."""
    rule, days = draw(st.sampled_from(RULES))
    first = base + timedelta(days=draw(st.integers(-7, 3)))
    while days is not None and first.weekday() not in days:
        first += timedelta(days=1)
    clock = draw(st.sampled_from(CLOCKS))
    exclusion: dict[str, Any] = {
        "kind": "maintenance",
        "start": f"{first.isoformat()}T{clock}",
        "every": rule,
        "duration": draw(st.sampled_from(["90s", "30m", "1h", "2h"])),
    }
    own = draw(st.sampled_from([None, *ZONES]))
    if own is not None and own != zone:
        exclusion["timeZone"] = own
    return exclusion


ANNOUNCED = ("maintenance", "emergency-maintenance", "force-majeure", "other")


@st.composite
def exclusions(draw: st.DrawFn, base: date, start: int, at: int, zone: str, names: list[str]) -> list[dict[str, Any]]:
    """Up to three exclusions of the availability objectives: one-off, recurring, announced or schedule-less."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        shape = draw(st.sampled_from(["one-off", "recurring", "announced", "schedule-less"]))
        if shape == "one-off":
            exclusion = draw(one_off(start, at, zone))
        elif shape == "recurring":
            exclusion = draw(recurring(base, zone))
        else:
            kind = draw(st.sampled_from(ANNOUNCED))
            if shape == "announced":
                exclusion = draw(one_off(start, at, zone) | recurring(base, zone))
                kind = draw(st.sampled_from(ANNOUNCED[:2]))
            else:
                exclusion = {}
            exclusion["kind"] = kind
            if kind in ANNOUNCED[:2] and (shape == "announced" or draw(st.booleans())):
                exclusion["minimumNotice"] = draw(st.sampled_from(["72h", "1h", "0s"]))
        exclusion["objectives"] = draw(st.sampled_from([names, names[:1], []]))
        found.append(exclusion)
    return found


NOTICE = (72 * HOUR, 72 * HOUR - SECOND, 73 * HOUR, HOUR, HOUR - SECOND, 0, -HOUR)
"""How long before its start an announcement is made: exactly, just under and over each minimum notice."""


@st.composite
def announcement_rows(draw: st.DrawFn, start: int, at: int, names: list[str]) -> list[tuple[str, str, str, str, str]]:
    """Up to five announcements on whole seconds, some at the scheduled times' edges, told at varying notice."""
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        begin = start + draw(st.integers(0, (at - start) // (15 * MINUTE))) * 15 * MINUTE
        begin += draw(st.sampled_from([0, 0, SECOND, -SECOND, 30 * MINUTE]))
        end = begin + draw(st.integers(1, 6 * HOUR // SECOND)) * SECOND
        told = begin - draw(st.sampled_from(NOTICE))
        objectives = " ".join(draw(st.sampled_from([[], names, names[:1]])))
        kind = draw(st.sampled_from(ANNOUNCED))
        rows.append((stamp(draw, begin), stamp(draw, end), kind, stamp(draw, told), objectives))
    return rows


RIGHTS = ("terminate-without-penalty", "terminate", "renegotiate")


@st.composite
def termination(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    """A termination clause with up to three rules, each on one objective or on any."""
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        when: dict[str, Any] = draw(
            st.sampled_from(
                [
                    {"breachedConsecutivePeriods": 1},
                    {"breachedConsecutivePeriods": 2},
                    {"breachedConsecutivePeriods": 3},
                    {"breachedPeriods": {"count": 2, "periods": 3}},
                    {"breachedPeriods": {"count": 1, "periods": 2}},
                    {"attainmentBelow": "99%"},
                    {"attainmentBelow": "75%"},
                ]
            )
        )
        objective = draw(st.sampled_from([None, *names]))
        if objective is not None:
            when = {**when, "objective": objective}
        rules.append({"when": when, "grants": draw(st.sampled_from(RIGHTS))})
    return {"clause": "Either party may end the agreement as these rules allow.", "rights": rules}


@st.composite
def revision(draw: st.DrawFn, previous: dict[str, Any], number: int, effective: date) -> dict[str, Any]:
    """The next version: in force from `effective`, with targets, tiers, windows, budgeting, indicators changed."""
    document = json.loads(json.dumps(previous, default=str))
    spec = document["spec"]
    spec["version"] = number
    spec["effective"] = {"from": effective.isoformat()}
    if draw(st.integers(0, 3)) == 0:
        spec["timeZone"] = draw(st.sampled_from(ZONES))
    for objective in spec["objectives"]:
        revise(draw, objective)
    if draw(st.booleans()):
        spec["creditPolicy"] = draw(credit_policies())
    if draw(st.booleans()):
        spec["calendars"]["support"] = draw(calendars(effective))
    return document


def revise(draw: st.DrawFn, objective: dict[str, Any]) -> None:
    """Change some of an objective's terms in place: target (and tiers), window, budgeting, indicator, tiers."""
    kind = objective["indicator"]["kind"]
    changes = draw(st.sets(st.sampled_from(["target", "window", "budgeting", "indicator", "credits"])))
    if kind == "statistic":
        revise_statistic(draw, objective, changes)
        return
    if "target" in changes:
        objective["target"] = draw(st.sampled_from(TARGETS))
        if "credits" in objective:
            objective["credits"] = draw(tiers(objective["target"]))
    if "window" in changes:
        objective["window"] = draw(windows())
    if "budgeting" in changes and kind in ("ratio", "threshold"):
        objective["budgeting"] = draw(BUDGETING)
    if "indicator" in changes:
        objective["indicator"] = draw(indicators(kind))
    if "credits" in changes:
        if "credits" in objective:
            del objective["credits"]
        else:
            objective["credits"] = draw(tiers(objective["target"]))


def revise_statistic(draw: st.DrawFn, objective: dict[str, Any], changes: set[str]) -> None:
    """A statistic objective's changes: the statistic, bound and missing values; the window. Its filter stays.

    (Statistics read the stored rows with the judging version's indicator, so a filter changed
    mid-period would leave open which version classifies an event: not generated.)
    """
    if "indicator" in changes:
        objective["indicator"] = draw(statistic_indicators(objective["indicator"].get("where", {})))
    if "window" in changes:
        objective["window"] = draw(windows())


@st.composite
def credit_policies(draw: st.DrawFn) -> dict[str, Any]:
    """How shares combine, their cap and the minimum payout."""
    return {
        "combine": draw(st.sampled_from(["sum", "max"])),
        "cap": draw(st.sampled_from(["100%", "30%"])),
        "minimumPayout": draw(st.sampled_from(["0", "1000.00"])),
    }


@st.composite
def terms(draw: st.DrawFn, spec: dict[str, Any], base: date, start: int, at: int) -> None:
    """A version's exclusions of its availability objectives and maybe a termination clause, in place."""
    names = [o["name"] for o in spec["objectives"]]
    up = [o["name"] for o in spec["objectives"] if o["indicator"]["kind"] == "availability"]
    if up:
        spec["exclusions"] = draw(exclusions(base, start, at, spec["timeZone"], up))
    if draw(st.booleans()):
        spec["termination"] = draw(termination(names))


@st.composite
def revisions(draw: st.DrawFn, document: dict[str, Any], base: date) -> list[dict[str, Any]]:
    """The first version and up to two later ones, each in force from a day within the first week."""
    versions = [document]
    effective, last = base, base + timedelta(days=7)
    for number in range(2, 2 + draw(st.integers(0, 2))):
        if effective >= last:
            break
        effective += timedelta(days=draw(st.integers(1, (last - effective).days)))
        versions.append(draw(revision(versions[-1], number, effective)))
    return versions


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """An agreement and measurements for every stream it reads, many rows at one instant."""
    base = draw(st.sampled_from(BASES))
    zone = draw(st.sampled_from(ZONES))
    document = draw(documents(base, zone))
    start, now = utc(base) - 8 * HOUR, utc(base) + SPAN
    at = now - now % MINUTE
    versions = draw(revisions(document, base))
    kinds = {o["indicator"]["kind"] for o in document["spec"]["objectives"]}
    up = [o["name"] for o in document["spec"]["objectives"] if o["indicator"]["kind"] == "availability"]
    for version in versions:
        draw(terms(version["spec"], base, start, at))
    case = Case(versions, base, now, late=draw(st.booleans()))
    if up:
        case.announcements = draw(announcement_rows(start, at, up))
    # A few instants many rows share: local midnights (period edges), minutes around `at`, random ones.
    edges = [reference.day_begins(base + timedelta(days=d), ZoneInfo(z)) for d in range(9) for z in ZONES]
    hot = st.sampled_from([*edges, at - 1, at - MINUTE, at]) | st.integers(start // SECOND, at // SECOND).map(
        lambda s: s * SECOND
    )
    halves = st.integers(0, (at - start) // (30 * MINUTE)).map(lambda n: start + n * 30 * MINUTE)
    """Whole and half hours: where service hours open and close."""
    if kinds & {"ratio", "threshold", "statistic"}:
        instants = draw(st.lists(hot | halves, min_size=1, max_size=5))
        for _ in range(draw(st.integers(1, 40))):
            us = draw(st.sampled_from(instants)) + draw(st.sampled_from([0, 0, 0, 1, 999_999, 30 * SECOND]))
            case.requests.append(
                (
                    stamp(draw, us),
                    draw(st.sampled_from(["", "0.5", "250", "300", "4999.9", "5000"])),
                    draw(st.sampled_from(["", "200", "404", "500", "503"])),
                    draw(st.sampled_from(["", "GET", "POST", "HEAD"])),
                )
            )
    whole = hot.map(lambda us: us - us % SECOND)  # time-based kinds are measured on whole seconds
    if "availability" in kinds:
        for _ in range(draw(st.integers(0, 5))):
            begin = draw(whole) - draw(st.integers(0, 2 * HOUR // SECOND)) * SECOND
            end = draw(st.none() | st.integers(1, 3 * HOUR // SECOND).map(lambda n, b=begin: b + n * SECOND))
            severity = draw(st.sampled_from(["major", "minor"]))
            case.incidents.append((stamp(draw, begin), "" if end is None else stamp(draw, end), severity))
    if "freshness" in kinds:
        instants = draw(st.lists(whole, min_size=1, max_size=6))
        for _ in range(draw(st.integers(0, 30))):
            us = draw(st.sampled_from(instants)) + draw(st.integers(0, 90)) * MINUTE
            status, source = draw(st.sampled_from(["ok", "failed", ""])), draw(st.sampled_from(["test", "prod", ""]))
            case.backups.append((stamp(draw, us), status, source))
    if "case" in kinds:
        case.tickets = draw(ticket_rows(start, at))
    return case


TICKET_TYPES = ("opened", "opened", "waiting", "replied", "resolved", "noted")


@st.composite
def ticket_rows(draw: st.DrawFn, start: int, at: int) -> list[tuple[str, str, str, str]]:
    """Up to six tickets' events on a 5-minute grid (so many share an instant), some a pause and a stop at once."""
    rows = []
    for number in range(draw(st.integers(0, 6))):
        opened = start + draw(st.integers(-12, (at - start) // (5 * MINUTE))) * 5 * MINUTE
        steps = [draw(st.integers(-1, 60)) for _ in range(draw(st.integers(1, 6)))]
        events = [(opened + s * 5 * MINUTE, draw(st.sampled_from(TICKET_TYPES))) for s in steps]
        if draw(st.booleans()):
            tie = opened + draw(st.integers(0, 60)) * 5 * MINUTE
            events += [(tie, "waiting"), (tie, "resolved")]
        for us, kind in events:
            priority = draw(st.sampled_from(["", "P1", "P2", "P3"]))
            rows.append((f"t{number}", kind, stamp(draw, us), priority))
    return rows


# --- the reference's view of the same data ------------------------------------------------------


def at_of(text_: str) -> int:
    """The instant of ISO 8601 text."""
    return reference.instant(datetime.fromisoformat(text_))


def present(**columns: str) -> dict[str, str]:
    """Attributes as a CSV row gives them: every non-empty column."""
    return {k: v for k, v in columns.items() if v != ""}


def expected(case: Case, agreements: list[Agreement]) -> reference.History:
    """Every objective's periods, credits and termination grants by the reference, from the rows as generated."""
    events = {
        "requests": [
            Event(at_of(t), None if v == "" else Decimal(v), present(code=c, method=m)) for t, v, c, m in case.requests
        ],
        "backups": [Event(at_of(t), None, present(status=s, source=o)) for t, s, o in case.backups],
    }
    incidents = {
        "incidents": [Incident(at_of(s), None if e == "" else at_of(e), {"severity": v}) for s, e, v in case.incidents]
    }
    tickets = {"tickets": [CaseEvent(c, k, at_of(t), present(priority=p)) for c, k, t, p in case.tickets]}
    told = [
        Announcement(at_of(s), at_of(e), ExclusionKind(k), at_of(a), tuple(o.split()))
        for s, e, k, a, o in case.announcements
    ]
    at = case.now - case.now % MINUTE
    streams = reference.Streams(events, incidents, tickets, told)
    return reference.evaluate_versions(agreements, at, streams)


def engine_view(evaluation: Evaluation) -> dict[str, list[Expected]]:
    """The engine's periods in the reference's shape."""
    found: dict[str, list[Expected]] = {}
    for objective in evaluation.objectives:
        found[objective.objective] = []
        for p in objective.periods:
            budget = None
            if p.budget is not None:
                assert p.budget.consumed + p.budget.remaining == p.budget.allowed
                allowed, consumed, remaining = (
                    Fraction(p.budget.allowed),
                    Fraction(p.budget.consumed),
                    Fraction(p.budget.remaining),
                )
                budget = (p.budget.unit, allowed, consumed, remaining)
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
                    version=p.version,
                    statistic=p.statistic,
                )
            )
    return found


def credit_key(label: str, shares: Any, share: Decimal, amount: Decimal | None, payable: Decimal | None) -> str:
    """One period's credit as comparable text (the engine lists credits by label, the reference by end)."""
    return canonical([label, [[o, str(s)] for o, s in shares], str(share), str(amount), str(payable)])


def credit_view(evaluation: Evaluation) -> list[str]:
    """The engine's credits, sorted."""
    return sorted(
        credit_key(c.period, [(p.objective, p.share) for p in c.parts], c.share, c.amount, c.payable)
        for c in evaluation.credits
    )


def reference_credits(history: reference.History) -> list[str]:
    """The reference's credits, sorted."""
    return sorted(credit_key(c.label, c.shares, c.share, c.amount, c.payable) for c in history.credits)


def grant_view(evaluation: Evaluation) -> list[str]:
    """The engine's termination grants, in its order: the rule as written, objective, instant, evidence."""
    return [
        canonical([g.rule.model_dump(mode="json"), g.objective, g.granted_at, list(g.periods)])
        for g in evaluation.termination
    ]


def reference_grants(agreements: list[Agreement], history: reference.History) -> list[str]:
    """The reference's grants, in order, as `grant_view` writes them."""
    clause = agreements[-1].spec.termination
    rules = clause.rights if clause is not None else ()
    return [
        canonical([rules[g.rule].model_dump(mode="json"), g.objective, g.granted_at, list(g.periods)])
        for g in history.grants
    ]


# --- the system's view ------------------------------------------------------------------------


def canonical(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, Decimals as text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def result_json(results: list[StoredResult]) -> list[str]:
    """Stored results as canonical JSON (the evaluation instant left out: it is when, not what)."""
    return [
        canonical(
            {
                "objective": r.objective,
                "period": r.period,
                "start": r.start,
                "end": r.end,
                "version": r.version,
                "status": r.status,
                "ratio": r.ratio,
                "good": r.good,
                "valid": r.valid,
                "data": r.data,
            }
        )
        for r in results
    ]


def as_yaml(document: dict[str, Any]) -> str:
    """The agreement as a user writes it: plain YAML, every value written out (no anchors)."""
    plain = json.loads(json.dumps(document, default=str))
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)


def write(path: Path, header: tuple[str, ...], rows: list[Any]) -> Path:
    """Rows as a CSV file."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADERS = {
    "requests": ("timestamp", "latency_ms", "code", "method"),
    "incidents": ("start", "end", "severity"),
    "backups": ("timestamp", "status", "source"),
    "tickets": ("case", "type", "timestamp", "priority"),
    "announcements": ("start", "end", "kind", "announcedAt", "objectives"),
}


@dataclass
class Run:
    """What one store gave: stored rows, the recomputation's rows, the evaluation and its JSON."""

    stored: list[str]
    recomputed: list[str]
    evaluation: Evaluation
    whole: str
    results: list[StoredResult]


def run(engine: Engine, directory: Path, case: Case, labels: list[str], order: random.Random | None) -> Run:
    """Apply the agreement file, ingest every stream's CSV (shuffled with `order`), store and recompute the periods."""
    upgrade(engine)
    store = SqlStore(engine)
    paths = []
    for number, version in enumerate(case.versions, start=1):
        paths.append(directory / f"agreement-v{number}.yaml")
        paths[-1].write_text(as_yaml(version), encoding="utf-8")
    for path in paths if not case.late else paths[:1]:
        apply_files(store, [path], case.now)
    for stream, header in HEADERS.items():
        rows = list(getattr(case, stream))
        if rows:
            if order is not None:
                order.shuffle(rows)
            ingest_file(store, write(directory / f"{stream}.csv", header, rows), NAME, case.now)
    for path in paths[1:] if case.late else ():
        apply_files(store, [path], case.now)
    first = [r for label in labels for r in evaluate_period(store, NAME, label, case.now)]
    stored = result_json(store.results(NAME))
    again = [r for label in labels for r in evaluate_period(store, NAME, label, case.now + 1)]
    assert result_json(store.results(NAME)) == stored
    evaluation = evaluate_stored(store, NAME, case.now).evaluation
    assert canonical(evaluation_data(evaluate_stored(store, NAME, case.now + 1).evaluation)) == canonical(
        evaluation_data(evaluation)
    )
    return Run(stored, result_json(again), evaluation, canonical(evaluation_data(evaluation)), first)


def empty(schema: str, url: str) -> None:
    """Drop and recreate the PostgreSQL schema, so the example starts from nothing."""
    admin = connect(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()


@pytest.fixture
def fresh_schema(postgres_schema: str, postgres_url: str) -> tuple[str, str]:
    """The session's PostgreSQL schema and its URL; each example empties it itself."""
    return postgres_schema, postgres_url


def closed_labels(periods: dict[str, list[Expected]]) -> list[str]:
    """The labels of the reference's closed calendar periods (not the rolling window), each once, in order.

    A label that one objective has twice is kept: a later version that moves a window to another
    zone gives Shanghai's day 2027-03-29 (judged by version 1) and UTC's (by version 2); stored
    results are keyed by the period's start too (migration 0016), so `evaluate_period` stores both.
    """
    closed = [(n, p.label) for n, ps in periods.items() for p in ps if p.closed and not p.label.startswith("rolling")]
    if any(closed.count(pair) > 1 for pair in closed):
        event("a label twice for one objective (both stored)")
    return sorted({label for _, label in closed})


def exact(value: Decimal | Fraction | None) -> str | None:
    """A number as its exact fraction's text, however it is written (0.50 and 0.5 alike)."""
    return None if value is None else str(Fraction(value))


def tally_objective(objective: dict[str, Any]) -> None:
    """Hypothesis statistics: one objective's kind, window, tiers, budgeting, service hours, statistic."""
    indicator, window = objective["indicator"], objective["window"]
    event(f"{indicator['kind']}{'/' + indicator['time'] if 'time' in indicator else ''}")
    event(f"window {window.get('calendar', 'rolling')}")
    if "credits" in objective:
        event("credit tiers")
    if "budgeting" in objective:
        event(f"budgeting {objective['budgeting']['method']}")
    if "serviceHours" in objective:
        event(f"service hours ({indicator['kind']})")
    if indicator["kind"] == "statistic":
        missing = indicator.get("missing", "timeout" if "timeout" in indicator else "ignore")
        event(f"statistic {indicator['statistic']} {indicator.get('method', '')}, missing {missing}")


def tally_results(case: Case, periods: dict[str, list[Expected]]) -> None:
    """Hypothesis statistics: the statistic periods' statuses, and service-hours periods without service time."""
    served = {o["name"] for v in case.versions for o in v["spec"]["objectives"] if "serviceHours" in o}
    for name, found in periods.items():
        for p in found:
            if name.startswith("statistic"):
                event(f"statistic period {p.status}{' beyond measured' if p.detail.get('beyond_measured') else ''}")
            if name in served and p.status == "no_data" and name.startswith("availability"):
                event("service hours: availability period without service time")


def tally(case: Case) -> None:
    """Hypothesis statistics: what the example covers."""
    event(f"versions {len(case.versions)}{' applied after ingesting' if case.late and len(case.versions) > 1 else ''}")
    for objective in case.document["spec"]["objectives"]:
        tally_objective(objective)
    for version in case.versions:
        spec = version["spec"]
        for exclusion in spec.get("exclusions", ()):
            shape = "recurring" if "every" in exclusion else "one-off" if "start" in exclusion else "schedule-less"
            event(f"exclusion {shape}{' with notice' if 'minimumNotice' in exclusion else ''}")
        if "holidays" in spec["calendars"]["support"]:
            event("country holidays")
        if spec.get("termination", {}).get("rights"):
            event("termination rules")
    if case.announcements:
        event("announcements")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases(), st.randoms(use_true_random=False))
def test_generated_agreements_store_the_reference_results_everywhere(
    fresh_schema: tuple[str, str], case: Case, order: random.Random
) -> None:
    """SQLite and PostgreSQL (rows shuffled) store, recompute and evaluate the same bytes, equal to the reference."""
    schema, url = fresh_schema
    empty(schema, url)
    agreements = []
    for version in case.versions:
        note(as_yaml(version))
        bundle = load_bundle_text(as_yaml(version), "agreement.yaml")
        assert not bundle.problems, bundle.problems
        agreements += bundle.agreements
    note(repr(case))
    history = expected(case, agreements)
    want = history.periods
    tally(case)
    tally_results(case, want)
    labels = closed_labels(want)
    with TemporaryDirectory() as sqlite_dir, TemporaryDirectory() as postgres_dir:
        sqlite, postgres = connect(f"sqlite:///{sqlite_dir}/attain.db"), connect(url)
        try:
            on_sqlite = run(sqlite, Path(sqlite_dir), case, labels, None)
            on_postgres = run(postgres, Path(postgres_dir), case, labels, order)
        finally:
            sqlite.dispose()
            postgres.dispose()
    # (a) recomputation, (b) the two databases, (d) row order: byte-identical.
    assert on_sqlite.recomputed == [result_json([r])[0] for r in on_sqlite.results]
    assert on_postgres.recomputed == [result_json([r])[0] for r in on_postgres.results]
    assert on_sqlite.stored == on_postgres.stored
    assert on_sqlite.recomputed == on_postgres.recomputed
    assert on_sqlite.whole == on_postgres.whole
    # (c) the reference, exactly: every period (with the version that judged it), credit and
    # termination grant of the evaluation, and every stored row.
    actual = engine_view(on_sqlite.evaluation)
    assert actual.keys() == want.keys()
    for name, periods in want.items():
        assert actual[name] == periods, name
    owed, grants = credit_view(on_sqlite.evaluation), grant_view(on_sqlite.evaluation)
    assert owed == reference_credits(history), (owed, reference_credits(history))
    assert grants == reference_grants(agreements, history), (grants, reference_grants(agreements, history))
    judged = sorted(
        canonical([o, p.label, p.start, p.end, p.version, p.status, exact(p.ratio), p.valid, exact(p.good)])
        for o, ps in want.items()
        for p in ps
        if p.closed and p.label in labels
    )
    stored = sorted(
        canonical(
            [
                r.objective,
                r.period,
                r.start,
                r.end,
                r.version,
                r.status,
                exact(r.ratio),
                None if r.valid is None else int(r.valid),
                exact(r.good),
            ]
        )
        for r in on_sqlite.results
    )
    assert stored == judged, (sorted(set(stored) - set(judged)), sorted(set(judged) - set(stored)))
