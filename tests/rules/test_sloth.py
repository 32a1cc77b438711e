"""Sloth specs as the generator's SLOs: ids, merged labels, alerts, and what is refused."""

from __future__ import annotations

import pytest

from attain.errors import InvalidAgreement
from attain.formats.sloth.spec import parse_sloth
from attain.formats.source import read_text
from attain.rules.slo import AlertMeta, EventsSLI, KubernetesMeta, labels
from attain.rules.sloth import sloth_group

SPEC = """\
version: prometheus/v1
service: api
labels: {team: payments, tier: gold}
slos:
  - name: availability
    objective: 99.9
    labels: {tier: silver}
    sli:
      events:
        error_query: sum(rate(errors[{{.window}}]))
        total_query: sum(rate(requests[{{.window}}]))
    alerting:
      name: ApiBurn
      labels: {route: a, team: payments}
      annotations: {runbook: http://wiki/api}
      page_alert: {labels: {route: b}}
      ticket_alert: {disable: true}
"""

RESOURCE = """\
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: api-slos, namespace: monitoring, labels: {app: api}}
spec:
  service: api
  slos:
    - name: errors
      objective: 99.5
      sli: {raw: {errorRatioQuery: 'sum(rate(errors[{{.window}}])) / sum(rate(total[{{.window}}]))'}}
      alerting: {pageAlert: {disable: true}, ticketAlert: {disable: true}}
"""


def test_an_slo_gets_its_id_merged_labels_and_alerts() -> None:
    """The id is service-name; the SLO's labels override the spec's; the page alert's override alerting's."""
    [document] = read_text(SPEC, "spec.yaml")
    group = sloth_group(parse_sloth(document), document)
    assert (group.spec, group.mode, group.kubernetes) == ("prometheus/v1", "cli-gen-prom", None)
    [slo] = group.slos
    assert (slo.id, slo.service, slo.name) == ("api-availability", "api", "availability")
    assert slo.sli == EventsSLI("sum(rate(errors[{{.window}}]))", "sum(rate(requests[{{.window}}]))")
    assert slo.labels == {"team": "payments", "tier": "silver"}
    assert slo.page == AlertMeta(
        disabled=False,
        name="ApiBurn",
        labels=labels({"route": "b", "team": "payments"}),
        annotations=labels({"runbook": "http://wiki/api"}),
    )
    assert slo.ticket == AlertMeta()
    assert slo.origin.root == ("slos", 0)


def test_a_resource_keeps_its_kubernetes_metadata() -> None:
    """A PrometheusServiceLevel's name, namespace and labels go with its group; its SLOs sit under spec."""
    [document] = read_text(RESOURCE, "slos.yaml")
    group = sloth_group(parse_sloth(document), document)
    assert (group.spec, group.mode) == ("sloth.slok.dev/v1", "cli-gen-k8s")
    assert group.kubernetes == KubernetesMeta("api-slos", "monitoring", labels({"app": "api"}))
    [slo] = group.slos
    assert slo.id == "api-errors"
    assert slo.origin.root == ("spec", "slos", 0)


def test_an_sli_plugin_is_refused_where_it_is_named() -> None:
    """An SLI plugin is one problem at slos[0].sli.plugin, with the hint to write the query as sli.raw."""
    text = SPEC.replace(
        "      events:\n        error_query: sum(rate(errors[{{.window}}]))\n"
        "        total_query: sum(rate(requests[{{.window}}]))\n",
        "      plugin: {id: sloth-common/availability}\n",
    )
    [document] = read_text(text, "spec.yaml")
    spec = parse_sloth(document)
    with pytest.raises(InvalidAgreement) as caught:
        sloth_group(spec, document)
    [problem] = caught.value.problems
    assert (problem.path, problem.message) == ("slos[0].sli.plugin", "SLI plugins are not supported")
    assert problem.hint == "write the query as sli.raw"
