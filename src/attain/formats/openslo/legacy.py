"""Typed models of the older and newer OpenSLO versions: `openslo/v1alpha` and `openslo.com/v2alpha`.

`openslo/v1alpha` knows two kinds, Service and SLO; its SLOs carry `timeWindows` of `unit` and
`count`, and either a threshold `indicator` or `ratioMetrics` on each objective.
`openslo.com/v2alpha` follows v1 with renamed references (`sli`/`sliRef`, `serviceRef`,
`dataSourceRef`/`dataSourceSpec`) and plain-text label values; both `service` (as the reference
CLI `oslo` reads it) and `serviceRef` (as the Go SDK writes it) are accepted.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from attain.formats.openslo import v1
from attain.formats.openslo.base import LAX, BudgetingMethod, DurationShorthand, Num, OpenSLOModel, Operator

V1ALPHA = "openslo/v1alpha"
V2ALPHA = "openslo.com/v2alpha"

# --- openslo/v1alpha ----------------------------------------------------------------------------


class AlphaMetadata(OpenSLOModel):
    """v1alpha metadata: a name and a display name."""

    name: str
    display_name: str | None = None


class AlphaMetricSource(OpenSLOModel):
    """A v1alpha query: `source`, `queryType` and `query`."""

    source: str | None = None
    query_type: str | None = None
    query: str | None = None


class AlphaIndicator(OpenSLOModel):
    """A v1alpha SLO's threshold indicator."""

    threshold_metric: AlphaMetricSource | None = None


class AlphaRatioMetrics(OpenSLOModel):
    """A v1alpha objective's ratio: good over total (`incremental` or, in oslo, `counter`)."""

    good: AlphaMetricSource | None = None
    total: AlphaMetricSource | None = None
    incremental: bool | None = None
    counter: bool | None = None


class AlphaObjective(OpenSLOModel):
    """A v1alpha objective: value and target, op for thresholds, ratioMetrics for ratios."""

    display_name: str | None = None
    value: Num | None = None
    ratio_metrics: AlphaRatioMetrics | None = None
    target: Num | None = None
    time_slice_target: Num | None = None
    op: Operator | None = None


class AlphaTimeWindow(OpenSLOModel):
    """A v1alpha window: `count` `unit`s, rolling or calendar-aligned."""

    unit: Literal["Second", "Day", "Week", "Month", "Quarter"] | None = None
    count: int | None = None
    is_rolling: bool | None = None
    calendar: v1.Calendar | None = None


class AlphaSLOSpec(OpenSLOModel):
    """A v1alpha SLO."""

    description: str | None = None
    service: str | None = None
    indicator: AlphaIndicator | None = None
    time_windows: Annotated[tuple[AlphaTimeWindow, ...], LAX] | None = None
    budgeting_method: Literal["Occurrences", "Timeslices"] | None = None
    objectives: Annotated[tuple[AlphaObjective, ...], LAX] | None = None


class AlphaSLO(OpenSLOModel):
    """An `openslo/v1alpha` SLO."""

    api_version: Literal["openslo/v1alpha"]
    kind: Literal["SLO"]
    metadata: AlphaMetadata
    spec: AlphaSLOSpec


class AlphaService(OpenSLOModel):
    """An `openslo/v1alpha` Service."""

    api_version: Literal["openslo/v1alpha"]
    kind: Literal["Service"]
    metadata: AlphaMetadata
    spec: v1.ServiceSpec | None = None


# --- openslo.com/v2alpha ------------------------------------------------------------------------


class V2Metadata(OpenSLOModel):
    """v2alpha metadata: label values are plain texts."""

    name: str
    display_name: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class V2MetricSpec(OpenSLOModel):
    """A v2alpha metric: a DataSource by reference or inline, and free-form query fields."""

    data_source_ref: str | None = None
    data_source_spec: v1.DataSourceSpec | None = None
    spec: dict[str, Any] | None = None


class V2RatioMetric(OpenSLOModel):
    """Good or bad over total events, or a raw ratio (v2alpha metrics)."""

    counter: bool | None = None
    good: V2MetricSpec | None = None
    bad: V2MetricSpec | None = None
    total: V2MetricSpec | None = None
    raw_type: Literal["success", "failure"] | None = None
    raw: V2MetricSpec | None = None


