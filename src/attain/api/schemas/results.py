"""Results as response bodies: the status, an objective's state, periods, alerts, credits, stored results.

They describe, field by field, the JSON of `attain.formats.results` (the same data as `attain
status -o json`), so that the OpenAPI document shows every field. Decimals stay exact text
(`"0.9991"`), ratios also as exact percentages (`"99.91%"`) and as the percentage shown beside
the target (`"99.91%"`, see `attain.model.ratio.display_ratio`), money as exact text with its
ISO 4217 `currency` beside it, instants ISO 8601 in UTC; a field that was not measured is
`null`, never left out. Field order is the JSON's key order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from attain.api.schemas.body import StrictBody
from attain.api.schemas.standing import CasesOut, GapsOut
from attain.api.schemas.values import Instant, Number, Percent

ShownPercent = Annotated[
    str,
    Field(
        description="A ratio as the percentage to show: the target's decimal places plus one, rounded down, "
        "so that it reads below the target exactly when the ratio is below it.",
        examples=["99.89%"],
    ),
]
Currency = Annotated[str, Field(description="An ISO 4217 currency code.", examples=["EUR"], pattern="^[A-Z]{3}$")]
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
        "`incidents`; freshness `violations` and `open_violation`; cases `pending` and `breached`; statistics "
        "counting missing values (`missing: worst` or `timeout`) `missing` and `beyond_measured`."
    ),
]


GapsField = Field(description="A freshness period's gaps (see docs/semantics.md); null for other kinds.")


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
    percent_display: ShownPercent | None = Field(
        default=None, alias="percentDisplay", description="The attainment as shown; null without valid units."
    )
    target: Number | None = Field(
        default=None, description="The target of the version that judged the period; null for a statistic objective."
    )
    target_percent: Percent | None = Field(
        default=None, alias="targetPercent", description="The target as an exact percentage; null without a target."
    )
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


class ForecastOut(StrictBody):
    """The forecast of an objective's open period (docs/review.md, "Forecast")."""

    period: PeriodName
    end: Instant = Field(description="The instant after the period (exclusive).")
    unit: Literal["events", "minutes"] = Field(description="The volume's unit: valid events, or minutes of time.")
    projected_ratio: Number = Field(
        alias="projectedRatio", description="The attainment expected at the period's end, 6 places rounded down."
    )
    breach_probability: Number = Field(
        alias="breachProbability", description="The probability that the period ends below its target, 4 places."
    )
    budget_gone_at: Instant | None = Field(
        alias="budgetGoneAt",
        description="When the period's whole budget is gone if the error ratio so far goes on; "
        "null when it lasts the period.",
    )
    expected_valid: Number = Field(alias="expectedValid", description="The volume expected over the whole period.")
    expected_bad: Number = Field(alias="expectedBad", description="The bad volume expected over the whole period.")


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
    forecast: ForecastOut | None = Field(
        description="The open calendar period's forecast; null for a closed or rolling period and for kinds "
        "not forecast (statistics, freshness, cases, time slices, service hours).",
    )


class CreditOut(StrictBody):
    """The service credit of one period."""

    period: PeriodName
    share: Percent = Field(description="The share of the fee credited.")
    amount: Number | None = Field(
        description="The credit in `currency`; null when the agreement has no fee or charges it per another unit."
    )
    payable: Number | None = Field(
        description="The amount payable in `currency` (zero below the minimum payout); null with `amount`."
    )
    currency: Currency | None = Field(
        description="The fee's currency, which `amount` and `payable` are in; null without a fee."
    )
    objectives: dict[str, Percent] = Field(description="Each objective's share, by name.")
    triggered_by: list[str] = Field(
        alias="triggeredBy",
        description="The objectives whose attainment fell in a credit tier, in the agreement's order.",
    )


class TerminationOut(StrictBody):
    """A right the customer gained by repeated breaches."""

    objective: str = Field(description="The objective whose breaches granted it.")
    grants: Literal["terminate-without-penalty", "terminate", "renegotiate"] = Field(description="The right.")
    granted_at: Instant = Field(alias="grantedAt", description="When the right was granted.")
    periods: list[PeriodName] = Field(description="The breached periods that granted it.")


class TerminatedOut(StrictBody):
    """How the customer terminated the agreement: it is not evaluated past `endsAt`."""

    right: int = Field(description="The number of the right exercised (`GET .../rights`).")
    grants: Literal["terminate-without-penalty", "terminate"] = Field(description="The right.")
    exercised_at: Instant = Field(alias="exercisedAt", description="When the right was exercised.")
    ends_at: Instant = Field(alias="endsAt", description="When the agreement ends: after the rule's notice.")
    by: str = Field(description="Who exercised it (a token, or an admin for the customer).")
    note: str | None = Field(description="The note kept with it.")


class ReviewDueOut(StrictBody):
    """When the agreement's next review is due (`review: {every: ...}`)."""

    due: str = Field(description="The date (YYYY-MM-DD, the agreement's time zone) the next review is due by.")
    overdue: bool = Field(description="Whether that date has come without a review.")


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
    terminated: TerminatedOut | None = Field(description="How it was terminated; null while it runs.")
    review: ReviewDueOut | None = Field(description="The next review due; null without a review clause.")


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
    percent_display: ShownPercent | None = Field(
        default=None,
        alias="percentDisplay",
        description="The attainment as shown; null without valid units or in a result stored before it was kept.",
    )
    target: Number | None = Field(
        default=None,
        description="The target that judged the period; null for a statistic objective or an older result.",
    )
    target_percent: Percent | None = Field(
        default=None, alias="targetPercent", description="The target as an exact percentage; null without a target."
    )
    statistic: Number | None = Field(description="A statistic objective's value; else null.")
    budget: BudgetOut | None = Field(description="The error budget; null where the objective has none.")
    detail: Detail
    gaps: GapsOut | None = Field(
        default=None, description="A freshness period's gaps; null for other kinds and for results stored before."
    )
