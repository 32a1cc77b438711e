"""Results as response bodies: the status, an objective's state, periods, alerts, credits, stored results.

They describe, field by field, the JSON of `attain.formats.results` (the same data as `attain
status -o json`), so that the OpenAPI document shows every field. Decimals stay exact text
(`"0.9991"`), ratios also as percentages (`"99.91%"`), instants ISO 8601 in UTC; a field that
was not measured is `null`, never left out. Field order is the JSON's key order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from attain.api.schemas.body import StrictBody

Instant = Annotated[str, Field(description="An instant, ISO 8601 in UTC.", examples=["2026-11-15T12:00:00Z"])]
Number = Annotated[str, Field(description="An exact decimal as text, without exponent.", examples=["0.9991"])]
Percent = Annotated[str, Field(description="A ratio as an exact percentage.", examples=["99.91%"])]
PeriodName = Annotated[
    str,
    Field(
        description="The period's label (`2026-10`, `2026-Q4`, `2026-W40`, `2026`), or `rolling until <instant>`.",
        examples=["2026-10"],
    ),
]
Detail = Annotated[
    dict[str, str | int | bool],
    Field(
        description="What the indicator kind adds: availability `downtime_minutes` (decimal text) and "
        "`incidents`; freshness `violations` and `open_violation`; cases `pending` and `breached`."
    ),
]


Minutes = Annotated[str, Field(description="A duration in minutes, exact decimal text.", examples=["90"])]


class GapOut(StrictBody):
    """A freshness gap: from a qualifying event (or the reference point) to the next (or the span's end)."""

    start: Instant = Field(description="The qualifying event that opens it, or the reference point without one.")
    end: Instant = Field(description="The next qualifying event, or the end of the measured span when `open`.")
    minutes: Minutes = Field(description="The gap's length.")
    excess_minutes: Minutes = Field(alias="excessMinutes", description="Length beyond `maxGap`, over the whole gap.")
    counted_minutes: Minutes = Field(
        alias="countedMinutes", description="The part of the excess inside the measured span (its violation time)."
    )
    from_event: bool = Field(
        alias="fromEvent", description="Whether `start` is a qualifying event (else `since` or the period start)."
    )
    open: bool = Field(description="Whether it ends at the end of the measured span, not at an event.")


class GapsOut(StrictBody):
    """A freshness period's gaps between qualifying events."""

    longest: GapOut | None = Field(description="The longest gap (earliest of equals); null when nothing is measured.")
    over: list[GapOut] = Field(description="Every gap longer than `maxGap`, in time order.")


GapsField = Field(description="A freshness period's gaps (see docs/semantics.md); null for other kinds.")


class CaseOut(StrictBody):
    """One case as it stands at the evaluation instant."""

    case: str = Field(description="The case id.")
    priority: str | None = Field(description="The case's priority; null when no event carries it.")
    state: Literal["open", "paused", "met", "breached"] = Field(
        description="met or breached once decided (a breached case may still run); else paused or open."
    )
    clock: Literal["running", "paused", "stopped"] = Field(description="The clock's own state at the instant.")
    at_risk: bool = Field(alias="atRisk", description="Open or paused, with the first `warnAt` share of the goal used.")
    started: Instant | None = Field(description="When its clock started.")
    stopped: Instant | None = Field(description="When its clock stopped; null while open.")
    goal_minutes: Minutes | None = Field(alias="goalMinutes", description="The goal in clock time.")
    elapsed_minutes: Minutes = Field(alias="elapsedMinutes", description="Clock time counted (business or calendar).")
    remaining_minutes: Minutes | None = Field(
        alias="remainingMinutes", description="Goal less elapsed; negative once over the goal."
    )
    used: Number | None = Field(description="The share of the goal used, elapsed ÷ goal (rounded down past 28 digits).")
    used_percent: Percent | None = Field(alias="usedPercent", description="`used` as a percentage.")
    due: Instant | None = Field(
        description="When the elapsed time reaches the goal given the pauses so far (may be after the instant); "
        "null while paused short of it, or when it stopped short of it."
    )
    decided_at: Instant | None = Field(
        alias="decidedAt", description="The stop when met, `due` when breached; null while pending."
    )


class CaseCountsOut(StrictBody):
    """How many cases are in each state."""

    open: int
    paused: int
    met: int
    breached: int


class CasesOut(StrictBody):
    """A case objective's cases at the evaluation instant."""

    counts: CaseCountsOut = Field(description="How many cases are in each state.")
    at_risk: int = Field(alias="atRisk", description="How many open or paused cases are at risk.")
    items: list[CaseOut] = Field(description="Every case counted or pending, by case id.")


class BudgetOut(StrictBody):
    """A period's error budget, in its unit."""

    unit: str = Field(description="What the budget counts: events, slices, minutes or cases.")
    allowed: Number = Field(description="The budget the target allows over the period.")
    consumed: Number = Field(description="The budget used so far.")
    remaining: Number = Field(description="Allowed less consumed; negative when overspent.")


class PeriodOut(StrictBody):
    """One objective's result in one period."""

    period: PeriodName
    start: Instant = Field(description="The period's first instant.")
    end: Instant = Field(description="The instant after the period (exclusive).")
    measured_from: Instant = Field(
        alias="measuredFrom", description="Where measuring starts (later when it began late)."
    )
    measured_until: Instant = Field(alias="measuredUntil", description="Where measuring ends (now, while open).")
    closed: bool = Field(description="Whether the period has ended.")
    partial: bool = Field(description="Whether only part of the period is measured (started late or still open).")
    status: Literal["met", "breached", "at_risk", "no_data"] = Field(description="How the period stands.")
    version: int = Field(description="The agreement version that judges the period (in force at its start).")
    unit: str = Field(description="The unit of `good` and `valid`: events, slices, minutes or cases.")
    good: Number | None = Field(description="Good units; null when not counted.")
    valid: Number | None = Field(description="Valid units; null when not counted.")
    ratio: Number | None = Field(description="The attainment, good ÷ valid; null without valid units.")
    percent: Percent | None = Field(description="The attainment as a percentage; null without valid units.")
    statistic: Number | None = Field(description="A statistic objective's value (a percentile or mean); else null.")
    budget: BudgetOut | None = Field(description="The error budget; null where the objective has none.")
    detail: Detail
    gaps: GapsOut | None = GapsField


class BurnRateOut(StrictBody):
    """The burn rate over one window before the evaluation instant."""

    window_minutes: int = Field(alias="windowMinutes", description="The window's length in minutes.")
    burn_rate: Number | None = Field(
        alias="burnRate", description="Error ratio ÷ (1 − target); null when the window holds no valid event."
    )


class AlertOut(StrictBody):
    """One burn-rate alert tier: its windows, factor, when it fired and whether it fires now."""

    severity: str = Field(description="The tier's severity, e.g. `page` or `ticket`.")
    long_window_minutes: int = Field(alias="longWindowMinutes", description="The long window in minutes.")
    short_window_minutes: int = Field(alias="shortWindowMinutes", description="The short window in minutes.")
    factor: Number = Field(description="The burn rate both windows must reach.")
    firing: bool = Field(description="Whether it fires at the evaluation instant.")
    intervals: list[Annotated[list[Instant], Field(min_length=2, max_length=2)]] = Field(
        description="When it fired: [start, end) pairs."
    )


class FiringAlertOut(StrictBody):
    """A burn-rate alert firing now, with its objective."""

    objective: str = Field(description="The objective's name.")
    severity: str = Field(description="The tier's severity, e.g. `page` or `ticket`.")
    long_window_minutes: int = Field(alias="longWindowMinutes", description="The long window in minutes.")
    short_window_minutes: int = Field(alias="shortWindowMinutes", description="The short window in minutes.")
    factor: Number = Field(description="The burn rate both windows must reach.")
    firing: bool = Field(description="Whether it fires at the evaluation instant (always true here).")
    intervals: list[Annotated[list[Instant], Field(min_length=2, max_length=2)]] = Field(
        description="When it fired: [start, end) pairs."
    )


class ObjectiveOut(StrictBody):
    """One objective's current state: burn rates, time to exhaustion, periods and alerts."""

    objective: str = Field(description="The objective's name.")
    burn_rate_1h: Number | None = Field(alias="burnRate1h", description="The burn rate over the last hour.")
    burn_rates: list[BurnRateOut] = Field(
        alias="burnRates",
        description="One per window of the objective's alert policy, or of the SRE workbook's "
        "(5m, 30m, 1h, 2h, 6h, 1d, 3d) without one.",
    )
    burn_per_hour: Number | None = Field(
        alias="burnPerHour", description="Budget consumed in the last hour, in the budget's unit."
    )
    exhaustion_seconds: int | None = Field(
        alias="exhaustionSeconds",
        description="How long the remaining budget lasts at that burn; null when not burning.",
    )
    periods: list[PeriodOut] = Field(description="Every period in the evaluated range, oldest first.")
    alerts: list[AlertOut] = Field(description="Each burn-rate alert tier.")
    cases: CasesOut | None = Field(
        description="A case objective's cases at the evaluation instant (see docs/semantics.md); null for other kinds."
    )


class CreditOut(StrictBody):
    """The service credit of one period."""

    period: PeriodName
    share: Percent = Field(description="The share of the fee credited.")
    amount: Number | None = Field(description="The credit in the fee's currency; null when the fee is unknown.")
    payable: Number | None = Field(description="The amount payable after caps; null when the fee is unknown.")
    objectives: dict[str, Percent] = Field(description="Each objective's share, by name.")


class TerminationOut(StrictBody):
    """A right the customer gained by repeated breaches."""

    objective: str = Field(description="The objective whose breaches granted it.")
    grants: Literal["terminate-without-penalty", "terminate", "renegotiate"] = Field(description="The right.")
    granted_at: Instant = Field(alias="grantedAt", description="When the right was granted.")
    periods: list[PeriodName] = Field(description="The breached periods that granted it.")


class StatusOut(StrictBody):
    """An agreement evaluated from stored data at the start of the current minute."""

    agreement: str = Field(description="The agreement's name.")
    version: int = Field(description="The latest version.")
    at: Instant = Field(description="The instant evaluated.")
    since: Instant = Field(description="The start of the evaluated range.")
    breached: bool = Field(description="Whether any objective has a breached period in the range.")
    objectives: list[ObjectiveOut] = Field(description="Each objective's state.")
    credits: list[CreditOut] = Field(description="The credits of each period evaluated so far.")
    termination: list[TerminationOut] = Field(description="The termination rights granted.")
    adjustments: int = Field(description="How many late-data adjustments to closed periods are recorded.")


class StoredResultOut(StrictBody):
    """The stored result of one objective in one closed period (`attain evaluate --period`)."""

    objective: str = Field(description="The objective's name.")
    period: PeriodName
    version: int = Field(description="The agreement version that judged the period.")
    evaluated_at: Instant = Field(alias="evaluatedAt", description="When the result was stored.")
    start: Instant = Field(description="The period's first instant.")
    end: Instant = Field(description="The instant after the period (exclusive).")
    measured_from: Instant = Field(alias="measuredFrom", description="Where measuring starts.")
    measured_until: Instant = Field(alias="measuredUntil", description="Where measuring ends.")
    closed: bool = Field(description="Whether the period had ended.")
    partial: bool = Field(description="Whether only part of the period was measured.")
    status: Literal["met", "breached", "at_risk", "no_data"] = Field(description="How the period stood.")
    unit: str = Field(description="The unit of `good` and `valid`.")
    good: Number | None = Field(description="Good units; null when not counted.")
    valid: Number | None = Field(description="Valid units; null when not counted.")
    ratio: Number | None = Field(description="The attainment, good ÷ valid; null without valid units.")
    percent: Percent | None = Field(description="The attainment as a percentage; null without valid units.")
    statistic: Number | None = Field(description="A statistic objective's value; else null.")
    budget: BudgetOut | None = Field(description="The error budget; null where the objective has none.")
    detail: Detail
    gaps: GapsOut | None = Field(
        default=None, description="A freshness period's gaps; null for other kinds and for results stored before."
    )
