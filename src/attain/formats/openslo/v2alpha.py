"""Typed models of the newer OpenSLO version `openslo.com/v2alpha`.

`openslo.com/v2alpha` follows v1 with renamed references (`sli`/`sliRef`, `serviceRef`,
`dataSourceRef`/`dataSourceSpec`) and plain-text label values. Both `service` (as the reference
CLI `oslo` reads it) and `serviceRef` (as the Go SDK writes it) are accepted.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from attain.formats.openslo import v1
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

V2ALPHA = "openslo.com/v2alpha"


class V2Metadata(BaseMetadata):
    """v2alpha metadata: label values are plain texts."""

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


class V2PolicyCondition(OpenSLOModel):
    """A v2alpha AlertPolicy condition: a `conditionRef` or an inline AlertCondition."""

    condition_ref: str | None = None
    kind: Literal["AlertCondition"] | None = None
    metadata: V2Metadata | None = None
    spec: v1.AlertConditionSpec | None = None


class V2PolicyTarget(OpenSLOModel):
    """A v2alpha AlertPolicy notification target: a `targetRef` or an inline target."""

    target_ref: str | None = None
    kind: Literal["AlertNotificationTarget"] | None = None
    metadata: V2Metadata | None = None
    spec: v1.AlertNotificationTargetSpec | None = None


class V2AlertPolicySpec(OpenSLOModel):
    """A v2alpha AlertPolicy."""

    description: str | None = None
    alert_when_no_data: bool | None = None
    alert_when_breaching: bool | None = None
    alert_when_resolved: bool | None = None
    conditions: Annotated[tuple[V2PolicyCondition, ...], LAX] | None = None
    notification_targets: Annotated[tuple[V2PolicyTarget, ...], LAX] | None = None


class V2SLOAlertPolicy(OpenSLOModel):
    """A v2alpha SLO's alert policy: an `alertPolicyRef` or an inline AlertPolicy."""

    alert_policy_ref: str | None = None
    kind: Literal["AlertPolicy"] | None = None
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


class V2SLO(OpenSLOKind):
    """An `openslo.com/v2alpha` SLO."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["SLO"]
    metadata: V2Metadata
    spec: V2SLOSpec


class V2SLI(OpenSLOKind):
    """An `openslo.com/v2alpha` SLI."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["SLI"]
    metadata: V2Metadata
    spec: V2SLISpec


class V2Service(OpenSLOKind):
    """An `openslo.com/v2alpha` Service."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["Service"]
    metadata: V2Metadata
    spec: v1.ServiceSpec | None = None


class V2DataSource(OpenSLOKind):
    """An `openslo.com/v2alpha` DataSource."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["DataSource"]
    metadata: V2Metadata
    spec: v1.DataSourceSpec


class V2AlertPolicy(OpenSLOKind):
    """An `openslo.com/v2alpha` AlertPolicy."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertPolicy"]
    metadata: V2Metadata
    spec: V2AlertPolicySpec


class V2AlertCondition(OpenSLOKind):
    """An `openslo.com/v2alpha` AlertCondition."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertCondition"]
    metadata: V2Metadata
    spec: v1.AlertConditionSpec


class V2AlertNotificationTarget(OpenSLOKind):
    """An `openslo.com/v2alpha` AlertNotificationTarget."""

    api_version: Literal["openslo.com/v2alpha"]
    kind: Literal["AlertNotificationTarget"]
    metadata: V2Metadata
    spec: v1.AlertNotificationTargetSpec


V2ALPHA_KINDS: dict[str, type[OpenSLOKind]] = {
    "SLO": V2SLO,
    "SLI": V2SLI,
    "Service": V2Service,
    "DataSource": V2DataSource,
    "AlertPolicy": V2AlertPolicy,
    "AlertCondition": V2AlertCondition,
    "AlertNotificationTarget": V2AlertNotificationTarget,
}
"""The model of each `openslo.com/v2alpha` kind."""
