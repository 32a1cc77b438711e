"""Every Pyrra spec and Sloth example listed in manifest.json loads as attain objectives, with notes."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from attain.errors import InvalidAgreement
from attain.formats.foreign import ForeignObjectives, objectives_from_pyrra, objectives_from_sloth
from attain.formats.source import read_file, read_text
from attain.model import Objective, RollingWindow

DATA = Path(__file__).parent / "data"
MANIFEST: dict[str, Any] = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
PYRRA = [entry for entry in MANIFEST["files"] if entry["path"].startswith("pyrra/")]
SLOTH = [entry for entry in MANIFEST["files"] if entry["path"].startswith("sloth/examples/")]


def _load(path: str) -> list[ForeignObjectives]:
    """Convert every document of a manifest file with the loader for its folder."""
    convert = objectives_from_pyrra if path.startswith("pyrra/") else objectives_from_sloth
    return [convert(document) for document in read_file(DATA / path)]


def _objectives(path: str) -> list[Objective]:
    return [Objective.model_validate(data) for result in _load(path) for data in result.objectives]


def _notes(path: str) -> set[str]:
    return {problem.path for result in _load(path) for problem in result.unrepresented}


def test_manifest_lists_the_expected_numbers_of_files() -> None:
    """The manifest lists 28 Pyrra files holding 29 specs and 11 Sloth examples."""
    assert len(PYRRA) == 28
    assert sum(len(entry["objects"]) for entry in PYRRA) == 29
    assert len(SLOTH) == 11


@pytest.mark.parametrize("entry", PYRRA, ids=lambda entry: entry["path"])
def test_every_pyrra_spec_yields_valid_objectives_named_as_listed(entry: dict[str, Any]) -> None:
    """Each Pyrra file gives one valid attain objective per listed object, with the object's name."""
    objectives = _objectives(entry["path"])
    assert [objective.name for objective in objectives] == [obj["name"] for obj in entry["objects"]]


@pytest.mark.parametrize("entry", SLOTH, ids=lambda entry: entry["path"])
def test_every_sloth_example_yields_valid_objectives(entry: dict[str, Any]) -> None:
    """Each Sloth example gives at least one valid attain objective per document."""
    results = _load(entry["path"])
    assert results
    for result in results:
        assert result.objectives
        for data in result.objectives:
            Objective.model_validate(data)


HAND_CHECKED = [
    ("pyrra/examples/nginx.yaml", [("nginx-api-errors", "0.999", 28), ("nginx-api-latency", "0.90", 28)]),
    ("pyrra/examples/parca-grpc-queryrange-errors.yaml", [("parca-grpc-queryrange-errors", "0.99", 14)]),
    ("pyrra/docker-compose/prometheus-http.yaml", [("prometheus-api-query", "0.99", 7)]),
    ("pyrra/examples/pyrra-filesystem-errors.yaml", [("pyrra-filesystem-errors", "0.99", 7)]),
    ("pyrra/kubernetes-slos/slo-coredns-response-errors.yaml", [("coredns-response-errors", "0.9999", 14)]),
    (
        "sloth/examples/home-wifi.yml",
        [("good-wifi-client-satisfaction", "0.95", 30), ("risk-wifi-client-satisfaction", "0.999", 30)],
    ),
    (
        "sloth/examples/k8s-multifile.yml",
        [("requests-availability", "0.999", 30), ("requests-availability", "0.9999", 30)],
    ),
    ("sloth/examples/no-alerts.yml", [("http-availability", "0.9999", 30)]),
    (
        "sloth/examples/openslo-kubernetes-apiserver.yml",
        [
            ("requests-availability-openslo-0", "0.999", 30),
            ("requests-latency-openslo-0", "0.99", 30),
            ("requests-latency-openslo-1", "0.999", 30),
        ],
    ),
]


@pytest.mark.parametrize(("path", "expected"), HAND_CHECKED, ids=[case[0] for case in HAND_CHECKED])
def test_targets_and_windows_match_the_specs(path: str, expected: list[tuple[str, str, int]]) -> None:
    """Targets (percent ÷ 100) and rolling windows in days are those written in the spec."""
    found = [
        (o.name, o.target, o.window.rolling if isinstance(o.window, RollingWindow) else None) for o in _objectives(path)
    ]
    assert found == [(name, Decimal(target), timedelta(days=days)) for name, target, days in expected]


def test_pyrra_ratio_counts_errors_as_bad_and_total_as_valid() -> None:
    """A Pyrra ratio's errors metric is the bad metric and its total the valid metric."""
    [objective] = _objectives("pyrra/examples/pyrra-filesystem-errors.yaml")
    assert objective.indicator.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "kind": "ratio",
        "valid": {
            "where": {},
            "whereNot": {},
            "metric": {"type": "Prometheus", "spec": {"query": "pyrra_filesystem_reconciles_total"}},
        },
        "bad": {
            "where": {},
            "whereNot": {},
            "metric": {"type": "Prometheus", "spec": {"query": "pyrra_filesystem_reconciles_errors_total"}},
        },
    }


