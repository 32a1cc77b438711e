"""Sloth specs parse into their own strict types, and a wrong version is refused where it is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from attain.errors import InvalidAgreement
from attain.formats.sloth.spec import PrometheusServiceLevel, PrometheusV1, is_sloth, parse_sloth
from attain.formats.source import read_text
from rules_support import SPEC

RESOURCE = """\
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: api-slos, namespace: monitoring}
spec:
  service: api
  slos:
    - name: errors
      objective: 99.5
      sli: {raw: {errorRatioQuery: 'sum(rate(errors[{{.window}}])) / sum(rate(total[{{.window}}]))'}}
      alerting: {name: ApiErrors, pageAlert: {disable: true}, ticketAlert: {labels: {tier: 2}}}
"""


def test_a_prometheus_v1_spec_reads_as_its_own_type() -> None:
    """A `prometheus/v1` file gives a PrometheusV1 with its service, exact objective and alert switches."""
    [document] = read_text(SPEC, "spec.yaml")
    spec = parse_sloth(document)
    assert isinstance(spec, PrometheusV1)
    assert spec.service == "api"
    [slo] = spec.slos
    assert slo.objective == Decimal("99.9")
    assert slo.alerting.page_alert.labels == {"severity": "critical"}
    assert slo.alerting.ticket_alert.disable is True


def test_a_resource_reads_with_kubernetes_spellings_and_text_labels() -> None:
    """A PrometheusServiceLevel reads its camelCase fields; a number written as a label value is its text."""
    [document] = read_text(RESOURCE, "slos.yaml")
    resource = parse_sloth(document)
    assert isinstance(resource, PrometheusServiceLevel)
    assert (resource.metadata.name, resource.metadata.namespace) == ("api-slos", "monitoring")
    [slo] = resource.spec.slos
    assert slo.sli.raw is not None
    assert slo.sli.raw.error_ratio_query.startswith("sum(rate(errors[{{.window}}]))")
    assert slo.alerting.page_alert.disable is True
    assert slo.alerting.ticket_alert.labels == {"tier": "2"}


def test_an_unsupported_version_is_refused_at_its_line() -> None:
    """`version: prometheus/v999` is one problem at line 1, field `version`."""
    [document] = read_text(SPEC.replace("prometheus/v1", "prometheus/v999"), "spec.yaml")
    with pytest.raises(InvalidAgreement) as caught:
        parse_sloth(document)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("spec.yaml", 1, "version")
    assert problem.message == "unsupported version 'prometheus/v999'"


def test_an_unknown_field_is_refused_with_its_place() -> None:
    """A misspelt key inside an SLO is an error located at that key, not silently dropped."""
    [document] = read_text(SPEC.replace("objective: 99.9", "objectiv: 99.9"), "spec.yaml")
    with pytest.raises(InvalidAgreement) as caught:
        parse_sloth(document)
    assert [p.path for p in caught.value.problems] == ["slos[0].objectiv"]


def test_only_sloth_documents_are_recognised() -> None:
    """A `version` key or the PrometheusServiceLevel kind marks a Sloth document; an agreement is not one."""
    assert is_sloth({"version": "prometheus/v999"})
    assert is_sloth({"kind": "PrometheusServiceLevel"})
    assert not is_sloth({"apiVersion": "attain/v1", "kind": "Agreement"})
    assert not is_sloth(["version"])
