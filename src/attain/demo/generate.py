"""Realistic synthetic measurements for five templates, for the demo.

`generate(template, out, end, days, seed)` writes the CSV files that `attain.sources.files`
reads for one template's agreement, covering `[end − days, end)`; `generate_all` does so for
every template in `TEMPLATES_WITH_DATA`, one subdirectory each. The data is deterministic for a
seed (one `numpy.random.default_rng(seed)` per template) and tells a story the demo relies on:

- the last full calendar month in the range (in the template's zone; the whole range when no
  month fits) is the *bad month*: cloud-uptime has a compute outage of a few hours, api-latency a
  burst of server errors, ambulance-response slower responses, cloud-backup a two-day gap in the
  nightly backups and late restores, support-desk a short-staffed desk;
- cloud-uptime has a Sunday 02:00–04:00 maintenance announced six days ahead (excluded) and one
  announced the day before (too late: it counts);
- api-latency traffic follows the time of day and the day of the week, with a slow period in the
  last 28 days; support-desk tickets are fewer on weekends and public holidays, and their clocks
  run on the agreement's own business calendar, across weekends and Chinese public holidays.

Instants are written in ISO 8601 with the template's local offset, or in UTC with `Z` for the
large event files; values as decimal text with fixed decimals.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from attain.engine.business_time import Clock, clock_for
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, Interval, from_us, to_us
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import CaseIndicator

TEMPLATES_WITH_DATA: tuple[str, ...] = (
    "cloud-uptime",
    "ambulance-response",
    "support-desk",
    "cloud-backup",
    "api-latency",
)
"""The templates `generate` writes measurements for."""

_ZONES = {
    "cloud-uptime": "Europe/Berlin",
    "ambulance-response": "Europe/London",
    "support-desk": "Asia/Shanghai",
    "cloud-backup": "Asia/Singapore",
    "api-latency": "UTC",
}
"""Each template's `timeZone`, in which its months, days and schedules are laid out."""

Rows = list[Sequence[str]]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Table:
    """One CSV file to write: the stream's name, its header and its rows of text."""

    name: str
    header: tuple[str, ...]
    rows: Rows


@dataclass(frozen=True)
class Span:
    """The generated range `[start, end)` in µs, the template's zone and its bad month."""

    start: int
    end: int
    zone: ZoneInfo
    bad: Interval

    def days(self) -> list[date]:
        """The local dates that overlap the range."""
        first, last = _local(self.start, self.zone).date(), _local(self.end - 1, self.zone).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def wall(self, day: date, hour: int, minute: int = 0) -> int:
        """The instant (µs) of a local wall-clock time on `day`."""
        return to_us(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone))

    def iso(self, instant: int) -> str:
        """An instant as ISO 8601 with the local offset, to the second."""
        return _local(instant, self.zone).isoformat(timespec="seconds")

    def in_bad(self, instant: int) -> bool:
        """Whether the instant falls in the bad month."""
        return self.bad[0] <= instant < self.bad[1]


Writer = Callable[[Span, np.random.Generator], list[Table]]


