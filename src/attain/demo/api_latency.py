"""api-latency's story: traffic by time of day and day of week, a slow period and a burst of server errors."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from attain.demo.span import Rows, Span, Table, arrivals, to_local, utc_text
from attain.engine.instant import US_PER_DAY, US_PER_HOUR, Interval

_REQUESTS_BY_HOUR = (
    *(0.35, 0.3, 0.25, 0.25, 0.3, 0.4, 0.6, 0.85, 1.1, 1.3, 1.4, 1.4),
    *(1.45, 1.55, 1.7, 1.8, 1.8, 1.7, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5),
)
_WEEKEND = tuple(w * 0.55 for w in _REQUESTS_BY_HOUR)


def generate_tables(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 1,100 requests a day with a daily and weekly rhythm, a slow period and an error burst."""
    times = arrivals(span, rng, 1150.0 * 7 / (5 + 2 * 0.55), _REQUESTS_BY_HOUR + _WEEKEND, 1000)
    n = times.size
    latency = rng.lognormal(np.log(180.0), 0.55, n)
    slow = _slow_period(span, rng)
    latency[(times >= slow[0]) & (times < slow[1])] *= 25.0
    # Wide enough for "timeout": a dtype sized by the four classes would cut it to "tim".
    classes = np.array(["2xx", "3xx", "4xx", "5xx"], dtype=f"<U{len('timeout')}")
    status = rng.choice(classes, size=n, p=[0.9245, 0.025, 0.05, 0.0005])
    burst = _error_burst(span, rng)
    status[(times >= burst[0]) & (times < burst[1]) & (rng.random(n) < 0.5)] = "5xx"
    limited = rng.random(n) < 0.008
    status[limited] = "4xx"
    latency[limited] = rng.lognormal(np.log(12.0), 0.3, int(limited.sum()))
    timeout = ((rng.random(n) < 0.0001) | (latency >= 30000.0)) & ~limited
    status[timeout] = "timeout"
    values = np.where(timeout, "", np.char.mod("%.1f", latency))
    stamps, flags = utc_text(times, "ms"), np.where(limited, "true", "false")
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
    day = to_local(low + int((high - low) * rng.uniform(0.4, 0.6)), span.zone).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = span.wall(day, 14)
    return start, start + 3 * US_PER_HOUR
