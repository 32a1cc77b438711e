"""Typed models of the older OpenSLO version `openslo/v1alpha`.

`openslo/v1alpha` knows two kinds, Service and SLO; its SLOs carry `timeWindows` of `unit` and
`count`, and either a threshold `indicator` or `ratioMetrics` on each objective.
"""

from __future__ import annotations

from typing import Annotated, Literal

from attain.formats.openslo import v1
from attain.formats.openslo.base import (
    LAX,
    BaseMetadata,
    Num,
    OpenSLOKind,
    OpenSLOModel,
    Operator,
)

V1ALPHA = "openslo/v1alpha"


class AlphaMetadata(BaseMetadata):
    """v1alpha metadata: a name and a display name."""


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


class AlphaSLO(OpenSLOKind):
    """An `openslo/v1alpha` SLO."""

    api_version: Literal["openslo/v1alpha"]
    kind: Literal["SLO"]
    metadata: AlphaMetadata
    spec: AlphaSLOSpec


class AlphaService(OpenSLOKind):
    """An `openslo/v1alpha` Service."""

    api_version: Literal["openslo/v1alpha"]
    kind: Literal["Service"]
    metadata: AlphaMetadata
    spec: v1.ServiceSpec | None = None


V1ALPHA_KINDS: dict[str, type[OpenSLOKind]] = {"SLO": AlphaSLO, "Service": AlphaService}
"""The model of each `openslo/v1alpha` kind."""
