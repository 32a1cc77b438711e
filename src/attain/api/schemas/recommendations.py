"""Realistic targets from history as a response body (`attain.services.recommend.report_data`)."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class PastPeriodOut(StrictBody):
    """One past period: its counts, attainment, whether it met the current target, its Wilson interval."""

    period: str
    start: str
    end: str
    good: str = Field(description="Good units (events, cases, minutes), exact decimal as text.")
    valid: str
    attainment: str
    met: bool
    interval: list[str] | None = Field(description="Wilson 95% interval [low, high] of the attainment (counts only).")
    low_volume: bool = Field(alias="lowVolume", description="Fewer than 10 bad units allowed at the current target.")


class DistributionOut(StrictBody):
    """Attainment over the past periods."""

    least: str
    percentiles: dict[str, str] = Field(description="p10, p25, p50, p75, p90 by nearest rank.")
    most: str
    mean: str


class TrendOut(StrictBody):
    """Least-squares slope of attainment per period."""

    slope: str
    direction: str = Field(description="improving, worsening or flat.")


class CandidateOut(StrictBody):
    """One candidate target judged against the past periods."""

    target: str
    current: bool
    met: int
    periods: int
    share_met: str = Field(alias="shareMet")
    credit_share: str = Field(alias="creditShare", description="Mean share of the fee credited per period.")
    credit_amount: str | None = Field(alias="creditAmount", description="Mean credit per period in the currency.")
    error_budget: str = Field(alias="errorBudget", description="Mean error budget per period in the unit.")


class SlotOut(StrictBody):
    """A weekday (Monday = 0) or an hour of day: good, valid and attainment."""

    index: int
    good: int
    valid: int
    attainment: str | None


class SeasonalityOut(StrictBody):
    """Counts by local weekday and hour of day (event objectives)."""

    weekdays: list[SlotOut]
    hours: list[SlotOut]
    worst_weekday: int | None = Field(alias="worstWeekday")
    worst_hour: int | None = Field(alias="worstHour")


class ObjectiveAdviceOut(StrictBody):
    """What the history says about one objective's target."""

    objective: str
    kind: str
    window: str
    unit: str
    target: str
    periods: list[PastPeriodOut]
    distribution: DistributionOut | None
    trend: TrendOut | None
    candidates: list[CandidateOut]
    recommended: str | None
    too_loose: bool = Field(alias="tooLoose")
    too_strict: bool = Field(alias="tooStrict")
    low_volume: list[str] = Field(alias="lowVolume")
    seasonality: SeasonalityOut | None


class SkippedOut(StrictBody):
    """An objective without a target to recommend."""

    objective: str
    reason: str


class RecommendationsOut(StrictBody):
    """Realistic targets for an agreement from its last whole periods."""

    agreement: str
    version: int
    at: str
    periods: int
    currency: str | None
    objectives: list[ObjectiveAdviceOut]
    skipped: list[SkippedOut]