class V2SLISpec(OpenSLOModel):
    """A v2alpha indicator: exactly one of `thresholdMetric` and `ratioMetric`."""

    description: str | None = None
    threshold_metric: V2MetricSpec | None = None
    ratio_metric: V2RatioMetric | None = None


class V2InlineSLI(OpenSLOModel):
    """An SLI written inside a v2alpha SLO."""

    metadata: V2Metadata
    spec: V2SLISpec


class V2PolicyCondition(v1.PolicyCondition):
    """A v2alpha AlertPolicy condition."""

    metadata: V2Metadata | None = None


class V2PolicyTarget(v1.PolicyTarget):
    """A v2alpha AlertPolicy notification target."""

    metadata: V2Metadata | None = None


class V2AlertPolicySpec(v1.AlertPolicySpec):
    """A v2alpha AlertPolicy."""

    conditions: Annotated[tuple[V2PolicyCondition, ...], LAX] | None = None
    notification_targets: Annotated[tuple[V2PolicyTarget, ...], LAX] | None = None


class V2SLOAlertPolicy(v1.SLOAlertPolicy):
    """A v2alpha SLO's alert policy, by reference or inline."""

    metadata: V2Metadata | None = None
    spec: V2AlertPolicySpec | None = None


class V2Objective(OpenSLOModel):
    """A v2alpha objective (`sli`/`sliRef` for composite SLOs)."""

    display_name: str | None = None
    op: Operator | None = None
    value: Num | None = None
    target: Num | None = None
    target_percent: Num | None = None
    time_slice_target: Num | None = None
    time_slice_window: DurationShorthand | None = None
    sli: V2InlineSLI | None = None
    sli_ref: str | None = None
    composite_weight: Num | None = None


class V2SLOSpec(OpenSLOModel):
    """A v2alpha SLO."""

    description: str | None = None
    service: str | None = None
    service_ref: str | None = None
    sli: V2InlineSLI | None = None
    sli_ref: str | None = None
    time_window: Annotated[tuple[v1.TimeWindow, ...], LAX] | None = None
    budgeting_method: BudgetingMethod | None = None
    objectives: Annotated[tuple[V2Objective, ...], LAX] | None = None
    alert_policies: Annotated[tuple[V2SLOAlertPolicy, ...], LAX] | None = None


class V2SLO(OpenSLOModel):
    """An `openslo.com/v2alpha` SLO."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["SLO"]
    metadata: V2Metadata
    spec: V2SLOSpec


class V2SLI(OpenSLOModel):
    """An `openslo.com/v2alpha` SLI."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["SLI"]
    metadata: V2Metadata
    spec: V2SLISpec


class V2Service(OpenSLOModel):
    """An `openslo.com/v2alpha` Service."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["Service"]
    metadata: V2Metadata
    spec: v1.ServiceSpec | None = None


class V2DataSource(OpenSLOModel):
    """An `openslo.com/v2alpha` DataSource."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["DataSource"]
    metadata: V2Metadata
    spec: v1.DataSourceSpec


class V2AlertPolicy(OpenSLOModel):
    """An `openslo.com/v2alpha` AlertPolicy."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertPolicy"]
    metadata: V2Metadata
    spec: V2AlertPolicySpec


class V2AlertCondition(OpenSLOModel):
    """An `openslo.com/v2alpha` AlertCondition."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertCondition"]
    metadata: V2Metadata
    spec: v1.AlertConditionSpec


class V2AlertNotificationTarget(OpenSLOModel):
    """An `openslo.com/v2alpha` AlertNotificationTarget."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertNotificationTarget"]
    metadata: V2Metadata
    spec: v1.AlertNotificationTargetSpec


V1ALPHA_KINDS: dict[str, type[OpenSLOModel]] = {"SLO": AlphaSLO, "Service": AlphaService}
"""The model of each `openslo/v1alpha` kind."""

V2ALPHA_KINDS: dict[str, type[OpenSLOModel]] = {
    "SLO": V2SLO,
    "SLI": V2SLI,
    "Service": V2Service,
    "DataSource": V2DataSource,
    "AlertPolicy": V2AlertPolicy,
    "AlertCondition": V2AlertCondition,
    "AlertNotificationTarget": V2AlertNotificationTarget,
}
"""The model of each `openslo.com/v2alpha` kind."""
