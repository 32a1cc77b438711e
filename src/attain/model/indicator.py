"""Indicators (SLIs / KPIs): what is measured, one type per kind, told apart by `kind`.

- `ratio`: good (or bad) events over valid events, chosen by filters on event attributes.
- `threshold`: each event's value against a bound with an explicit operator.
- `statistic`: the mean or a percentile of a value per period against a bound.
- `availability`: up and down time, from incident intervals or from probes.
- `freshness`: a qualifying event must happen at least every `maxGap`.
- `case`: per-case clocks (tickets, calls, orders) with goals per priority.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import (
    Duration,
    NonNegativeDuration,
    Number,
    Ratio,
    format_number,
    invalid,
    parse_number,
)

AttributeValue = str | int | bool
Where = dict[str, AttributeValue | Annotated[tuple[AttributeValue, ...], LAX]]
"""Event attribute filter: every key must match; a list matches any of its values."""


class Operator(StrEnum):
    """How a value is compared with a bound; the comparison that counts as good."""

    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    @property
    def symbol(self) -> str:
        """The mathematical sign: <, ≤, >, ≥."""
        return {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}[self.value]


class MetricSource(Frozen):
    """A query in an external system (Prometheus, Datadog, SQL) that yields the measurement."""

    type: str = Field(description="The system: Prometheus, SQL, Datadog, ...")
    spec: dict[str, Any] = Field(default_factory=dict, description="System-specific query fields.")
    metric_source_ref: str | None = Field(default=None, description="Name of a DataSource.")


class Selector(Frozen):
    """Chooses events by attributes, or names a metric query that counts them."""

    where: Where = Field(default_factory=dict, description="Attributes that must match.")
    where_not: Where = Field(default_factory=dict, description="Attributes that must not match.")
    metric: MetricSource | None = Field(default=None, description="A query that yields the count.")


class RatioIndicator(Frozen):
    """Good events over valid events. Give `good` or `bad`; `valid` defaults to every event."""

    kind: Literal["ratio"]
    events: str | None = Field(default=None, description="Name of the event stream.")
    valid: Selector = Field(default_factory=Selector, description="Events that count at all.")
    good: Selector | None = None
    bad: Selector | None = None

    @model_validator(mode="after")
    def _good_or_bad(self) -> RatioIndicator:
        if (self.good is None) == (self.bad is None):
            raise invalid("a ratio needs exactly one of good and bad", "give good: or bad:, not both")
        return self


class MissingValue(StrEnum):
    """How an event without a value (a timeout, an unreached patient) is counted."""

    BAD = "bad"
    GOOD = "good"
    INVALID = "invalid"


TIME_UNITS_SECONDS: dict[str, Decimal] = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "min": Decimal(60),
    "h": Decimal(3600),
}


class _ValueBound(Frozen):
    """Shared by threshold and statistic: a value attribute compared with a bound."""

    events: str | None = Field(default=None, description="Name of the event stream.")
    value: str = Field(description="The event attribute holding the value, e.g. latency_ms.")
    op: Annotated[Operator, LAX] = Field(description="lt, le, gt or ge: the comparison that is good.")
    bound: Number = Field(description="The bound, in `unit`. A duration such as 5s sets unit s.")
    unit: str | None = Field(default=None, description="Unit of the value: ms, s, min, h, or any.")
    where: Where = Field(default_factory=dict, description="Events that count at all.")
    where_not: Where = Field(default_factory=dict, description="Events that never count.")

    @model_validator(mode="before")
    @classmethod
    def _duration_bound(cls, data: Any) -> Any:
        """Turn `bound: 5s` into `bound: 5, unit: s` (or into the stated time unit, exactly)."""
        if not isinstance(data, dict) or not isinstance(data.get("bound"), str):
            return data
        from attain.model.quantity import parse_duration  # noqa: PLC0415 - local to the shorthand

        text = data["bound"]
        try:
            parse_number(text)
        except ValueError:
            pass
        else:
            return data
        seconds = Decimal(int(parse_duration(text).total_seconds()))
        unit = data.get("unit", "s")
        if unit not in TIME_UNITS_SECONDS:
            raise invalid(
                f"a duration bound {text!r} needs a time unit, got unit {unit!r}",
                f"use unit {', '.join(TIME_UNITS_SECONDS)}, or write the bound as a number",
            )
        converted = seconds / TIME_UNITS_SECONDS[unit]
        return {**data, "bound": format_number(converted), "unit": unit}


class ThresholdIndicator(_ValueBound):
    """Each event is good when `value op bound` holds, e.g. arrival ≤ 15 min."""

    kind: Literal["threshold"]
    missing: Annotated[MissingValue, LAX] = Field(default=MissingValue.BAD, description="An event without a value.")
    metric: MetricSource | None = Field(default=None, description="A query yielding the value.")


class StatisticName(StrEnum):
    """Which statistic of the period's values is compared with the bound."""

    MEAN = "mean"
    MEDIAN = "median"
    PERCENTILE = "percentile"
    MAX = "max"
    MIN = "min"


class PercentileMethod(StrEnum):
    """How a percentile is read from the sorted values."""

    NEAREST_RANK = "nearest-rank"
    LINEAR = "linear"


