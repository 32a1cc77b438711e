"""The generator's input: Prometheus SLOs in Sloth's sense, whatever format they were written in.

A Sloth `prometheus/v1` spec, a `PrometheusServiceLevel` resource, an OpenSLO `v1alpha` SLO and an
attain agreement all map onto these types; `attain.rules.prometheus` turns them into rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType

from attain.errors import Problem
from attain.formats.sloth.spec import KUBERNETES_V1, PROMETHEUS_V1
from attain.formats.sloth.windows import AlertWindows
from attain.formats.source import Path, SourceDocument, format_path

Labels = MappingProxyType[str, str]
"""A read-only mapping of label (or annotation) names to values."""

NO_LABELS: Labels = MappingProxyType({})

OPENSLO_V1ALPHA = "openslo/v1alpha"
ATTAIN_V1 = "attain/v1"

MODES = {
    PROMETHEUS_V1: "cli-gen-prom",
    KUBERNETES_V1: "cli-gen-k8s",
    OPENSLO_V1ALPHA: "cli-gen-openslo",
    ATTAIN_V1: "cli-gen-attain",
}
"""The `sloth_mode` label of each input format, as Sloth's CLI writes it."""


def labels(values: dict[str, str] | None = None) -> Labels:
    """A read-only copy of `values`."""
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value was read from, to locate problems: a document and a path inside it."""

    document: SourceDocument | None = None
    root: Path = ()

    def problem(self, path: Path, message: str, hint: str) -> Problem:
        """A problem at `path` below this origin."""
        if self.document is None:
            return Problem("<rules>", None, None, format_path((*self.root, *path)), message, hint)
        return self.document.problem((*self.root, *path), message, hint)


@dataclass(frozen=True, slots=True)
class EventsSLI:
    """Bad events over total events: two queries holding `{{.window}}`."""

    error_query: str
    total_query: str


@dataclass(frozen=True, slots=True)
class RawSLI:
    """An error ratio computed by one query holding `{{.window}}`."""

    error_ratio_query: str


@dataclass(frozen=True, slots=True)
class AlertMeta:
    """One of an SLO's two alerts (page or ticket): its name, labels and annotations, or disabled."""

    disabled: bool = True
    name: str = ""
    labels: Labels = field(default_factory=lambda: NO_LABELS)
    annotations: Labels = field(default_factory=lambda: NO_LABELS)


@dataclass(frozen=True, slots=True)
class PromSLO:
    """One SLO to generate rules for.

    Attributes:
        id: The `sloth_id` label, `<service>-<name>`.
        name: The `sloth_slo` label.
        service: The `sloth_service` label.
        objective: The objective in percent, exact (99.9 for 99.9%).
        sli: The indicator's queries.
        period: The SLO period; None takes the generator's default period.
        labels: Labels on every recording rule.
        info_labels: Extra labels on `sloth_slo_info`.
        page: The page alert.
        ticket: The ticket alert.
        description: Free text, not written to the rules.
        windows: Alert windows of the SLO's own; None takes the catalog's for the period.
        origin: Where the SLO was read from.
    """

    id: str
    name: str
    service: str
    objective: Decimal
    sli: EventsSLI | RawSLI | None
    period: timedelta | None = None
    labels: Labels = field(default_factory=lambda: NO_LABELS)
    info_labels: Labels = field(default_factory=lambda: NO_LABELS)
    page: AlertMeta = AlertMeta()
    ticket: AlertMeta = AlertMeta()
    description: str = ""
    windows: AlertWindows | None = None
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass(frozen=True, slots=True)
class KubernetesMeta:
    """The metadata of a Kubernetes input, copied to the `PrometheusRule` made from it."""

    name: str
    namespace: str | None = None
    labels: Labels = field(default_factory=lambda: NO_LABELS)
    annotations: Labels = field(default_factory=lambda: NO_LABELS)


@dataclass(frozen=True, slots=True)
class SLOGroup:
    """The SLOs of one input object (one Sloth spec, one resource, one OpenSLO SLO, one agreement).

    Attributes:
        spec: The input format, e.g. `prometheus/v1`; it names `sloth_spec` and `sloth_mode`.
        slos: The SLOs, in order.
        kubernetes: The resource's metadata for Kubernetes inputs, else None.
        origin: Where the object was read from.
    """

    spec: str
    slos: tuple[PromSLO, ...]
    kubernetes: KubernetesMeta | None = None
    origin: Origin = field(default_factory=Origin, compare=False)

    @property
    def mode(self) -> str:
        """The `sloth_mode` label value for this input format."""
        return MODES[self.spec]
