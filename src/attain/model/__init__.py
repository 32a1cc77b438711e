"""The domain of attain as frozen, validated types. Pure: no I/O, no clock, no environment.

The names below are imported from their modules on first use (PEP 562), so that a command that
needs one small part of the model (a number's formatting, a calendar unit) does not build the
whole agreement model and load pydantic with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from attain.model.unit import CalendarUnit
    from attain.model.window import CalendarWindow, RollingWindow, Window

_HOMES: dict[str, str] = {
    "API_VERSION": "attain.model.agreement",
    "Agreement": "attain.model.agreement",
    "AgreementSpec": "attain.model.agreement",
    "AlertPolicy": "attain.model.alerting",
    "AvailabilityIndicator": "attain.model.indicator",
    "AvailabilitySource": "attain.model.indicator",
    "BreachCount": "attain.model.termination",
    "Budgeting": "attain.model.budgeting",
    "BudgetingMethod": "attain.model.budgeting",
    "BurnRateTier": "attain.model.alerting",
    "BusinessCalendar": "attain.model.calendar",
    "CalendarSpan": "attain.model.quantity",
    "CalendarUnit": "attain.model.unit",
    "CalendarWindow": "attain.model.window",
    "CaseClock": "attain.model.clock",
    "CaseIndicator": "attain.model.indicator",
    "Changes": "attain.model.agreement",
    "Combine": "attain.model.credit",
    "CreditPolicy": "attain.model.credit",
    "CreditTier": "attain.model.credit",
    "Effective": "attain.model.agreement",
    "Exclusion": "attain.model.exclusion",
    "ExclusionKind": "attain.model.exclusion",
    "Fee": "attain.model.credit",
    "FreshnessIndicator": "attain.model.indicator",
    "HolidaySource": "attain.model.calendar",
    "Indicator": "attain.model.indicator",
    "Language": "attain.model.agreement",
    "Metadata": "attain.model.agreement",
    "MetricSource": "attain.model.selector",
    "MissingStatistic": "attain.model.statistic",
    "MissingValue": "attain.model.indicator",
    "Objective": "attain.model.objective",
    "Operator": "attain.model.selector",
    "Parties": "attain.model.agreement",
    "Party": "attain.model.agreement",
    "PercentileMethod": "attain.model.statistic",
    "RatioIndicator": "attain.model.indicator",
    "Remedy": "attain.model.credit",
    "Reporting": "attain.model.agreement",
    "Review": "attain.model.agreement",
    "Right": "attain.model.termination",
    "RollingWindow": "attain.model.window",
    "RowKind": "attain.model.indicator",
    "SRE_WORKBOOK_TIERS": "attain.model.alerting",
    "Scope": "attain.model.agreement",
    "Selector": "attain.model.selector",
    "Service": "attain.model.agreement",
    "StatisticIndicator": "attain.model.indicator",
    "StatisticName": "attain.model.statistic",
    "Status": "attain.model.agreement",
    "Termination": "attain.model.termination",
    "TerminationCondition": "attain.model.termination",
    "TerminationRule": "attain.model.termination",
    "ThresholdIndicator": "attain.model.indicator",
    "TimeBasis": "attain.model.clock",
    "Window": "attain.model.window",
    "stream_name": "attain.model.indicator",
}
"""Where each re-exported name lives."""

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


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
