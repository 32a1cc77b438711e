"""Loading agreements together with OpenSLO documents, and references between them."""

from __future__ import annotations

import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from attain.formats.bundle import load_bundle
from attain.model import BudgetingMethod, RatioIndicator

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance" / "data" / "openslo"

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Shop
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: x
  effective: {from: 2026-01-01}
  services: [{name: web-shop}]
  objectives:
    - openslo: main-page
      service: web-shop
      credits: [{below: 99%, credit: 10%}]
"""

SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: main-page}
spec:
  service: web-shop
  indicator:
    metadata: {name: codes}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(ok[5m]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(all[5m]))'}}}
  timeWindow: [{duration: 2w, isRolling: true}]
  budgetingMethod: RatioTimeslices
  objectives: [{displayName: Good, timeSliceWindow: 1m, target: 0.99}]
"""


def test_agreement_objective_comes_from_an_openslo_slo(tmp_path: Path) -> None:
    """`openslo: NAME` takes indicator, target, window and budgeting from the SLO; the entry adds credits."""
    (tmp_path / "a.yaml").write_text(AGREEMENT, encoding="utf-8")
    (tmp_path / "slo.yaml").write_text(SLO, encoding="utf-8")
    bundle = load_bundle([tmp_path / "a.yaml", tmp_path / "slo.yaml"])
    assert bundle.problems == []
    [objective] = bundle.agreements[0].objectives
    assert objective.name == "main-page"
    assert objective.target == Decimal("0.99")
    assert objective.window.rolling == timedelta(weeks=2)  # type: ignore[union-attr]
    assert (objective.budgeting.method, objective.budgeting.slice) == (
        BudgetingMethod.RATIO_TIMESLICES,
        timedelta(minutes=1),
    )
    assert isinstance(objective.indicator, RatioIndicator)
    assert objective.indicator.good is not None
    assert objective.indicator.good.metric is not None
    assert objective.indicator.good.metric.spec == {"query": "sum(rate(ok[5m]))"}
    assert objective.credits[0].credit == Decimal("0.1")


def test_same_file_multi_document_works(tmp_path: Path) -> None:
    """An agreement and its SLO may share one file as two YAML documents."""
    (tmp_path / "both.yaml").write_text(AGREEMENT + "---\n" + SLO, encoding="utf-8")
    bundle = load_bundle([tmp_path / "both.yaml"])
    assert bundle.problems == []
    assert [o.name for o in bundle.agreements[0].objectives] == ["main-page"]


def test_missing_slo_is_a_located_problem(tmp_path: Path) -> None:
    """A reference to an SLO that no loaded file defines names the field and the fix."""
    (tmp_path / "a.yaml").write_text(AGREEMENT, encoding="utf-8")
    bundle = load_bundle([tmp_path / "a.yaml"])
    assert [str(p) for p in bundle.problems] == [
        f"{tmp_path / 'a.yaml'}:11:16: spec.objectives[0].openslo: no openslo/v1 SLO named 'main-page'; "
        "pass the file that defines it (SLOs: none was loaded)"
    ]


def test_unknown_documents_and_broken_files_are_all_reported(tmp_path: Path) -> None:
    """Every file's problems are collected: an unknown apiVersion and a syntax error both show."""
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    bundle = load_bundle([tmp_path / "k8s.yaml", tmp_path / "bad.yaml"])
    assert [(Path(p.file).name, p.line, p.message) for p in bundle.problems] == [
        ("k8s.yaml", 1, "unsupported apiVersion 'v1'"),
        ("bad.yaml", 2, "not valid YAML: did not find expected node content"),
    ]


def test_the_openslo_conformance_examples_validate_beside_an_agreement(tmp_path: Path) -> None:
    """The spec's RatioTimeslices example converts into an objective of an agreement."""
    source = CONFORMANCE / "spec-examples" / "v1" / "budgeting-method" / "ratio-timeslices.yaml"
    shutil.copy(source, tmp_path / "slo.yaml")
    (tmp_path / "a.yaml").write_text(AGREEMENT, encoding="utf-8")
    bundle = load_bundle([tmp_path / "a.yaml", tmp_path / "slo.yaml"])
    objective = bundle.agreements[0].objectives[0]
    assert objective.target == Decimal("0.99")
    assert objective.title == "Good"
