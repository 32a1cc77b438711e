"""Objectives from other tools' SLO specs: Sloth and Pyrra, with what attain cannot represent.

Each function reads one document and returns attain objective data (plain data that validates
with `attain.model.Objective`) together with a `Problem` for every feature of the spec that the
objectives do not carry, or carry only approximately. Nothing is dropped silently.

- Sloth `prometheus/v1` and `PrometheusServiceLevel`: `events` becomes a `ratio` whose `bad` and
  `valid` events are counted by the two PromQL queries; `raw` becomes a `ratio` whose `bad`
  metric is the error-ratio query (noted). Sloth specs carry no window: Sloth's default period,
  30 days rolling, is assumed (noted). Enabled page and ticket alerts become the `sre-workbook`
  burn-rate tiers that Sloth itself uses. Labels, alert names, labels and annotations, and SLI
  plugins (whose SLO is skipped) are noted. The `openslo/v1alpha` SLOs that Sloth reads are
  converted the way Sloth reads them: one objective `<name>-<index>` per ratio objective.
- Pyrra `ServiceLevelObjective`: `ratio` (errors over total), `latency` (success bucket over
  total) become `ratio` indicators; `latencyNative` a `threshold` on the native histogram
  (noted); `bool_gauge` an `availability` from probes (noted). `grouping`, `alerting`,
  `partial_response_strategy` and the Kubernetes namespace and labels are noted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from attain.errors import InvalidAgreement, Problem
from attain.formats import pyrra
from attain.formats.problem import problems_from_error
from attain.formats.sloth import spec as sloth
from attain.formats.source import Path, SourceDocument
from attain.model import SRE_WORKBOOK_TIERS
from attain.model.quantity import format_duration, format_number

SLOTH_PERIOD = "30d"
"""Sloth's default SLO period, assumed for Sloth specs, which carry none."""

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class ForeignObjectives:
    """Objectives read from another tool's spec, and what they leave out.

    Attributes:
        objectives: attain objective data, one entry per objective, in the spec's order.
        unrepresented: One problem per feature not carried (or only approximated), located in the
            document, saying what it is and what attain does instead.
    """

    objectives: list[dict[str, Any]] = field(default_factory=list)
    unrepresented: list[Problem] = field(default_factory=list)


def objectives_from_sloth(document: SourceDocument) -> ForeignObjectives:
    """Read a Sloth spec (`prometheus/v1`, `PrometheusServiceLevel` or `openslo/v1alpha`).

    Args:
        document: One document read by `attain.formats.source`.

    Returns:
        The objectives and the features they do not represent.

    Raises:
        InvalidAgreement: If the document is not a spec Sloth reads, or is invalid.
    """
    data = document.data
    if isinstance(data, dict) and data.get("apiVersion") == "openslo/v1alpha":
        from attain.formats.sloth.openslo import objectives_from_openslo_alpha  # noqa: PLC0415 - it imports this module

        return objectives_from_openslo_alpha(document)
    if isinstance(data, dict) and "version" in data:
        if data["version"] != "prometheus/v1":
            problem = document.problem(("version",), f"unsupported version {data['version']!r}", "use prometheus/v1")
            raise InvalidAgreement([problem])
        spec = _validate(sloth.PrometheusV1, document)
        return _from_sloth_slos(document, (), spec.service, spec.labels, spec.slos)
    resource = _validate(sloth.PrometheusServiceLevel, document)
    result = _from_sloth_slos(document, ("spec",), resource.spec.service, resource.spec.labels, resource.spec.slos)
    meta = resource.metadata
    for key, value in (("namespace", meta.namespace), ("labels", meta.labels), ("annotations", meta.annotations)):
        if value:
            note = f"metadata.{key} of the resource (copied to its PrometheusRule) is not carried"
            result.unrepresented.append(document.problem(("metadata", key), note, "set them where rules are deployed"))
    return result


def _validate(model: type[_M], document: SourceDocument) -> _M:
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise InvalidAgreement(problems_from_error(error, document, (), model)) from None


def _from_sloth_slos(
    document: SourceDocument, root: Path, service: str, labels: dict[str, str] | None, slos: list[sloth.SLO]
) -> ForeignObjectives:
    result = ForeignObjectives()
    note = noter(document, result)
    if labels:
        note((*root, "labels"), "labels on every recording rule are not carried", "attain objectives have no labels")
    for index, slo in enumerate(slos):
        path: Path = (*root, "slos", index)
        if slo.sli.plugin is not None:
            note((*path, "sli", "plugin"), f"SLI plugin {slo.sli.plugin.id!r}: objective skipped", "write sli.raw")
            continue
        indicator = _sloth_indicator(slo.sli, path, note)
        if indicator is None:
            note((*path, "sli"), "the SLO has no events or raw SLI: objective skipped", "add sli.events")
            continue
        data: dict[str, Any] = {"name": slo.name, "indicator": indicator}
        if service:
            data["service"] = service
        if slo.description:
            data["description"] = slo.description
        data["target"] = Decimal(slo.objective).scaleb(-2)
        data["window"] = {"rolling": SLOTH_PERIOD}
        note(path, "Sloth specs carry no window: 30d, Sloth's default period, is assumed", "override window:")
        alerting = _sloth_alerting(slo.alerting, path, note, camel=bool(root))
        if alerting is not None:
            data["alerting"] = alerting
        for key, value in (("labels", slo.labels), ("infoLabels", slo.info_labels)):
            if value:
                note((*path, key), f"{key} of the SLO are not carried", "attain objectives have no labels")
        result.objectives.append(data)
    return result


