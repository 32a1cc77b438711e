"""OpenSLO v1 export of agreements and its inverse: export → YAML → decode → import is the identity."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.errors import InvalidAgreement
from attain.formats.native import dump_agreement, parse_agreement
from attain.formats.openslo import decode, dump_openslo, validate_openslo
from attain.formats.openslo.export import export_agreement, export_objects, import_agreement
from attain.formats.source import read_text
from attain.formats.template import LANGUAGES, TEMPLATES, template_text
from attain.model import Agreement
from cli_support import Cli


def _roundtrip_module() -> ModuleType:
    """Load tests/formats/test_roundtrip.py for its strategies (tests are no package here)."""
    spec = importlib.util.spec_from_file_location(
        "_roundtrip_strategies", Path(__file__).parent.parent / "test_roundtrip.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


agreements = _roundtrip_module().agreements


def _through_yaml(agreement: Agreement) -> tuple[Agreement, list[Any]]:
    """Export, write as YAML, decode and import; also return the decoded objects."""
    decoded = decode(read_text(dump_openslo(export_objects(agreement))))
    return import_agreement(decoded), decoded


def _template(name: str, language: str) -> Agreement:
    [document] = read_text(template_text(name, language))
    return parse_agreement(document)


CASES = [(name, language) for language in LANGUAGES for name in TEMPLATES]


@pytest.mark.parametrize(("name", "language"), CASES)
def test_every_template_round_trips_through_openslo(name: str, language: str) -> None:
    """Each shipped template, exported to OpenSLO YAML and imported back, equals the original."""
    agreement = _template(name, language)
    imported, _ = _through_yaml(agreement)
    assert imported == agreement


@pytest.mark.parametrize(("name", "language"), CASES)
def test_every_exported_template_passes_openslo_validation(name: str, language: str) -> None:
    """The objects exported from each template have no OpenSLO v1 validation problem."""
    _, decoded = _through_yaml(_template(name, language))
    assert validate_openslo(decoded) == []
    assert {obj.api_version for obj in decoded} == {"openslo/v1"}


@settings(max_examples=60, deadline=None)
@given(agreements())
def test_generated_agreements_round_trip(document: dict[str, Any]) -> None:
    """A generated agreement survives export, YAML, decode and import, and validates as OpenSLO."""
    agreement = Agreement.model_validate(document)
    imported, decoded = _through_yaml(agreement)
    assert imported == agreement
    assert validate_openslo(decoded) == []


METRIC_RATIO = {
    "kind": "ratio",
    "bad": {"metric": {"type": "Prometheus", "spec": {"query": 'sum(rate(http_total{code=~"5.."}[5m]))'}}},
    "valid": {"metric": {"type": "Prometheus", "spec": {"query": "sum(rate(http_total[5m]))"}}},
}


@settings(max_examples=40, deadline=None)
@given(agreements(), st.sampled_from([None, "UTC", "Asia/Shanghai"]))
def test_generated_agreements_with_metric_ratios_round_trip(document: dict[str, Any], zone: str | None) -> None:
    """Objectives with a metric-counted ratio, written as ratioMetric, come back equal."""
    for objective in document["spec"]["objectives"]:
        objective["indicator"] = METRIC_RATIO
        if zone is not None and "calendar" in objective["window"]:
            objective["window"]["timeZone"] = zone
    agreement = Agreement.model_validate(document)
    imported, decoded = _through_yaml(agreement)
    assert imported == agreement
    assert validate_openslo(decoded) == []


AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Shop
  timeZone: Europe/Berlin
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: Keep the shop up.
  services: [{name: checkout, title: Checkout, owner: team-a}]
  effective: {from: 2026-01-01}
  objectives:
    - name: errors
      title: Few errors
      service: checkout
      indicator:
        kind: ratio
        bad: {metric: {type: Prometheus, spec: {query: errors_total}}}
        valid: {metric: {type: Prometheus, spec: {query: requests_total}}}
      target: 99.9%
      window: {rolling: 28d}
      credits: [{below: 99.9%, credit: 10%}]
    - name: backups
      indicator: {kind: freshness, events: backups, maxGap: 1d}
      target: 99%
      window: {calendar: month}
"""


def _shop() -> Agreement:
    [document] = read_text(AGREEMENT)
    return parse_agreement(document)


