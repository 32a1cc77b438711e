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
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from attain.model.base import LAX, Frozen
from attain.model.clock import CaseClock, TimeBasis
from attain.model.quantity import (
    Duration,
    NonNegativeDuration,
    Number,
    Ratio,
    invalid,
)
from attain.model.selector import MetricSource, Operator, Selector, Where, duration_bound
from attain.model.statistic import (
    MissingStatistic,
    PercentileMethod,
    StatisticName,
    check_missing,
    timeout_shorthand,
)

if TYPE_CHECKING:
    from attain.model.objective import Objective

RowKind = Literal["events", "incidents", "cases"]
"""What rows a stream holds: events, incidents (intervals) or case events (clock events)."""


class _Kind(Frozen):
    """What every indicator kind tells about the rows it reads; a kind that differs overrides it.

    These facts decide where measurements go and how they are kept (`attain.ingestion`, the
    store's readers); they are pure functions of the indicator.
    """

    if TYPE_CHECKING:
        events: str | None  # every kind declares it, with its own description

    @property
    def stream(self) -> str | None:
        """The stream it names (`events`) or its kind implies; None: its objective's own name."""
        return self.events

    @property
    def rows(self) -> RowKind:
        """What rows its stream holds: events, unless a kind reads intervals or case events."""
        return "events"

    @property
    def fed_by_metric_source(self) -> bool:
        """Whether its counts come from a metric source (Prometheus, SQL) rather than from events."""
        return False

    @property
    def value_column(self) -> str | None:
        """The event attribute holding the value it compares (threshold, statistic); None otherwise."""
        return None


def stream_name(objective: Objective) -> str:
    """The stream an objective reads: its indicator's `stream`, else the objective's own name."""
    return objective.indicator.stream or objective.name


class RatioIndicator(_Kind):
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

    @property
    def fed_by_metric_source(self) -> bool:
        """Whether a metric query (Prometheus, SQL) counts its valid, good or bad events."""
        return any(s is not None and s.metric is not None for s in (self.valid, self.good, self.bad))


class MissingValue(StrEnum):
    """How an event without a value (a timeout, an unreached patient) is counted."""

    BAD = "bad"
    GOOD = "good"
    INVALID = "invalid"


class _ValueBound(_Kind):
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
        """Turn `bound: 5s` into `bound: 5, unit: s` (see `attain.model.selector.duration_bound`)."""
        return duration_bound(data)

    @property
    def value_column(self) -> str:
        """The event attribute holding the value (`value`)."""
        return self.value


class ThresholdIndicator(_ValueBound):
    """Each event is good when `value op bound` holds, e.g. arrival ≤ 15 min."""

    kind: Literal["threshold"]
    missing: Annotated[MissingValue, LAX] = Field(default=MissingValue.BAD, description="An event without a value.")
    metric: MetricSource | None = Field(default=None, description="A query yielding the value.")

    @property
    def fed_by_metric_source(self) -> bool:
        """Whether a metric query (`metric`) yields its measurement."""
        return self.metric is not None


class StatisticIndicator(_ValueBound):
    """A statistic of all values in a period against a bound: "mean response ≤ 7 min"."""

    kind: Literal["statistic"]
    statistic: Annotated[StatisticName, LAX]
    percentile: Annotated[Number | None, Field(default=None, description="0 < p ≤ 100.")] = None
    method: Annotated[PercentileMethod | None, LAX] = Field(default=None, description="Required for percentiles.")
    missing: Annotated[MissingStatistic, LAX] = Field(
        default=MissingStatistic.IGNORE, description="An event without a value: ignore, worst or timeout."
    )
    timeout: Number | None = Field(default=None, description="The value a missing one takes, in unit.")

    @model_validator(mode="before")
    @classmethod
    def _timeout(cls, data: Any) -> Any:
        """`timeout: 30s` implies `missing: timeout` and is converted into `unit` (`attain.model.statistic`)."""
        return timeout_shorthand(duration_bound(data))

    @model_validator(mode="after")
    def _percentile_fields(self) -> StatisticIndicator:
        check_missing(self.missing, self.timeout)
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


class AvailabilityIndicator(_Kind):
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

    @property
    def stream(self) -> str:
        """The stream it names (`events`), else `incidents` or `probes` by where up time comes from."""
        return self.events or self.from_.value

    @property
    def rows(self) -> RowKind:
        """Incidents (intervals) from incidents; events (probe results) from probes."""
        return "incidents" if self.from_ is AvailabilitySource.INCIDENTS else "events"

    @property
    def fed_by_metric_source(self) -> bool:
        """Whether a metric query counts its up probes."""
        return self.up is not None and self.up.metric is not None


class FreshnessIndicator(_Kind):
    """A qualifying event (`where`, e.g. status: success) must happen at least every `maxGap`."""

    kind: Literal["freshness"]
    events: str | None = Field(default=None, description="Name of the event stream.")
    where: Where = Field(default_factory=dict, description="Events that qualify.")
    where_not: Where = Field(default_factory=dict, description="Events that never qualify.")
    max_gap: Duration


class CaseIndicator(_Kind):
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

    @property
    def stream(self) -> str:
        """The stream of case events it names (`events`), else `cases`."""
        return self.events or "cases"

    @property
    def rows(self) -> RowKind:
        """Case events (start, pause, resume, stop)."""
        return "cases"


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
