"""Drafting an agreement from other tools' SLO files: exact objectives, and every unmapped item listed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.formats.imports import Imported, draft_agreement
from attain.formats.source import read_file, read_text
from attain.model import Agreement, Budgeting, RollingWindow

DATA = Path(__file__).resolve().parents[1] / "conformance" / "data"
TODAY = date(2026, 12, 5)


def _draft(*paths: str, name: str = "imported") -> Imported:
    return draft_agreement([d for p in paths for d in read_file(DATA / p)], name=name, today=TODAY)


def _agreement(imported: Imported) -> Agreement:
    """The drafted YAML read back as `attain validate` reads it (with no problem)."""
    bundle = load_bundle_text(imported.text(), "imported.yaml")
    assert bundle.problems == []
    [agreement] = bundle.agreements
    return agreement


def test_the_openslo_ratio_timeslices_example_keeps_target_window_and_slices() -> None:
    """main-page: target 0.99, a rolling 2w window is 14 days, RatioTimeslices of 1m; the ignored op is listed."""
    imported = _draft("openslo/spec-examples/v1/budgeting-method/ratio-timeslices.yaml", name="web")
    agreement = _agreement(imported)
    [objective] = agreement.objectives
    assert (objective.name, objective.title, objective.service) == ("main-page", "Good", "web-shop")
    assert objective.target == Decimal("0.99")
    assert objective.window == RollingWindow(rolling=timedelta(days=14))
    assert objective.budgeting == Budgeting(method="RatioTimeslices", slice=timedelta(minutes=1))
    assert [s.name for s in agreement.spec.services] == ["web-shop"]
    assert [(p.line, p.path) for p in imported.unmapped] == [(32, "spec.objectives[0].op")]


def test_sloth_objectives_of_the_same_name_are_renamed_and_their_services_declared() -> None:
    """k8s-multifile holds requests-availability twice (99.9% and 99.99%): the second becomes -2, noted."""
    imported = _draft("sloth/examples/k8s-multifile.yml")
    agreement = _agreement(imported)
    assert [(o.name, o.service, o.target) for o in agreement.objectives] == [
        ("requests-availability", "myservice", Decimal("0.999")),
        ("requests-availability-2", "myservice2", Decimal("0.9999")),
    ]
    assert [s.name for s in agreement.spec.services] == ["myservice", "myservice2"]
    renamed = [p.message for p in imported.unmapped if p.file == "<imported agreement>"]
    assert renamed == [
        "objective 'requests-availability' is named 'requests-availability-2' (names are unique RFC 1123 labels)"
    ]


def test_tools_mix_in_one_agreement_with_exact_targets_and_windows() -> None:
    """A Pyrra spec (99.9% over 4w) and a slo-generator SLO (goal 0.95, default policy 28d) share one agreement."""
    imported = _draft(
        "pyrra/examples/nginx.yaml",
        "slo-generator/samples/test/test2.yaml",
        "slo-generator/samples/config.yaml",
    )
    agreement = _agreement(imported)
    assert [(o.name, o.target, o.window) for o in agreement.objectives] == [
        ("nginx-api-errors", Decimal("0.999"), RollingWindow(rolling=timedelta(days=28))),
        ("nginx-api-latency", Decimal("0.90"), RollingWindow(rolling=timedelta(days=28))),
        ("slo-generator-availability", Decimal("0.95"), RollingWindow(rolling=timedelta(days=28))),
    ]
    assert agreement.spec.effective.from_ == TODAY
    assert [f for f, what in imported.read_as if what == "slo-generator config"] == [
        str(DATA / "slo-generator/samples/config.yaml")
    ]


def test_every_unmapped_item_is_a_comment_of_the_yaml_and_a_json_entry() -> None:
    """Each unmapped problem is one `#   FILE:LINE:COL: path: message` line and one JSON entry."""
    imported = _draft("sloth/examples/getting-started.yml")
    comments = [line[4:] for line in imported.text().splitlines() if line.startswith("#   ")]
    assert comments == [str(p) for p in imported.unmapped]
    assert len(comments) == 7  # labels, the assumed window, alert name, labels, annotations, page and ticket labels
    assert [entry["text"] for entry in imported.as_dict()["unmapped"]] == comments


def test_an_agreement_among_the_inputs_is_listed_not_imported() -> None:
    """An attain/v1 Agreement given to import is reported (validate or apply it as it is), not merged."""
    agreement = "apiVersion: attain/v1\nkind: Agreement\nmetadata: {name: a}\nspec: {}\n"
    documents = read_text(agreement, "a.yaml") + read_file(DATA / "sloth/examples/no-alerts.yml")
    imported = draft_agreement(documents, name="x", today=TODAY)
    assert [(p.file, p.message) for p in imported.unmapped if p.file == "a.yaml"] == [
        ("a.yaml", "already an attain/v1 Agreement: not imported")
    ]


def test_unknown_documents_and_files_without_objectives_are_refused() -> None:
    """A document of no known format is an error; OpenSLO Services alone give no objective to import."""
    with pytest.raises(InvalidInput, match="not a document attain import reads"):
        draft_agreement(read_text("apiVersion: other/v1\nkind: Thing\n", "t.yaml"), name="x", today=TODAY)
    with pytest.raises(InvalidInput, match="no objective to import"):
        _draft("openslo/go-sdk-examples/v1/services.yaml")


SLO_BY_REFERENCE = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout}
spec:
  service: shop
  indicatorRef: checkout-errors
  timeWindow: [{duration: 4w, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.995}]
"""
SLIS = """\
apiVersion: openslo/v1
kind: SLI
metadata: {name: checkout-errors}
spec:
  ratioMetric:
    counter: true
    good: {metricSource: {type: Prometheus, spec: {query: good}}}
    total: {metricSource: {type: Prometheus, spec: {query: total}}}
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: spare}
spec:
  thresholdMetric: {metricSource: {type: Prometheus, spec: {query: latency}}}
"""


def test_an_slo_finds_its_sli_in_another_file_and_an_unused_sli_is_listed() -> None:
    """An SLO's indicatorRef resolves across files (0.995 over 4w = 28 days); an SLI no SLO names is listed."""
    documents = read_text(SLO_BY_REFERENCE, "slo.yaml") + read_text(SLIS, "slis.yaml")
    imported = draft_agreement(documents, name="shop", today=TODAY)
    [objective] = _agreement(imported).objectives
    assert (objective.name, objective.target) == ("checkout", Decimal("0.995"))
    assert objective.window == RollingWindow(rolling=timedelta(days=28))
    assert [(p.file, p.line, p.message) for p in imported.unmapped] == [
        ("slis.yaml", 10, "openslo/v1 SLI 'spare': no SLO read with it names it")
    ]
