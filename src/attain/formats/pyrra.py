"""Pyrra's `pyrra.dev/v1alpha1` `ServiceLevelObjective`, typed as Pyrra's Go types declare it.

The spec's `target` is a percentage written as text (`'99.9'`), its `window` a Prometheus
duration (`2w`, `4w`, `7d`, `1h30m`), and its `indicator` exactly one of `ratio` (errors over
total), `latency` (histogram bucket `success` over `total`), `latencyNative` (a native histogram
and a `latency` bound) and `bool_gauge` (a 0/1 gauge). Each may name `grouping` labels, which
make Pyrra keep one SLO per group. Unknown fields are refused; the Kubernetes metadata allows
what Kubernetes allows.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from attain.errors import InvalidAgreement
from attain.formats.problem import problems_from_error
from attain.formats.source import SourceDocument
from attain.model.quantity import invalid

API_VERSION = "pyrra.dev/v1alpha1"
KIND = "ServiceLevelObjective"

_PROMETHEUS_UNITS: dict[str, timedelta] = {
    "y": timedelta(days=365),
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
    "ms": timedelta(milliseconds=1),
}
_DURATION = re.compile(r"^(?:[0-9]+(?:ms|[ywdhms]))+$")
_PART = re.compile(r"([0-9]+)(ms|[ywdhms])")


def parse_prometheus_duration(text: str) -> timedelta:
    """Parse a Prometheus duration (`2w`, `7d`, `1h30m`, `500ms`; `y` is 365 days).

    Args:
        text: The duration as Prometheus writes it.

    Returns:
        Its length.

    Raises:
        ValueError: If the text is not a Prometheus duration longer than zero.
    """
    if not _DURATION.match(text):
        raise ValueError(f"not a Prometheus duration: {text!r}")
    total = sum((int(count) * _PROMETHEUS_UNITS[unit] for count, unit in _PART.findall(text)), timedelta(0))
    if total <= timedelta(0):
        raise ValueError(f"not longer than zero: {text!r}")
    return total


def _text(value: Any) -> Any:
    """A target written as a number (`target: 99`) is read as its text, as Kubernetes would coerce it."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _target(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise invalid(f"target is not a number: {value!r}", "write a percentage as text, e.g. '99.9'") from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise invalid(f"target must be between 0 and 100, got {value}", "write e.g. '99.9' for 99.9%")
    return value


def _window(value: str) -> str:
    try:
        parse_prometheus_duration(value)
    except ValueError:
        raise invalid(f"not a Prometheus duration: {value!r}", "write e.g. 2w, 4w, 7d or 28d") from None
    return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


class Query(_Spec):
    """A PromQL metric selector."""

    metric: str


class RatioIndicator(_Spec):
    """Errors over total events."""

    errors: Query
    total: Query
    grouping: list[str] | None = None


class LatencyIndicator(_Spec):
    """Requests in the histogram bucket `success` (`le="0.05"`) over all requests `total`."""

    success: Query
    total: Query
    grouping: list[str] | None = None


class NativeLatencyIndicator(_Spec):
    """Requests faster than `latency`, read from the native histogram `total`."""

    total: Query
    latency: str
    grouping: list[str] | None = None


class BoolGaugeIndicator(_Spec):
    """A gauge that is 1 when good and 0 when bad, such as `probe_success`."""

    metric: str
    grouping: list[str] | None = None


class Indicator(_Spec):
    """Exactly one kind of indicator."""

    ratio: RatioIndicator | None = None
    latency: LatencyIndicator | None = None
    latency_native: NativeLatencyIndicator | None = Field(default=None, alias="latencyNative")
    bool_gauge: BoolGaugeIndicator | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Indicator:
        given = [self.ratio, self.latency, self.latency_native, self.bool_gauge]
        if sum(item is not None for item in given) != 1:
            raise invalid("give exactly one indicator", "one of ratio, latency, latencyNative, bool_gauge")
        return self


class Alerting(_Spec):
    """Pyrra's switches and names for the alerts it generates."""

    disabled: bool | None = None
    burnrates: bool | None = None
    absent: bool | None = None
    name: str | None = None
    absent_name: str | None = Field(default=None, alias="absentName")


class Spec(_Spec):
    """The objective: a target percentage over a window of one indicator."""

    description: str = ""
    target: Annotated[str, BeforeValidator(_target), BeforeValidator(_text)]
    window: Annotated[str, BeforeValidator(_window)]
    indicator: Indicator
    alerting: Alerting | None = None
    partial_response_strategy: Literal["abort", "warn", ""] | None = None

    @property
    def target_percent(self) -> Decimal:
        """The target in percent, exact."""
        return Decimal(self.target)

    @property
    def window_length(self) -> timedelta:
        """The window's length."""
        return parse_prometheus_duration(self.window)


class Metadata(BaseModel):
    """Kubernetes metadata; fields attain does not use (uid, ...) are allowed."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class ServiceLevelObjective(BaseModel):
    """A `pyrra.dev/v1alpha1` `ServiceLevelObjective` resource."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    api_version: Literal["pyrra.dev/v1alpha1"] = Field(alias="apiVersion")
    kind: Literal["ServiceLevelObjective"]
    metadata: Metadata
    spec: Spec
    status: dict[str, Any] | None = None


def is_pyrra(data: Any) -> bool:
    """Whether a document declares itself a Pyrra `ServiceLevelObjective`."""
    return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("pyrra.dev/")


def load_pyrra(document: SourceDocument) -> ServiceLevelObjective:
    """Read one document as a Pyrra `ServiceLevelObjective`.

    Args:
        document: A document read by `attain.formats.source`.

    Returns:
        The typed resource.

    Raises:
        InvalidAgreement: If the apiVersion or kind is not Pyrra's, or a field is unknown, missing
            or invalid; every problem is listed with its place.
    """
    data = document.data
    if not isinstance(data, dict) or data.get("apiVersion") != API_VERSION or data.get("kind") != KIND:
        found = f"{data.get('apiVersion')!r} {data.get('kind')!r}" if isinstance(data, dict) else "no mapping"
        hint = f"use apiVersion: {API_VERSION}, kind: {KIND}"
        raise InvalidAgreement([document.problem(("apiVersion",), f"not a Pyrra objective: {found}", hint)])
    try:
        return ServiceLevelObjective.model_validate(data)
    except ValidationError as error:
        raise InvalidAgreement(problems_from_error(error, document, (), ServiceLevelObjective)) from None
