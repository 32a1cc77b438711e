"""ambulance-response's story: emergency calls through the day, responses slower in the bad month."""

from __future__ import annotations

import numpy as np

from attain.demo.span import Rows, Span, Table, arrivals, utc_text
from attain.engine.instant import US_PER_SECOND

_CALLS_BY_HOUR = (
    *(0.6, 0.5, 0.45, 0.4, 0.4, 0.45, 0.6, 0.8, 1.0, 1.1, 1.15, 1.2),
    *(1.2, 1.2, 1.15, 1.15, 1.2, 1.25, 1.3, 1.3, 1.25, 1.1, 0.9, 0.75),
)


def generate_tables(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 36 emergency calls a day; responses about 30% slower in the bad month."""
    times = arrivals(span, rng, 36.0, _CALLS_BY_HOUR + tuple(w * 1.1 for w in _CALLS_BY_HOUR), US_PER_SECOND)
    n = times.size
    category = rng.choice(np.array(["C1", "C2", "C3"]), size=n, p=[0.12, 0.58, 0.30])
    median = np.select([category == "C1", category == "C2"], [330.0, 420.0], 600.0)
    slower = np.where((times >= span.bad[0]) & (times < span.bad[1]), 1.3, 1.0)
    seconds = np.rint(rng.lognormal(np.log(median * slower), 0.45)).astype(np.int64)
    status = np.where(rng.random(n) < 0.04, "cancelled", "arrived")
    unknown = (status == "cancelled") | (rng.random(n) < 0.008)
    values = np.where(unknown, "", np.char.mod("%d", seconds))
    stamps = utc_text(times, "s")
    rows: Rows = [(stamps[i], f"EC-{i + 1:06d}", str(category[i]), str(status[i]), str(values[i])) for i in range(n)]
    return [Table("emergency_calls", ("timestamp", "call", "category", "status", "response_seconds"), rows)]
