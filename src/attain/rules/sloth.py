"""Sloth specs as the generator's SLOs: one `PromSLO` per `slos[]` entry.

The SLO's id is `<service>-<name>`; its labels are the spec's common labels overridden by its own;
each alert's labels and annotations are `alerting`'s overridden by the alert's. A spec naming an
SLI plugin is refused (attain cannot run Sloth's Go plugins).
"""

from __future__ import annotations

from decimal import Decimal

from attain.errors import InvalidAgreement
from attain.formats.sloth.spec import (
    KUBERNETES_V1,
    PROMETHEUS_V1,
    SLO,
    Alert,
    Alerting,
    PrometheusServiceLevel,
    PrometheusV1,
)
from attain.formats.source import Path, SourceDocument
from attain.rules import slo as m


def sloth_group(spec: PrometheusV1 | PrometheusServiceLevel, document: SourceDocument) -> m.SLOGroup:
    """The SLOs of one Sloth spec or `PrometheusServiceLevel`, located in the document they were read from.

    Raises:
        InvalidAgreement: If an SLO names an SLI plugin.
    """
    if isinstance(spec, PrometheusV1):
        return _group(PROMETHEUS_V1, spec.service, spec.labels, spec.slos, document, (), None)
    meta = spec.metadata
    kube = m.KubernetesMeta(meta.name, meta.namespace, m.labels(meta.labels), m.labels(meta.annotations))
    inner = spec.spec
    return _group(KUBERNETES_V1, inner.service, inner.labels, inner.slos, document, ("spec",), kube)


def _group(
    spec: str,
    service: str,
    common: dict[str, str] | None,
    slos: list[SLO],
    document: SourceDocument,
    root: Path,
    kube: m.KubernetesMeta | None,
) -> m.SLOGroup:
    built = []
    for index, item in enumerate(slos):
        origin = m.Origin(document, (*root, "slos", index))
        built.append(_slo(service, common or {}, item, origin))
    return m.SLOGroup(spec, tuple(built), kube, m.Origin(document, root))


def _slo(service: str, common: dict[str, str], item: SLO, origin: m.Origin) -> m.PromSLO:
    sli = item.sli
    chosen: list[m.EventsSLI | m.RawSLI] = []
    if sli.events is not None:
        chosen.append(m.EventsSLI(sli.events.error_query, sli.events.total_query))
    if sli.raw is not None:
        chosen.append(m.RawSLI(sli.raw.error_ratio_query))
    if sli.plugin is not None:
        problem = origin.problem(("sli", "plugin"), "SLI plugins are not supported", "write the query as sli.raw")
        raise InvalidAgreement([problem])
    alerting = item.alerting
    return m.PromSLO(
        id=f"{service}-{item.name}",
        name=item.name,
        service=service,
        objective=Decimal(item.objective),
        sli=chosen[0] if len(chosen) == 1 else None,
        labels=m.labels(common | (item.labels or {})),
        info_labels=m.labels(item.info_labels),
        page=_alert(alerting, alerting.page_alert),
        ticket=_alert(alerting, alerting.ticket_alert),
        description=item.description,
        origin=origin,
    )


def _alert(alerting: Alerting, alert: Alert) -> m.AlertMeta:
    if alert.disable:
        return m.AlertMeta()
    return m.AlertMeta(
        disabled=False,
        name=alerting.name,
        labels=m.labels((alerting.labels or {}) | (alert.labels or {})),
        annotations=m.labels((alerting.annotations or {}) | (alert.annotations or {})),
    )
