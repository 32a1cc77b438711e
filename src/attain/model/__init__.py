"""The domain of attain as frozen, validated types. Pure: no I/O, no clock, no environment."""

from __future__ import annotations

from attain.model.agreement import (
    API_VERSION,
    Agreement,
    AgreementSpec,
    Changes,
    Effective,
    Language,
    Metadata,
    Parties,
    Party,
    Reporting,
    Review,
    Scope,
    Service,
    Status,
)
from attain.model.alerting import SRE_WORKBOOK_TIERS, AlertPolicy, BurnRateTier
from attain.model.budgeting import Budgeting, BudgetingMethod
from attain.model.calendar import BusinessCalendar, HolidaySource
from attain.model.clock import CaseClock, TimeBasis
from attain.model.credit import Combine, CreditPolicy, CreditTier, Fee, Remedy
from attain.model.exclusion import Exclusion, ExclusionKind
from attain.model.indicator import (
    AvailabilityIndicator,
    AvailabilitySource,
    CaseIndicator,
    FreshnessIndicator,
    Indicator,
    MissingValue,
    RatioIndicator,
    RowKind,
    StatisticIndicator,
    ThresholdIndicator,
    stream_name,
)
from attain.model.objective import Objective
from attain.model.quantity import CalendarSpan
from attain.model.selector import MetricSource, Operator, Selector
from attain.model.statistic import MissingStatistic, PercentileMethod, StatisticName
from attain.model.termination import BreachCount, Right, Termination, TerminationCondition, TerminationRule
from attain.model.window import CalendarUnit, CalendarWindow, RollingWindow, Window

__all__ = [
    "API_VERSION",
    "SRE_WORKBOOK_TIERS",
    "Agreement",
    "AgreementSpec",
    "AlertPolicy",
    "AvailabilityIndicator",
    "AvailabilitySource",
    "BreachCount",
    "Budgeting",
    "BudgetingMethod",
    "BurnRateTier",
    "BusinessCalendar",
    "CalendarSpan",
    "CalendarUnit",
    "CalendarWindow",
    "CaseClock",
    "CaseIndicator",
    "Changes",
    "Combine",
    "CreditPolicy",
    "CreditTier",
    "Effective",
    "Exclusion",
    "ExclusionKind",
    "Fee",
    "FreshnessIndicator",
    "HolidaySource",
    "Indicator",
    "Language",
    "Metadata",
    "MetricSource",
    "MissingStatistic",
    "MissingValue",
    "Objective",
    "Operator",
    "Parties",
    "Party",
    "PercentileMethod",
    "RatioIndicator",
    "Remedy",
    "Reporting",
    "Review",
    "Right",
    "RollingWindow",
    "RowKind",
    "Scope",
    "Selector",
    "Service",
    "StatisticIndicator",
    "StatisticName",
    "Status",
    "Termination",
    "TerminationCondition",
    "TerminationRule",
    "ThresholdIndicator",
    "TimeBasis",
    "Window",
    "stream_name",
]
