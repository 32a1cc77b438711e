"""The agreement page over time: the range picked, and the charts drawn over it.

A range is one of: the current period (the default), a previous period (a label such as
`2026-10`), the last 90 days, or a custom range of local days (`from` … `to`, both included, at
most 400 days). Each is read from plain query parameters (`?range=period&period=2026-10`,
`?range=90d`, `?range=custom&from=2026-10-01&to=2026-11-15`), so links and the back button work.

Over the range the page draws, per objective:
- daily attainment (the report's day-by-day view, reaching back over the range);
- the error budget: a calendar period's burn-down with the ideal line and a linear projection
  (`attain.reports.timeline`), a rolling window's budget left of the window ending each day;
- the burn rate over each alert window through time, sampled every hour (every few hours over
  long ranges), with the tiers' factors drawn and alert firings and incidents as bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from attain.engine.burn_history import burn_rate_series
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, duration_us, from_us
from attain.engine.measurement import Measurements
from attain.engine.period import local_midnight, next_unit_start, zone
from attain.engine.result import ObjectiveEvaluation
from attain.model import SRE_WORKBOOK_TIERS, Agreement, Objective
from attain.reports.period_label import parse_period
from attain.reports.timeline import Band, burn_rate_spec
from attain.web.language import Words
from attain.web.overview import severity_text

RANGES = ("current", "period", "90d", "custom")
MAX_DAYS = 400
SAMPLES = 400
"""At most about this many samples per window: the step grows in whole hours over long ranges."""


@dataclass(frozen=True)
class TimeRange:
    """The range the agreement page shows: its kind, its local days (both included) and its period label."""

    kind: str
    first: date
    last: date
    period: str | None = None
    error: str | None = None
    """Why the asked range was refused (the current period is shown instead)."""

    @property
    def days(self) -> int:
        """How many local days the range holds."""
        return (self.last - self.first).days + 1


def choose_range(  # noqa: PLR0911 - one return per kind of range and per refusal
    kind: str, period: str, start: str, end: str, today: date, periods: list[str], words: Words
) -> TimeRange:
    """The range asked for by the query parameters, or the current period with the reason when refused.

    `periods` are the previous periods offered; the current one's days are filled in by the caller.
    """
    current = TimeRange("current", today.replace(day=1), today)
    if kind in {"", "current"} or kind not in RANGES:
        return current
    if kind == "90d":
        return TimeRange("90d", today - timedelta(days=89), today)
    if kind == "period":
        if period not in periods:
            return _refused(current, words("range.error.period", period=period))
        unit, first = parse_period(period)
        return TimeRange("period", first, min(today, next_unit_start(unit, first) - timedelta(days=1)), period)
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return _refused(current, words("range.error.dates"))
    if not first <= last <= today or (last - first).days >= MAX_DAYS:
        return _refused(current, words("range.error.span", days=MAX_DAYS))
    return TimeRange("custom", first, last)


def _refused(current: TimeRange, why: str) -> TimeRange:
    return TimeRange(current.kind, current.first, current.last, error=why)


def alert_windows(objective: Objective) -> list[timedelta]:
    """The long windows of the objective's alert tiers (the SRE workbook's without a policy), shortest first."""
    tiers = objective.alerting.effective_tiers if objective.alerting is not None else SRE_WORKBOOK_TIERS
    return sorted({t.long_window for t in tiers})


def local(instant: int, time_zone: str) -> datetime:
    """An instant as naive local wall-clock time in the zone."""
    return from_us(instant).astimezone(zone(time_zone)).replace(tzinfo=None)


def sample_instants(start: int, end: int) -> list[int]:
    """Whole hours from `start` to `end` (both on whole hours or minutes), stepping so as to give at most ~SAMPLES."""
    hours = max(1, (end - start) // US_PER_HOUR)
    step = max(1, -(-hours // SAMPLES)) * US_PER_HOUR
    first = -(-start // US_PER_HOUR) * US_PER_HOUR
    return list(range(first, end + 1, step))


def bands(
    evaluated: ObjectiveEvaluation | None,
    measurements: Measurements,
    stream: str,
    span: tuple[int, int],
    time_zone: str,
    words: Words,
) -> list[Band]:
    """The alert firings and incidents that overlap the span, as annotations in local time."""
    start, end = span
    found = []
    for alert in evaluated.alerts if evaluated else ():
        for s, e in alert.intervals:
            if s < end and e > start:
                label = words(
                    "annotation.alert",
                    severity=severity_text(words, alert.severity),
                    factor=words.locale.number(alert.factor, 2),
                )
                found.append(
                    Band(local(max(s, start), time_zone), local(min(e, end), time_zone), "alert", label, alert.severity)
                )
    for incident in measurements.incidents.get(stream, ()):
        stop = end if incident.end is None else incident.end
        if incident.start < end and stop > start:
            found.append(
                Band(
                    local(max(incident.start, start), time_zone),
                    local(min(stop, end), time_zone),
                    "incident",
                    words("annotation.incident"),
                )
            )
    return found


def burn_chart(
    words: Words,
    agreement: Agreement,
    objective: Objective,
    evaluated: ObjectiveEvaluation | None,
    measurements: Measurements,
    span: tuple[int, int],
    annotations: list[Band],
) -> dict[str, object] | None:
    """The burn rate over each alert window through the span, or None without per-minute counts or a target."""
    counts = measurements.counts.get(objective.name)
    if counts is None or objective.target is None or objective.target >= 1:
        return None
    time_zone = agreement.spec.time_zone
    covered = counts.first_minute + counts.good.size * US_PER_MINUTE
    start, end = max(span[0], counts.first_minute), min(span[1], covered)
    if end <= start:
        return None
    instants = sample_instants(start, end)
    windows = alert_windows(objective)
    loc = words.locale
    names = {duration_us(w): loc.duration(w) for w in windows}
    samples = burn_rate_series(counts.first_minute, counts.good, counts.valid, objective.target, windows, instants)
    rows = [(local(s.at, time_zone), names[s.window], s.rate) for s in samples]
    thresholds = [
        (
            words(
                "annotation.tier",
                severity=severity_text(words, a.severity),
                windows=f"{loc.duration(timedelta(microseconds=a.long_window))}/{loc.duration(timedelta(microseconds=a.short_window))}",
                factor=loc.number(a.factor, 2),
            ),
            Decimal(a.factor),
        )
        for a in (evaluated.alerts if evaluated else ())
    ]
    labels = {
        "time": words("axis.time", zone=time_zone),
        "rate": words("axis.burn_rate"),
        "window": words("axis.window"),
    }
    return burn_rate_spec(rows, thresholds, annotations, labels)


def span_of(chosen: TimeRange, time_zone: str, now: int) -> tuple[int, int]:
    """The range's instants: local midnight of its first day to that after its last day, cut at `now`."""
    start = local_midnight(chosen.first, time_zone)
    end = local_midnight(chosen.last + timedelta(days=1), time_zone)
    return start, min(end, now // US_PER_MINUTE * US_PER_MINUTE)