Note = Callable[[Path, str, str], None]


def noter(document: SourceDocument, result: ForeignObjectives) -> Note:
    """A function that adds a problem at a path of `document` to `result.unrepresented`."""

    def note(path: Path, message: str, hint: str) -> None:
        result.unrepresented.append(document.problem(path, message, hint))

    return note


def _prometheus(query: str) -> dict[str, Any]:
    return {"metric": {"type": "Prometheus", "spec": {"query": query}}}


def _sloth_indicator(sli: sloth.SLI, path: Path, note: Note) -> dict[str, Any] | None:
    if sli.events is not None:
        return {
            "kind": "ratio",
            "bad": _prometheus(sli.events.error_query),
            "valid": _prometheus(sli.events.total_query),
        }
    if sli.raw is not None:
        note((*path, "sli", "raw"), "a raw error ratio is read as the bad metric, with no valid metric", "")
        return {"kind": "ratio", "bad": _prometheus(sli.raw.error_ratio_query)}
    return None


def _sloth_alerting(alerting: sloth.Alerting, path: Path, note: Note, *, camel: bool) -> dict[str, Any] | None:
    where: Path = (*path, "alerting")
    if alerting.name:
        note((*where, "name"), f"alert name {alerting.name!r} is not carried", "attain names alerts itself")
    for key, value in (("labels", alerting.labels), ("annotations", alerting.annotations)):
        if value:
            note((*where, key), f"alert {key} are not carried", "add them where alerts are routed")
    severities = []
    for key, alert, severity in (
        ("pageAlert" if camel else "page_alert", alerting.page_alert, "page"),
        ("ticketAlert" if camel else "ticket_alert", alerting.ticket_alert, "ticket"),
    ):
        if alert.disable:
            continue
        severities.append(severity)
        for part, value in (("labels", alert.labels), ("annotations", alert.annotations)):
            if value:
                note(
                    (*where, key, part), f"{severity} alert {part} are not carried", "add them where alerts are routed"
                )
    if len(severities) == 2:
        return {"preset": "sre-workbook"}
    tiers = [tier.model_dump(mode="json", by_alias=True) for tier in SRE_WORKBOOK_TIERS if tier.severity in severities]
    return {"tiers": tiers} if tiers else None


def objectives_from_pyrra(document: SourceDocument) -> ForeignObjectives:
    """Read a Pyrra `ServiceLevelObjective`.

    Args:
        document: One document read by `attain.formats.source`.

    Returns:
        One objective, and the features it does not represent.

    Raises:
        InvalidAgreement: If the document is not a valid Pyrra objective, or its window is not
            whole minutes.
    """
    slo = pyrra.load_pyrra(document)
    result = ForeignObjectives()
    note = noter(document, result)
    spec = slo.spec
    window = spec.window_length
    if window % timedelta(minutes=1):
        raise InvalidAgreement([document.problem(("spec", "window"), "window is not whole minutes", "e.g. 2w")])
    data: dict[str, Any] = {"name": slo.metadata.name}
    if spec.description:
        data["description"] = spec.description
    data["indicator"] = _pyrra_indicator(spec.indicator, note)
    data["target"] = spec.target_percent.scaleb(-2)
    data["window"] = {"rolling": format_duration(window)}
    result.objectives.append(data)
    if spec.alerting is not None:
        note(("spec", "alerting"), "Pyrra's alert switches and names are not carried", "add alerting: to the objective")
    if spec.partial_response_strategy:
        note(("spec", "partial_response_strategy"), "the Thanos partial response strategy is not carried", "")
    for key in ("namespace", "labels", "annotations"):
        if getattr(slo.metadata, key):
            note(("metadata", key), f"metadata.{key} (Kubernetes) is not carried", "set them where rules are deployed")
    return result


def _pyrra_indicator(indicator: pyrra.Indicator, note: Note) -> dict[str, Any]:
    base: Path = ("spec", "indicator")
    grouping: list[str] | None
    if indicator.ratio is not None:
        kind, grouping = "ratio", indicator.ratio.grouping
        data = {"kind": "ratio", "bad": _prometheus(indicator.ratio.errors.metric)}
        data["valid"] = _prometheus(indicator.ratio.total.metric)
    elif indicator.latency is not None:
        kind, grouping = "latency", indicator.latency.grouping
        data = {"kind": "ratio", "good": _prometheus(indicator.latency.success.metric)}
        data["valid"] = _prometheus(indicator.latency.total.metric)
    elif indicator.latency_native is not None:
        kind, grouping = "latencyNative", indicator.latency_native.grouping
        bound = pyrra.parse_prometheus_duration(indicator.latency_native.latency) / timedelta(microseconds=1)
        seconds = format_number(Decimal(int(bound)).scaleb(-6))
        data = {"kind": "threshold", "value": "latency", "op": "le", "bound": seconds, "unit": "s"}
        data["metric"] = _prometheus(indicator.latency_native.total.metric)["metric"]
        note((*base, kind), "a native histogram is read as a threshold on each request's latency", "")
    else:
        assert indicator.bool_gauge is not None
        kind, grouping = "bool_gauge", indicator.bool_gauge.grouping
        data = {"kind": "availability", "from": "probes", "up": _prometheus(indicator.bool_gauge.metric)}
        note((*base, kind), "the gauge's samples are read as probes, up when 1", "")
    if grouping:
        labels = ", ".join(grouping)
        note((*base, kind, "grouping"), f"grouping by {labels}: one aggregate objective, not one per group", "")
    return data
