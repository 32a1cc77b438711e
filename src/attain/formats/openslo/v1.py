"""Typed models of the `openslo/v1` kinds, following the OpenSLO v1 specification.

Decoding is strict about shape (unknown fields are refused, types are not coerced) and lenient
about presence: fields the specification requires are checked by `validate_openslo`, so that
every missing field of a file is reported at once, with its place.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from attain.formats.openslo.base import (
    LAX,
    BaseMetadata,
    BudgetingMethod,
    DurationShorthand,
    Num,
    OpenSLOKind,
    OpenSLOModel,
    Operator,
)

API_VERSION = "openslo/v1"

LabelValue = str | Annotated[tuple[str, ...], LAX]


class Metadata(BaseMetadata):
    """Name, display name, labels (a text or a list of texts each) and annotations."""

    labels: dict[str, LabelValue] | None = None
    annotations: dict[str, str] | None = None


class MetricSource(OpenSLOModel):
    """A query in a data source: its type, a DataSource reference and free-form fields."""

    metric_source_ref: str | None = None
    type: str | None = None
    spec: dict[str, Any] | None = None


class MetricSpec(OpenSLOModel):
    """A metric: wraps its `metricSource`."""

    metric_source: MetricSource


class RatioMetric(OpenSLOModel):
    """Good or bad over total events, or a raw, precomputed ratio."""

    counter: bool | None = None
    good: MetricSpec | None = None
    bad: MetricSpec | None = None
    total: MetricSpec | None = None
    raw_type: Literal["success", "failure"] | None = None
    raw: MetricSpec | None = None


class SLISpec(OpenSLOModel):
    """An indicator: exactly one of `thresholdMetric` and `ratioMetric`."""

    description: str | None = None
    threshold_metric: MetricSpec | None = None
    ratio_metric: RatioMetric | None = None


class InlineSLI(OpenSLOModel):
    """An SLI written inside an SLO (no apiVersion or kind)."""

    metadata: Metadata
    spec: SLISpec


class ConditionType(OpenSLOModel):
    """The condition of an alert: a burn rate compared with a threshold over a window."""

    kind: Literal["burnrate"] | None = None
    op: Operator | None = None
    threshold: Num | None = None
    lookback_window: DurationShorthand | None = None
    alert_after: DurationShorthand | None = None


class AlertConditionSpec(OpenSLOModel):
    """Severity and condition of an AlertCondition."""

    description: str | None = None
    severity: str | None = None
    condition: ConditionType | None = None


class AlertNotificationTargetSpec(OpenSLOModel):
    """Where an alert goes."""

    description: str | None = None
    target: str | None = None


class PolicyCondition(OpenSLOModel):
    """An AlertPolicy's condition: a `conditionRef` or an inline AlertCondition."""

    condition_ref: str | None = None
    kind: Literal["AlertCondition"] | None = None
    metadata: Metadata | None = None
    spec: AlertConditionSpec | None = None


class PolicyTarget(OpenSLOModel):
    """An AlertPolicy's notification target: a `targetRef` or an inline target."""

    target_ref: str | None = None
    kind: Literal["AlertNotificationTarget"] | None = None
    metadata: Metadata | None = None
    spec: AlertNotificationTargetSpec | None = None


class AlertPolicySpec(OpenSLOModel):
    """When to alert (breaching, resolved, no data), on which condition, to whom."""

    description: str | None = None
    alert_when_no_data: bool | None = None
    alert_when_breaching: bool | None = None
    alert_when_resolved: bool | None = None
    conditions: Annotated[tuple[PolicyCondition, ...], LAX] | None = None
    notification_targets: Annotated[tuple[PolicyTarget, ...], LAX] | None = None


class SLOAlertPolicy(OpenSLOModel):
    """An SLO's alert policy: an `alertPolicyRef` or an inline AlertPolicy."""

    alert_policy_ref: str | None = None
    kind: Literal["AlertPolicy"] | None = None
    metadata: Metadata | None = None
    spec: AlertPolicySpec | None = None


