"""Drill-down: the measurements behind a bad minute or a breached case of one objective.

`/agreements/{name}/objectives/{objective}?minute=2026-11-20T14:03` (the minute in the agreement's
time zone) shows the objective's stored per-minute counts 15 minutes either side, and the events
stored in that minute, each with how the agreement's current version counts it (good, bad, or not
counted) and its attributes; for an objective measured by incidents, the incidents overlapping the
minute. `?case=INC-1` shows a case's clock events. At most `LIMIT` rows of each are listed.

The agreement page links here from each objective's latest bad minutes in the chosen range
(`bad_minutes`) and from each breached case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from attain.engine.classify import classify
from attain.engine.instant import US_PER_MINUTE, from_us, to_us
from attain.engine.measurement import EventTable, MinuteCounts
from attain.engine.period import zone
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    Objective,
    RatioIndicator,
    ThresholdIndicator,
    stream_name,
)
from attain.services.runtime import Runtime
from attain.web.language import Words

LIMIT = 200
"""At most this many events, counts or clock events are listed."""
AROUND_MINUTES = 15
"""The counts shown reach this many minutes either side of the minute asked about."""
BAD_MINUTES = 10
"""How many of the latest bad minutes the agreement page links to per objective."""


@dataclass(frozen=True)
class DrillPage:
    """What the drill-down page shows."""

    agreement: str
    objective: str
    what: str
    counts: list[tuple[str, int, int, int, bool]] = field(default_factory=list)
    """(local minute, good, valid, bad, whether it is the minute asked about)."""
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(local time, event or case event, counted as, attributes)."""
    more: int = 0


def minute_link(name: str, objective: str, instant: int, time_zone: str) -> str:
    """The drill-down path of the minute starting at `instant`."""
    local = from_us(instant).astimezone(zone(time_zone)).strftime("%Y-%m-%dT%H:%M")
    return f"/agreements/{name}/objectives/{objective}?minute={local}"


def bad_minutes(counts: MinuteCounts | None, span: tuple[int, int]) -> list[tuple[int, int, int]]:
    """The latest minutes in `span` holding a bad event, newest first: (minute, bad, valid), at most BAD_MINUTES."""
    if counts is None:
        return []
    low = max(0, (span[0] - counts.first_minute) // US_PER_MINUTE)
    high = min(counts.good.size, max(0, -(-(span[1] - counts.first_minute) // US_PER_MINUTE)))
    bad = counts.valid[low:high].astype(np.int64) - counts.good[low:high]
    found = np.flatnonzero(bad > 0)[::-1][:BAD_MINUTES]
    return [
        (counts.first_minute + (low + int(i)) * US_PER_MINUTE, int(bad[i]), int(counts.valid[low + i])) for i in found
    ]


def parse_minute(text: str, time_zone: str) -> int | None:
    """A local minute `2026-11-20T14:03` in the zone as an instant; None when not of that form."""
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M")  # noqa: DTZ007 - the zone is attached below
    except ValueError:
        return None
    return to_us(moment.replace(tzinfo=zone(time_zone)))


def _attributes(attributes: object) -> str:
    items = attributes.items() if isinstance(attributes, dict) else ()
    return ", ".join(f"{k}={v}" for k, v in sorted(items))


def drill_page(
    runtime: Runtime, agreement: Agreement, objective: Objective, minute: int | None, case: str, words: Words
) -> DrillPage:
    """The measurements behind one minute (`minute`) or one case (`case`) of a stored agreement's objective."""
    name, time_zone, loc = agreement.name, agreement.spec.time_zone, words.locale
    stream, store = stream_name(objective), runtime.store
    if case:
        events = [e for e in store.case_events(stream, 0, runtime.now() + 1, name) if e.case == case]
        rows = [(loc.instant(from_us(e.at), time_zone), e.type, "", _attributes(dict(e.attributes))) for e in events]
        what = words("drill.case", case=case)
        return DrillPage(name, objective.name, what, rows=rows[:LIMIT], more=max(0, len(rows) - LIMIT))
    if minute is None:
        return DrillPage(name, objective.name, "")
    minute = minute // US_PER_MINUTE * US_PER_MINUTE
    what = words("drill.minute", at=loc.instant(from_us(minute), time_zone))
    around = AROUND_MINUTES * US_PER_MINUTE
    counts = [
        (loc.instant(from_us(b.minute), time_zone), b.good, b.valid, b.valid - b.good, b.minute == minute)
        for b in store.buckets(name, objective.name, minute - around, minute + around + US_PER_MINUTE)
        if b.valid
    ]
    indicator = objective.indicator
    if indicator.rows == "incidents":
        incidents = store.incidents(stream, minute, minute + US_PER_MINUTE, name)
        rows = [
            (
                loc.instant(from_us(i.start), time_zone),
                words("annotation.incident"),
                "—" if i.end is None else loc.instant(from_us(i.end), time_zone),
                _attributes(dict(i.attributes)),
            )
            for i in incidents
        ]
    else:
        rows = _events(runtime, agreement, objective, minute, words)
    return DrillPage(name, objective.name, what, counts[:LIMIT], rows[:LIMIT], max(0, len(rows) - LIMIT))


def _events(
    runtime: Runtime, agreement: Agreement, objective: Objective, minute: int, words: Words
) -> list[tuple[str, str, str, str]]:
    """The events stored in the minute, each with how the objective counts it."""
    events = runtime.store.events(stream_name(objective), minute, minute + US_PER_MINUTE, agreement.name)
    table = EventTable.from_events(events)
    indicator = objective.indicator
    verdicts = ["—"] * len(events)
    if isinstance(indicator, RatioIndicator | ThresholdIndicator | AvailabilityIndicator) and events:
        valid, good = classify(indicator, table)
        verdicts = [
            words("drill.good" if g else "drill.bad") if v else words("drill.not_valid")
            for v, g in zip(valid.tolist(), good.tolist(), strict=True)
        ]
    ordered = sorted(events, key=lambda e: e.at)
    time_zone, loc = agreement.spec.time_zone, words.locale
    return [
        (
            from_us(e.at).astimezone(zone(time_zone)).strftime("%H:%M:%S.%f")[:-3],
            "" if e.value is None else loc.number(e.value, 3),
            verdict,
            _attributes(dict(e.attributes)),
        )
        for e, verdict in zip(ordered, verdicts, strict=True)
    ]