def test_metric_ratio_is_written_as_ratio_metric_with_credits_in_annotations() -> None:
    """A metric-counted ratio becomes ratioMetric bad/total; its credit tiers go to attain.dev/fields."""
    objects = export_agreement(_shop())
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("Service", "shop"),
        ("Service", "checkout"),
        ("SLO", "errors"),
        ("SLO", "backups"),
    ]
    slo = objects[2]
    assert slo["metadata"]["displayName"] == "Few errors"
    assert slo["metadata"]["labels"] == {"attain.dev/agreement": "shop"}
    assert slo["spec"]["service"] == "checkout"
    assert slo["spec"]["indicator"]["spec"]["ratioMetric"] == {
        "bad": {"metricSource": {"type": "Prometheus", "spec": {"query": "errors_total"}}},
        "total": {"metricSource": {"type": "Prometheus", "spec": {"query": "requests_total"}}},
    }
    assert slo["spec"]["timeWindow"] == [{"duration": "28d", "isRolling": True}]
    assert slo["spec"]["budgetingMethod"] == "Occurrences"
    assert slo["spec"]["objectives"] == [{"target": Decimal("0.999")}]
    assert json.loads(slo["metadata"]["annotations"]["attain.dev/fields"]) == {
        "credits": [{"below": "99.9%", "credit": "10%"}]
    }


def test_freshness_objective_is_carried_whole_and_window_uses_agreement_zone() -> None:
    """A freshness objective is carried whole in attain.dev/objective; its calendar month is 1M in Europe/Berlin."""
    slo = export_agreement(_shop())[3]
    assert json.loads(slo["metadata"]["annotations"]["attain.dev/objective"]) == {
        "name": "backups",
        "indicator": {"kind": "freshness", "maxGap": "1d", "events": "backups"},
        "target": "99%",
        "window": {"calendar": "month"},
    }
    assert slo["spec"]["service"] == "shop"
    assert slo["spec"]["indicator"]["spec"]["ratioMetric"]["rawType"] == "success"
    assert slo["spec"]["indicator"]["spec"]["ratioMetric"]["raw"]["metricSource"]["type"] == "attain"
    assert slo["spec"]["timeWindow"] == [
        {
            "duration": "1M",
            "isRolling": False,
            "calendar": {"startTime": "2026-01-01 00:00:00", "timeZone": "Europe/Berlin"},
        }
    ]


def test_agreement_and_service_annotations_use_the_attain_prefix() -> None:
    """The agreement's Service carries attain.dev/agreement and attain.dev/parties; a service carries attain.dev/service."""
    objects = export_agreement(_shop())
    agreement_keys = set(objects[0]["metadata"]["annotations"])
    assert agreement_keys == {"attain.dev/agreement", "attain.dev/parties"}
    assert json.loads(objects[0]["metadata"]["annotations"]["attain.dev/parties"]) == {
        "provider": {"name": "P"},
        "customer": {"name": "C"},
    }
    assert json.loads(objects[1]["metadata"]["annotations"]["attain.dev/service"]) == {
        "name": "checkout",
        "title": "Checkout",
        "owner": "team-a",
    }
    assert objects[1]["spec"] == {}


def test_hand_written_agreement_round_trips_and_validates() -> None:
    """The two-objective agreement comes back equal and its export is valid OpenSLO."""
    agreement = _shop()
    imported, decoded = _through_yaml(agreement)
    assert imported == agreement
    assert validate_openslo(decoded) == []


def test_import_accepts_plain_data() -> None:
    """Importing the plain-data export (without YAML) gives the agreement back."""
    assert import_agreement(export_agreement(_shop())) == _shop()


def test_import_refuses_objects_without_an_exported_agreement() -> None:
    """Objects that carry no attain.dev/agreement annotation are refused with a clear problem."""
    objects = [o for o in export_agreement(_shop()) if o["metadata"]["name"] != "shop"]
    with pytest.raises(InvalidAgreement, match="found 0 exported agreements, expected 1"):
        import_agreement(objects)


def test_cli_export_writes_openslo_yaml(attain: Cli, tmp_path: Path) -> None:
    """`attain export FILE --format openslo --out OUT` writes YAML that imports back to the agreement."""
    source = tmp_path / "shop.yaml"
    source.write_text(dump_agreement(_shop()), encoding="utf-8")
    out = tmp_path / "out" / "shop.openslo.yaml"
    result = attain("export", source, "--format", "openslo", "--out", out)
    assert result.returncode == 0, result.stderr
    assert import_agreement(decode(read_text(out.read_text(encoding="utf-8")))) == _shop()
    printed = attain("export", source)
    assert printed.returncode == 0
    assert printed.stdout == out.read_text(encoding="utf-8")