class Calendar(OpenSLOModel):
    """Start of a calendar-aligned window: a naive local time (`2022-01-01 12:00:00`) in a zone."""

    start_time: str | None = None
    time_zone: str | None = None


class TimeWindow(OpenSLOModel):
    """A rolling or calendar-aligned window of `duration` (shorthand: `1m` is one minute)."""

    duration: DurationShorthand | None = None
    is_rolling: bool | None = None
    calendar: Calendar | None = None


class Objective(OpenSLOModel):
    """One objective: a target (or targetPercent), with op and value for threshold metrics."""

    display_name: str | None = None
    op: Operator | None = None
    value: Num | None = None
    target: Num | None = None
    target_percent: Num | None = None
    time_slice_target: Num | None = None
    time_slice_window: DurationShorthand | None = None
    indicator: InlineSLI | None = None
    indicator_ref: str | None = None
    composite_weight: Num | None = None


class SLOSpec(OpenSLOModel):
    """An SLO: service, indicator (inline or by reference), window, budgeting, objectives."""

    description: str | None = None
    service: str | None = None
    indicator: InlineSLI | None = None
    indicator_ref: str | None = None
    time_window: Annotated[tuple[TimeWindow, ...], LAX] | None = None
    budgeting_method: BudgetingMethod | None = None
    objectives: Annotated[tuple[Objective, ...], LAX] | None = None
    alert_policies: Annotated[tuple[SLOAlertPolicy, ...], LAX] | None = None


class ServiceSpec(OpenSLOModel):
    """A service: only a description."""

    description: str | None = None


class DataSourceSpec(OpenSLOModel):
    """A data source: its type and free-form connection details."""

    description: str | None = None
    type: str | None = None
    connection_details: Any = None


class SLO(OpenSLOKind):
    """An `openslo/v1` SLO."""

    api_version: Literal["openslo/v1"]
    kind: Literal["SLO"]
    metadata: Metadata
    spec: SLOSpec


class SLI(OpenSLOKind):
    """An `openslo/v1` SLI."""

    api_version: Literal["openslo/v1"]
    kind: Literal["SLI"]
    metadata: Metadata
    spec: SLISpec


class Service(OpenSLOKind):
    """An `openslo/v1` Service."""

    api_version: Literal["openslo/v1"]
    kind: Literal["Service"]
    metadata: Metadata
    spec: ServiceSpec | None = None


class DataSource(OpenSLOKind):
    """An `openslo/v1` DataSource."""

    api_version: Literal["openslo/v1"]
    kind: Literal["DataSource"]
    metadata: Metadata
    spec: DataSourceSpec


class AlertPolicy(OpenSLOKind):
    """An `openslo/v1` AlertPolicy."""

    api_version: Literal["openslo/v1"]
    kind: Literal["AlertPolicy"]
    metadata: Metadata
    spec: AlertPolicySpec


class AlertCondition(OpenSLOKind):
    """An `openslo/v1` AlertCondition."""

    api_version: Literal["openslo/v1"]
    kind: Literal["AlertCondition"]
    metadata: Metadata
    spec: AlertConditionSpec


class AlertNotificationTarget(OpenSLOKind):
    """An `openslo/v1` AlertNotificationTarget."""

    api_version: Literal["openslo/v1"]
    kind: Literal["AlertNotificationTarget"]
    metadata: Metadata
    spec: AlertNotificationTargetSpec


KINDS: dict[str, type[OpenSLOKind]] = {
    "SLO": SLO,
    "SLI": SLI,
    "Service": Service,
    "DataSource": DataSource,
    "AlertPolicy": AlertPolicy,
    "AlertCondition": AlertCondition,
    "AlertNotificationTarget": AlertNotificationTarget,
}
"""The model of each `openslo/v1` kind."""