def test_pyrra_native_latency_becomes_a_threshold_of_200_ms() -> None:
    """LatencyNative with latency 200ms becomes a threshold latency ≤ 0.2 s on the histogram query."""
    [objective] = _objectives("pyrra/examples/pyrra-connect-latency.yaml")
    data = objective.indicator.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert (data["kind"], data["op"], data["bound"], data["unit"]) == ("threshold", "le", "0.2", "s")


NOTED = [
    ("pyrra/examples/caddy-response-latency.yaml", set()),
    ("pyrra/examples/prometheus-http.yaml", {"metadata.labels", "spec.indicator.ratio.grouping"}),
    (
        "pyrra/examples/pyrra-connect-latency.yaml",
        {
            "metadata.namespace",
            "metadata.labels",
            "spec.indicator.latencyNative",
            "spec.indicator.latencyNative.grouping",
        },
    ),
    (
        "pyrra/examples/prometheus-probe-success.yaml",
        {"metadata.labels", "spec.indicator.bool_gauge", "spec.indicator.bool_gauge.grouping"},
    ),
    ("sloth/examples/no-alerts.yml", {"labels", "slos[0]"}),
    (
        "sloth/examples/raw-home-wifi.yml",
        {
            "labels",
            "slos[0]",
            "slos[0].sli.raw",
            "slos[0].alerting.name",
            "slos[0].alerting.page_alert.labels",
            "slos[0].alerting.ticket_alert.labels",
        },
    ),
    (
        "sloth/examples/getting-started.yml",
        {
            "labels",
            "slos[0]",
            "slos[0].alerting.name",
            "slos[0].alerting.labels",
            "slos[0].alerting.annotations",
            "slos[0].alerting.page_alert.labels",
            "slos[0].alerting.ticket_alert.labels",
        },
    ),
    ("sloth/examples/openslo-getting-started.yml", set()),
]


@pytest.mark.parametrize(("path", "expected"), NOTED, ids=[case[0] for case in NOTED])
def test_unrepresentable_features_are_listed(path: str, expected: set[str]) -> None:
    """Grouping, alert names and labels, Kubernetes metadata and assumed windows are each reported at their path."""
    assert _notes(path) == expected


def test_sloth_alerts_become_the_sre_workbook_tiers_unless_disabled() -> None:
    """Enabled page and ticket alerts give the sre-workbook preset; disabled ones give no alerting."""
    [enabled] = _objectives("sloth/examples/getting-started.yml")
    [disabled] = _objectives("sloth/examples/no-alerts.yml")
    assert enabled.alerting is not None
    assert enabled.alerting.preset == "sre-workbook"
    assert disabled.alerting is None


PLUGIN = """\
version: prometheus/v1
service: svc
slos:
  - name: by-plugin
    objective: 99
    sli: {plugin: {id: sloth-common/availability}}
  - name: by-events
    objective: 99.5
    sli: {events: {error_query: errors, total_query: total}}
    alerting: {page_alert: {disable: true}}
"""


def test_sloth_plugin_slo_is_skipped_and_reported() -> None:
    """An SLO computed by a Sloth plugin is reported and skipped; a page-less SLO keeps only ticket tiers."""
    [document] = read_text(PLUGIN)
    result = objectives_from_sloth(document)
    assert [data["name"] for data in result.objectives] == ["by-events"]
    plugin = [p for p in result.unrepresented if p.path == "slos[0].sli.plugin"]
    assert [p.message for p in plugin] == ["SLI plugin 'sloth-common/availability': objective skipped"]
    alerting = Objective.model_validate(result.objectives[0]).alerting
    assert alerting is not None
    assert [(tier.severity, tier.long_window) for tier in alerting.tiers] == [
        ("ticket", timedelta(days=1)),
        ("ticket", timedelta(days=3)),
    ]


def test_unsupported_sloth_version_and_bad_pyrra_target_are_refused() -> None:
    """Sloth version prometheus/v999 and a Pyrra target above 100 are refused with located problems."""
    [sloth_doc] = read_text("version: prometheus/v999\nslos: []\n")
    with pytest.raises(InvalidAgreement, match="unsupported version 'prometheus/v999'"):
        objectives_from_sloth(sloth_doc)
    pyrra_text = (
        "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: x}\n"
        "spec: {target: '120', window: 2w, indicator: {bool_gauge: {metric: up}}}\n"
    )
    [pyrra_doc] = read_text(pyrra_text)
    with pytest.raises(InvalidAgreement, match="target must be between 0 and 100, got 120"):
        objectives_from_pyrra(pyrra_doc)