def generate(template: str, out: Path, end: datetime, days: int = 90, seed: int = 7) -> list[Path]:
    """Write synthetic measurement files for one template, covering `[end − days, end)`.

    Args:
        template: One of `TEMPLATES_WITH_DATA`.
        out: The directory to write `<stream>.csv` files into; created when missing.
        end: The end of the range (exclusive); a naive datetime is read as UTC.
        days: The length of the range in days.
        seed: The seed of the random generator: the same seed gives byte-identical files.

    Returns:
        The paths written, in a fixed order.

    Raises:
        ValueError: If the template has no generator or `days` is not positive.
    """
    if template not in _WRITERS:
        raise ValueError(f"no demo data for template {template!r}; choose one of {', '.join(TEMPLATES_WITH_DATA)}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    finish = to_us(end if end.tzinfo is not None else end.replace(tzinfo=UTC))
    start = finish - days * US_PER_DAY
    zone = ZoneInfo(_ZONES[template])
    span = Span(start, finish, zone, _bad_month(start, finish, zone))
    out.mkdir(parents=True, exist_ok=True)
    tables = _WRITERS[template](span, np.random.default_rng(seed))
    return [_write(out / f"{table.name}.csv", table) for table in tables]


def generate_all(out_dir: Path, end: datetime, days: int = 90, seed: int = 7) -> dict[str, list[Path]]:
    """Write synthetic measurements for every template in `TEMPLATES_WITH_DATA`.

    Args:
        out_dir: The directory that receives one subdirectory per template.
        end: The end of the range (exclusive); a naive datetime is read as UTC.
        days: The length of the range in days.
        seed: The seed of each template's random generator.

    Returns:
        The paths written, by template.
    """
    return {name: generate(name, out_dir / name, end, days, seed) for name in TEMPLATES_WITH_DATA}


# Shared helpers ------------------------------------------------------------------------------


def _local(instant: int, zone: ZoneInfo) -> datetime:
    return from_us(instant).astimezone(zone)


def _bad_month(start: int, end: int, zone: ZoneInfo) -> Interval:
    """The last local calendar month wholly inside `[start, end)`, else the range itself."""
    first = _local(start, zone)
    year, month = first.year, first.month
    found = (start, end)
    while True:
        low = to_us(datetime(year, month, 1, tzinfo=zone))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        high = to_us(datetime(year, month, 1, tzinfo=zone))
        if high > end:
            return found
        if low >= start:
            found = (low, high)


def _write(path: Path, table: Table) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows(table.rows)
    return path


def _utc_text(instants: Ints, unit: Literal["s", "ms"]) -> list[str]:
    """Instants (µs) as ISO 8601 UTC with `Z`, to the second (`s`) or millisecond (`ms`)."""
    return [
        str(t) for t in np.datetime_as_string(instants.astype(np.dtype("datetime64[us]")), unit=unit, timezone="UTC")
    ]


def _arrivals(span: Span, rng: np.random.Generator, per_day: float, shape: Sequence[float], step: int) -> Ints:
    """Sorted arrival instants (µs, multiples of `step` µs) of a Poisson process by local hour.

    `shape` weighs the 24 local hours of a weekday and 24 more of a weekend day; the rate of an
    hour is `per_day / 24 × weight / mean weight of a weekday`.
    """
    hours = np.arange(span.start - span.start % US_PER_HOUR, span.end, US_PER_HOUR, dtype=np.int64)
    weights = np.asarray(shape, dtype=float) / np.mean(shape[:24])
    local = [_local(int(h), span.zone) for h in hours]
    index = np.array([t.hour + (24 if t.weekday() >= 5 else 0) for t in local])
    counts = rng.poisson(per_day / 24 * weights[index])
    starts = np.repeat(hours, counts)
    times = starts + rng.integers(0, US_PER_HOUR // step, size=starts.size) * step
    times = times[(times >= span.start) & (times < span.end)]
    return np.sort(times)


def _minute(instant: int) -> int:
    return instant - instant % US_PER_MINUTE


# cloud-uptime --------------------------------------------------------------------------------

Incident = tuple[int, int, str, str, str]
"""start, end (µs), service, severity, summary."""

_SUMMARIES = {
    ("compute", True): ("hypervisor host reboot", "network partition in one zone", "VM start failures"),
    ("compute", False): ("slow management console", "VM scheduling delays", "degraded disk throughput"),
    ("object-storage", True): ("elevated 503 errors", "metadata store failover", "PUT requests failing"),
    ("object-storage", False): ("slow list operations", "replication lag", "slow multipart uploads"),
}
"""Incident summaries by service and whether the incident is an outage (critical or major)."""


def _cloud_uptime(span: Span, rng: np.random.Generator) -> list[Table]:
    announcements, planned = _maintenance(span, rng)
    incidents = [_outage(span, rng), *planned]
    incidents += _background_incidents(span, rng, [(s - US_PER_HOUR, e + US_PER_HOUR) for s, e, *_ in incidents])
    incidents.sort()
    rows: Rows = [(span.iso(s), span.iso(e), service, severity, text) for s, e, service, severity, text in incidents]
    return [
        Table("incidents", ("start", "end", "service", "severity", "summary"), rows),
        Table("announcements", ("start", "end", "kind", "announcedAt", "objectives"), announcements),
    ]


def _outage(span: Span, rng: np.random.Generator) -> Incident:
    """A critical compute outage of 3 h 10 min to 3 h 50 min in the middle of the bad month."""
    low, high = span.bad
    start = _minute(low + int((high - low) * rng.uniform(0.4, 0.6)))
    end = min(start + (3 * 60 + int(rng.integers(10, 51))) * US_PER_MINUTE, span.end - US_PER_MINUTE)
    return (start, end, "compute", "critical", "storage network switch failure: compute unreachable")


def _sundays(span: Span) -> list[date]:
    """Sundays whose 02:00–04:00 lies in the range and lasts exactly two hours (no clock change)."""
    return [
        d
        for d in span.days()
        if d.weekday() == 6
        and span.wall(d, 4) - span.wall(d, 2) == 2 * US_PER_HOUR
        and span.start <= span.wall(d, 2)
        and span.wall(d, 4) <= span.end
    ]


def _maintenance(span: Span, rng: np.random.Generator) -> tuple[Rows, list[Incident]]:
    """A maintenance announced six days ahead (excluded) and one announced the day before (counts)."""
    sundays = _sundays(span)
    if len(sundays) < 2:
        return [], []
    calm = [d for d in sundays if not span.in_bad(span.wall(d, 2))] or sundays
    timely = calm[len(calm) // 3]
    others = [d for d in calm if (d.year, d.month) != (timely.year, timely.month)]
    late = others[-1] if others else next(d for d in reversed(sundays) if d != timely)
    rows: Rows = [
        (span.iso(span.wall(d, 2)), span.iso(span.wall(d, 4)), "maintenance", span.iso(told), "")
        for d, told in sorted(
            [(timely, span.wall(timely - timedelta(days=6), 10)), (late, span.wall(late, 2) - 16 * US_PER_HOUR)]
        )
    ]
    works = span.wall(timely, 2) + int(rng.integers(70, 111)) * US_PER_MINUTE
    incidents = [
        (span.wall(timely, 2), works, "compute", "major", "planned maintenance: hypervisor kernel upgrade"),
        (span.wall(late, 2, 5), span.wall(late, 2, 30), "object-storage", "major", "planned maintenance: firmware"),
    ]
    return rows, incidents


def _background_incidents(span: Span, rng: np.random.Generator, taken: list[Interval]) -> list[Incident]:
    """About two incidents a week: blips under a minute, short major ones, long minor ones."""
    found: list[Incident] = []
    for _ in range(int(rng.poisson((span.end - span.start) / US_PER_DAY / 7 * 2))):
        service = str(rng.choice(["compute", "object-storage"]))
        severity = str(rng.choice(["critical", "major", "minor"], p=[0.1, 0.35, 0.55]))
        seconds = (
            int(rng.integers(15, 240)) * 60 if severity == "minor" else int(np.clip(rng.lognormal(5.5, 0.9), 20, 900))
        )
        start = span.start + int(rng.integers(0, (span.end - span.start) // US_PER_SECOND)) * US_PER_SECOND
        end = start + seconds * US_PER_SECOND
        clash = any(start < high and low < end for low, high in taken)
        if clash or end >= span.end or _local(start, span.zone).month != _local(end, span.zone).month:
            continue
        taken.append((start - US_PER_HOUR, end + US_PER_HOUR))
        text = _SUMMARIES[service, severity != "minor"][int(rng.integers(0, 3))]
        text = text if seconds >= 60 else "network blip under one minute"
        found.append((start, end, service, severity, text))
    return found


# ambulance-response --------------------------------------------------------------------------

_CALLS_BY_HOUR = (
    *(0.6, 0.5, 0.45, 0.4, 0.4, 0.45, 0.6, 0.8, 1.0, 1.1, 1.15, 1.2),
    *(1.2, 1.2, 1.15, 1.15, 1.2, 1.25, 1.3, 1.3, 1.25, 1.1, 0.9, 0.75),
)


def _ambulance_response(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 36 emergency calls a day; responses about 30% slower in the bad month."""
    times = _arrivals(span, rng, 36.0, _CALLS_BY_HOUR + tuple(w * 1.1 for w in _CALLS_BY_HOUR), US_PER_SECOND)
    n = times.size
    category = rng.choice(np.array(["C1", "C2", "C3"]), size=n, p=[0.12, 0.58, 0.30])
    median = np.select([category == "C1", category == "C2"], [330.0, 420.0], 600.0)
    slower = np.where((times >= span.bad[0]) & (times < span.bad[1]), 1.3, 1.0)
    seconds = np.rint(rng.lognormal(np.log(median * slower), 0.45)).astype(np.int64)
    status = np.where(rng.random(n) < 0.04, "cancelled", "arrived")
    unknown = (status == "cancelled") | (rng.random(n) < 0.008)
    values = np.where(unknown, "", np.char.mod("%d", seconds))
    stamps = _utc_text(times, "s")
    rows: Rows = [(stamps[i], f"EC-{i + 1:06d}", str(category[i]), str(status[i]), str(values[i])) for i in range(n)]
    return [Table("emergency_calls", ("timestamp", "call", "category", "status", "response_seconds"), rows)]


# cloud-backup --------------------------------------------------------------------------------

_SYSTEMS = ("erp-db", "wms-db", "crm-db", "file-server-1", "file-server-2", "mail-archive")
_RESTORES_BY_HOUR = (0.1,) * 8 + (1.0,) * 11 + (0.4,) * 5 + (0.2,) * 24


def _cloud_backup(span: Span, rng: np.random.Generator) -> list[Table]:
    return [
        Table("backup_runs", ("timestamp", "job", "status", "size_gb"), _backup_runs(span, rng)),
        Table("restore_requests", ("case", "type", "timestamp", "system"), _restores(span, rng)),
    ]


def _backup_runs(span: Span, rng: np.random.Generator) -> Rows:
    """Nightly runs at 01:00 local: two missing days in the bad month, a few failed or partial."""
    nights = [d for d in span.days() if span.start <= span.wall(d, 1) < span.end]
    bad = [i for i, d in enumerate(nights) if span.in_bad(span.wall(d, 1))] or list(range(len(nights)))
    gap = bad[len(bad) // 2]
    skipped = {gap, gap + 1}
    spare = [i for i in range(len(nights)) if all(abs(i - j) > 2 for j in skipped)]
    picked = [int(i) for i in rng.choice(spare, size=min(5, len(spare)), replace=False)]
    outcome = dict(zip(picked, ("retried", "retried", "failed", "partial", "partial"), strict=False))
    rows: Rows = []
    for i, night in enumerate(nights):
        if i in skipped:
            continue
        at, size = span.wall(night, 1), f"{1840 + 1.3 * i + rng.uniform(-6, 6):.1f}"
        status = outcome.get(i, "success")
        rows.append(
            (span.iso(at), "nightly", "failed" if status == "retried" else status, "" if status != "success" else size)
        )
        retry = at + int(rng.integers(150, 300)) * US_PER_MINUTE
        if status == "retried" and retry < span.end:
            rows.append((span.iso(retry), "nightly-retry", "success", size))
    return rows


def _restores(span: Span, rng: np.random.Generator) -> Rows:
    """Restore requests, mostly in office hours, started within 4 h except two in the bad month."""
    requested = [_minute(int(t)) for t in _arrivals(span, rng, 0.35, _RESTORES_BY_HOUR, US_PER_MINUTE)]
    waits = [int(min(rng.lognormal(np.log(75.0), 0.6), 230.0)) for _ in requested]
    bad = [i for i, t in enumerate(requested) if span.in_bad(t)]
    for i in bad[1 : len(bad) : max(1, len(bad) // 2)][:2]:
        waits[i] = int(rng.integers(265, 420))
    rows: Rows = []
    for i, (at, wait) in enumerate(zip(requested, waits, strict=True)):
        case = f"R-{i + 1:04d}"
        rows.append((case, "requested", span.iso(at), _SYSTEMS[int(rng.integers(0, len(_SYSTEMS)))]))
        if at + wait * US_PER_MINUTE < span.end:
            rows.append((case, "started", span.iso(at + wait * US_PER_MINUTE), ""))
    return rows


# support-desk --------------------------------------------------------------------------------

_FIRST_RESPONSE = {"P1": 60, "P2": 240, "P3": 480}
_RESOLUTION = {"P1": 240, "P2": 960, "P3": 2400}
"""Goals in business minutes, as in the template."""


def _office_clock() -> Clock:
    agreement = parse_agreement(read_text(template_text("support-desk", "en"), "support-desk.yaml")[0])
    indicator = agreement.spec.objectives[0].indicator
    assert isinstance(indicator, CaseIndicator)
    return clock_for(indicator, agreement.spec.calendars)


def _support_desk(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 4.5 tickets a working day and 0.8 a day off; 22% late in the bad month, else 2%."""
    clock = _office_clock()
    rows: Rows = []
    for number, created in enumerate(_ticket_times(span, clock, rng), start=1):
        late = 0.22 if span.in_bad(created) else 0.02
        rows.extend(_ticket(span, clock, rng, (f"SD-{number:05d}", created), late))
    return [Table("ticket_events", ("case", "type", "timestamp", "priority", "channel"), rows)]


def _ticket_times(span: Span, clock: Clock, rng: np.random.Generator) -> list[int]:
    """Creation instants: in office hours on working days, fewer and later on days off."""
    found: list[int] = []
    for day in span.days():
        working = bool(clock.open_intervals(span.wall(day, 0), span.wall(day, 23, 59)))
        for _ in range(int(rng.poisson(4.5 if working else 0.8))):
            minute = int(rng.integers(8 * 60 + 30, 18 * 60 + 30) if working else rng.integers(10 * 60, 20 * 60))
            created = span.wall(day, minute // 60, minute % 60)
            if span.start <= created < span.end:
                found.append(created)
    return sorted(found)


def _business_minutes(rng: np.random.Generator, goal: int, late: bool) -> int:
    if late:
        return int(goal * rng.uniform(1.15, 2.5))
    return max(5, int(goal * 0.95 * rng.beta(2.0, 4.0)))


def _ticket(span: Span, clock: Clock, rng: np.random.Generator, ticket: tuple[str, int], late: float) -> Rows:
    """One ticket's events: created, first response, perhaps a wait on the customer, resolved."""
    case, created = ticket
    priority = str(rng.choice(["P1", "P2", "P3"], p=[0.1, 0.35, 0.55]))
    respond = _business_minutes(rng, _FIRST_RESPONSE[priority], rng.random() < late)
    resolve = max(_business_minutes(rng, _RESOLUTION[priority], rng.random() < late), respond + 30)
    events = [("created", created), ("first_response", clock.add(created, respond * US_PER_MINUTE))]
    if rng.random() < 0.25:
        active = respond + int((resolve - respond) * rng.uniform(0.2, 0.6))
        paused = clock.add(created, active * US_PER_MINUTE)
        replied = paused + int(rng.integers(2 * 60, 4 * 24 * 60)) * US_PER_MINUTE
        events += [("waiting_on_customer", paused), ("customer_replied", replied)]
        events.append(("resolved", clock.add(replied, (resolve - active) * US_PER_MINUTE)))
    else:
        events.append(("resolved", clock.add(created, resolve * US_PER_MINUTE)))
    channel = str(rng.choice(["portal", "e-mail", "phone"], p=[0.55, 0.3, 0.15]))
    return [
        (case, kind, span.iso(at), priority if kind == "created" else "", channel if kind == "created" else "")
        for kind, at in events
        if at < span.end
    ]


# api-latency ---------------------------------------------------------------------------------

_REQUESTS_BY_HOUR = (
    *(0.35, 0.3, 0.25, 0.25, 0.3, 0.4, 0.6, 0.85, 1.1, 1.3, 1.4, 1.4),
    *(1.45, 1.55, 1.7, 1.8, 1.8, 1.7, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5),
)
_WEEKEND = tuple(w * 0.55 for w in _REQUESTS_BY_HOUR)


def _api_latency(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 1,100 requests a day with a daily and weekly rhythm, a slow period and an error burst."""
    times = _arrivals(span, rng, 1150.0 * 7 / (5 + 2 * 0.55), _REQUESTS_BY_HOUR + _WEEKEND, 1000)
    n = times.size
    latency = rng.lognormal(np.log(180.0), 0.55, n)
    slow = _slow_period(span, rng)
    latency[(times >= slow[0]) & (times < slow[1])] *= 25.0
    status = rng.choice(np.array(["2xx", "3xx", "4xx", "5xx"]), size=n, p=[0.9245, 0.025, 0.05, 0.0005])
    burst = _error_burst(span, rng)
    status[(times >= burst[0]) & (times < burst[1]) & (rng.random(n) < 0.5)] = "5xx"
    limited = rng.random(n) < 0.008
    status[limited] = "4xx"
    latency[limited] = rng.lognormal(np.log(12.0), 0.3, int(limited.sum()))
    timeout = ((rng.random(n) < 0.0001) | (latency >= 30000.0)) & ~limited
    status[timeout] = "timeout"
    values = np.where(timeout, "", np.char.mod("%.1f", latency))
    stamps, flags = _utc_text(times, "ms"), np.where(limited, "true", "false")
    rows: Rows = [(stamps[i], f"req-{i + 1:07d}", status[i], values[i], flags[i]) for i in range(n)]
    return [Table("requests", ("timestamp", "request", "status_class", "latency_ms", "rate_limited"), rows)]


def _slow_period(span: Span, rng: np.random.Generator) -> Interval:
    """30 hours of slow responses within the last 28 days of the range."""
    earliest = max(span.start, span.end - 28 * US_PER_DAY)
    room = max(span.end - 30 * US_PER_HOUR - earliest, US_PER_HOUR)
    start = earliest + int(rng.integers(0, room // US_PER_HOUR)) * US_PER_HOUR
    return start, start + 30 * US_PER_HOUR


def _error_burst(span: Span, rng: np.random.Generator) -> Interval:
    """Three hours of server errors from 14:00 UTC on a weekday in the middle of the bad month."""
    low, high = span.bad
    day = _local(low + int((high - low) * rng.uniform(0.4, 0.6)), span.zone).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = span.wall(day, 14)
    return start, start + 3 * US_PER_HOUR


_WRITERS: dict[str, Writer] = {
    "cloud-uptime": _cloud_uptime,
    "ambulance-response": _ambulance_response,
    "support-desk": _support_desk,
    "cloud-backup": _cloud_backup,
    "api-latency": _api_latency,
}
