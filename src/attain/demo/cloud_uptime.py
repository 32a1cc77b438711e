"""cloud-uptime's story: a compute outage of a few hours in the bad month, two announced maintenances.

A Sunday 02:00–04:00 maintenance is announced six days ahead (excluded) and one the day before
(too late: it counts); about two background incidents a week come on top.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from attain.demo.span import Rows, Span, Table, minute, to_local
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, Interval

Incident = tuple[int, int, str, str, str]
"""start, end (µs), service, severity, summary."""

_SUMMARIES = {
    ("compute", True): ("hypervisor host reboot", "network partition in one zone", "VM start failures"),
    ("compute", False): ("slow management console", "VM scheduling delays", "degraded disk throughput"),
    ("object-storage", True): ("elevated 503 errors", "metadata store failover", "PUT requests failing"),
    ("object-storage", False): ("slow list operations", "replication lag", "slow multipart uploads"),
}
"""Incident summaries by service and whether the incident is an outage (critical or major)."""


def generate_tables(span: Span, rng: np.random.Generator) -> list[Table]:
    """Incidents (an outage, planned works, background ones) and maintenance announcements."""
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
    start = minute(low + int((high - low) * rng.uniform(0.4, 0.6)))
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
        if clash or end >= span.end or to_local(start, span.zone).month != to_local(end, span.zone).month:
            continue
        taken.append((start - US_PER_HOUR, end + US_PER_HOUR))
        text = _SUMMARIES[service, severity != "minor"][int(rng.integers(0, 3))]
        text = text if seconds >= 60 else "network blip under one minute"
        found.append((start, end, service, severity, text))
    return found