class StatisticIndicator(_ValueBound):
    """A statistic of all values in a period against a bound: "mean response ≤ 7 min"."""

    kind: Literal["statistic"]
    statistic: Annotated[StatisticName, LAX]
    percentile: Annotated[Number | None, Field(default=None, description="0 < p ≤ 100.")] = None
    method: Annotated[PercentileMethod | None, LAX] = Field(default=None, description="Required for percentiles.")

    @model_validator(mode="after")
    def _percentile_fields(self) -> StatisticIndicator:
        is_percentile = self.statistic is StatisticName.PERCENTILE
        if is_percentile and (self.percentile is None or self.method is None):
            raise invalid(
                "statistic: percentile needs percentile and method",
                "add percentile: 90 and method: nearest-rank or linear",
            )
        if not is_percentile and (self.percentile is not None or self.method is not None):
            raise invalid(
                f"percentile and method apply only to statistic: percentile, not {self.statistic}",
                "remove them or use statistic: percentile",
            )
        if self.percentile is not None and not Decimal(0) < self.percentile <= Decimal(100):
            raise invalid(f"percentile must be in (0, 100], got {self.percentile}", "write 90 for p90")
        return self


class AvailabilitySource(StrEnum):
    """Where up and down time comes from."""

    INCIDENTS = "incidents"
    PROBES = "probes"


class AvailabilityIndicator(Frozen):
    """Share of time the service is up, less excluded time.

    From incidents: downtime is the union of incident intervals, clipped to the period, with runs
    shorter than `minimumDowntime` dropped. From probes: each probe is up when it matches `up`.
    """

    kind: Literal["availability"]
    from_: Annotated[AvailabilitySource, LAX] = Field(alias="from")
    events: str | None = Field(default=None, description="Stream of incidents or probes.")
    where: Where = Field(default_factory=dict, description="Incidents or probes that count.")
    minimum_downtime: NonNegativeDuration = Field(
        default=timedelta(0),
        description="Down runs shorter than this do not count (incidents only).",
    )
    up: Selector | None = Field(default=None, description="Probe results that mean up (probes).")

    @model_validator(mode="after")
    def _fields_for_source(self) -> AvailabilityIndicator:
        if self.from_ is AvailabilitySource.PROBES and self.up is None:
            raise invalid("availability from probes needs up", "add up: {where: {status: up}}")
        if self.from_ is AvailabilitySource.INCIDENTS and self.up is not None:
            raise invalid("up applies to probes, not incidents", "remove up or use from: probes")
        if self.from_ is AvailabilitySource.PROBES and self.minimum_downtime:
            raise invalid(
                "minimumDowntime applies to incidents, not probes",
                "remove minimumDowntime or use from: incidents",
            )
        return self


class FreshnessIndicator(Frozen):
    """A qualifying event (`where`, e.g. status: success) must happen at least every `maxGap`."""

    kind: Literal["freshness"]
    events: str | None = Field(default=None, description="Name of the event stream.")
    where: Where = Field(default_factory=dict, description="Events that qualify.")
    where_not: Where = Field(default_factory=dict, description="Events that never qualify.")
    max_gap: Duration


class CaseClock(Frozen):
    """Which case events start, pause, resume and stop the clock (by their `type`)."""

    start: str
    stop: str
    pause: Annotated[tuple[str, ...], LAX] = ()
    resume: Annotated[tuple[str, ...], LAX] = ()

    @model_validator(mode="after")
    def _distinct(self) -> CaseClock:
        names = [self.start, self.stop, *self.pause, *self.resume]
        if len(set(names)) != len(names):
            raise invalid("an event type plays two roles on the clock", "give each role its own type")
        if bool(self.pause) != bool(self.resume):
            raise invalid("pause and resume come together", "give both pause: and resume:, or neither")
        return self


class TimeBasis(StrEnum):
    """Whether a clock runs around the clock or only in business hours."""

    CALENDAR = "calendar"
    BUSINESS = "business"


class CaseIndicator(Frozen):
    """Share of cases whose clock stopped within the goal for their priority."""

    kind: Literal["case"]
    events: str | None = Field(default=None, description="Stream of case events.")
    clock: CaseClock
    time: Annotated[TimeBasis, LAX] = TimeBasis.CALENDAR
    calendar: str | None = Field(default=None, description="Business calendar (time: business).")
    priority: str = Field(default="priority", description="Case attribute holding the priority.")
    goals: dict[str, Duration] = Field(description="Goal per priority; key '*' for any priority.")
    op: Annotated[Operator, LAX] = Field(
        default=Operator.LE, description="le: met when elapsed ≤ goal; lt: met when elapsed < goal."
    )
    warn_at: Annotated[tuple[Ratio, ...], LAX] = Field(default=(Decimal("0.5"), Decimal("0.75")))
    where: Where = Field(default_factory=dict, description="Cases that count.")
    where_not: Where = Field(default_factory=dict, description="Cases that never count.")

    @model_validator(mode="after")
    def _calendar_for_business_time(self) -> CaseIndicator:
        if self.time is TimeBasis.BUSINESS and self.calendar is None:
            raise invalid("business time needs a calendar", "add calendar: <name of a spec.calendars entry>")
        if self.op not in (Operator.LE, Operator.LT):
            raise invalid(f"a case goal is met by lt or le, not {self.op}", "write op: le or op: lt")
        if not self.goals:
            raise invalid("goals is empty", "give a goal per priority, e.g. {P1: 1h, P2: 4h}")
        if list(self.warn_at) != sorted(set(self.warn_at)) or any(not 0 < w < 1 for w in self.warn_at):
            raise invalid("warnAt must rise strictly and lie between 0% and 100%", "e.g. [50%, 75%]")
        return self


Indicator = Annotated[
    RatioIndicator
    | ThresholdIndicator
    | StatisticIndicator
    | AvailabilityIndicator
    | FreshnessIndicator
    | CaseIndicator,
    Field(discriminator="kind"),
]
"""Any indicator; `kind` says which."""

INDICATOR_KINDS = ("ratio", "threshold", "statistic", "availability", "freshness", "case")
