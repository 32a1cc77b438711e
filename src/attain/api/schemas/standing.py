"""Where cases and freshness gaps stand, as response bodies: parts of a status objective and of a period.

They describe `cases_data` and the `gaps` of `period_data` in `attain.formats.results`; the rules
are in docs/semantics.md (case states at the evaluation instant; freshness gaps).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from attain.api.schemas.body import StrictBody
from attain.api.schemas.values import Instant, Minutes, Number, Percent


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


class CaseWarningOut(StrictBody):
    """One `warnAt` share of a case's goal and when its elapsed time reached it."""

    share: Number = Field(description="The share of the goal, e.g. `0.5`.")
    percent: Percent = Field(description="`share` as a percentage.")
    reached_at: Instant | None = Field(
        alias="reachedAt", description="When the elapsed time reached the share; null while short of it."
    )


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
    warning: Number | None = Field(
        description="The highest `warnAt` share an open or paused case reached; null if decided or short of the first."
    )
    warning_percent: Percent | None = Field(alias="warningPercent", description="`warning` as a percentage.")
    warnings: list[CaseWarningOut] = Field(description="Each `warnAt` share (50% and 75% by default), in order.")


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
