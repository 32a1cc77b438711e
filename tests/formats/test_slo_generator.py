"""google/slo-generator SLO configs read as attain objectives, checked against the samples by hand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.errors import InvalidAgreement
from attain.formats.foreign import ForeignObjectives
from attain.formats.slo_generator import Policies, objectives_from_slo_generator, read_policies
from attain.formats.source import read_file, read_text
from attain.model import Objective, RollingWindow

SAMPLES = Path(__file__).resolve().parents[1] / "conformance" / "data" / "slo-generator" / "samples"


def _policies() -> Policies:
    policies = Policies()
    [config] = read_file(SAMPLES / "config.yaml")
    read_policies(config, policies)
    return policies


def _read(path: str, policies: Policies | None = None) -> ForeignObjectives:
    [document] = read_file(SAMPLES / path)
    return objectives_from_slo_generator(document, policies if policies is not None else _policies())


def test_the_shared_config_gives_each_policy_its_longest_step_window() -> None:
    """default: steps of 3600, 43200, 604800, 2419200 s -> 28 days; cloud_service_monitoring: 86400, 172800 s -> 2 days."""
    assert _policies().windows == {"default": timedelta(days=28), "cloud_service_monitoring": timedelta(days=2)}


def test_prometheus_good_bad_ratio_becomes_a_prometheus_ratio() -> None:
    """filter_good and filter_valid are the good and valid Prometheus metrics; goal 0.999 is the target, exactly."""
    [data] = _read("prometheus/slo_prom_metrics_availability_ratio.yaml").objectives
    objective = Objective.model_validate(data)
    assert (objective.name, objective.service, objective.target) == (
        "prom-metrics-availability",
        "prom",
        Decimal("0.999"),
    )
    assert objective.window == RollingWindow(rolling=timedelta(days=28))
    assert objective.indicator.model_dump(mode="json", by_alias=True, exclude_none=True)["good"]["metric"] == {
        "type": "Prometheus",
        "spec": {"query": 'prometheus_http_requests_total{handler="/metrics", code=~"2.."}'},
    }


def test_prometheus_distribution_cut_becomes_a_threshold_of_250_ms() -> None:
    """threshold_bucket 0.25 (seconds, the `le` label) becomes latency le 0.25 s on the bucket series; goal 99.99%."""
    [data] = _read("prometheus/slo_prom_metrics_latency_distribution_cut.yaml").objectives
    objective = Objective.model_validate(data)
    indicator = objective.indicator.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert (indicator["kind"], indicator["op"], indicator["bound"], indicator["unit"]) == (
        "threshold",
        "le",
        "0.25",
        "s",
    )
    assert objective.target == Decimal("0.9999")


def test_the_slo_error_budget_policy_sets_the_window() -> None:
    """error_budget_policy cloud_service_monitoring: the longest step, 172800 s, is a 2-day rolling window."""
    [data] = _read("cloud_service_monitoring/slo_lb_request_availability.yaml").objectives
    assert Objective.model_validate(data).window == RollingWindow(rolling=timedelta(days=2))


def test_good_and_bad_without_valid_count_valid_as_their_sum() -> None:
    """Pub/Sub gives filter_good and filter_bad: valid keeps both, and the note says valid = good + bad."""
    result = _read("cloud_monitoring/slo_pubsub_subscription_throughput.yaml")
    [data] = result.objectives
    valid = data["indicator"]["valid"]["metric"]
    assert (valid["type"], sorted(valid["spec"])) == ("CloudMonitoring", ["bad", "good"])
    assert {(p.path, p.line) for p in result.unrepresented} == {
        ("metadata.labels", 6),
        ("spec.backend", 11),
        ("spec.service_level_indicator", 16),
        ("spec.error_budget_policy", 10),
        ("spec.exporters", 14),
    }


def test_without_a_policy_28_days_are_assumed_and_noted() -> None:
    """Read without the shared config, the SLO gets 28 rolling days and a note at spec.error_budget_policy."""
    result = _read("prometheus/slo_prom_metrics_availability_ratio.yaml", Policies())
    assert result.objectives[0]["window"] == {"rolling": "28d"}
    [note] = [p for p in result.unrepresented if p.path == "spec.error_budget_policy"]
    assert note.message == "no error budget policy 'default' was read with the SLO: a 28d rolling window is assumed"


def test_a_query_sli_is_kept_as_the_good_metric_and_noted() -> None:
    """query_sli computes the ratio in the backend: its expression is the good metric, no valid metric, noted."""
    result = _read("prometheus/slo_prom_metrics_availability_query_sli.yaml")
    indicator = result.objectives[0]["indicator"]
    assert sorted(indicator) == ["good", "kind"]
    assert indicator["good"]["metric"]["spec"]["method"] == "query_sli"
    assert "spec.service_level_indicator" in {p.path for p in result.unrepresented}


def test_a_goal_above_one_is_refused_at_its_line() -> None:
    """Goal 99.9 (a percentage where slo-generator wants a ratio) is refused, located at spec.goal."""
    text = (
        "apiVersion: sre.google.com/v2\nkind: ServiceLevelObjective\nmetadata: {name: x}\n"
        "spec:\n  backend: prometheus\n  method: good_bad_ratio\n  goal: 99.9\n"
    )
    [document] = read_text(text, "slo.yaml")
    with pytest.raises(InvalidAgreement) as raised:
        objectives_from_slo_generator(document, Policies())
    assert [(p.line, p.path) for p in raised.value.problems] == [(7, "spec.goal")]


SLO_TEXT = (
    "apiVersion: sre.google.com/v2\nkind: ServiceLevelObjective\nmetadata: {name: x}\n"
    "spec:\n  backend: prometheus\n  method: good_bad_ratio\n  goal: 0.99\n"
    "  service_level_indicator: {filter_good: good, filter_valid: valid}\n"
)


def _config(windows: list[int]) -> str:
    steps = "".join(f"    - {{name: s{i}, burn_rate_threshold: 1, window: {w}}}\n" for i, w in enumerate(windows))
    return f"error_budget_policies:\n  default:\n    steps:\n{steps}"


@given(st.lists(st.integers(min_value=1, max_value=366 * 24 * 60), min_size=1, max_size=6))
def test_the_window_is_the_longest_step_in_whole_minutes(minutes: list[int]) -> None:
    """For any steps of whole minutes, the objective's rolling window is exactly the longest step."""
    policies = Policies()
    [config] = read_text(_config([m * 60 for m in minutes]), "config.yaml")
    read_policies(config, policies)
    [document] = read_text(SLO_TEXT, "slo.yaml")
    [data] = objectives_from_slo_generator(document, policies).objectives
    assert Objective.model_validate(data).window == RollingWindow(rolling=timedelta(minutes=max(minutes)))


def test_a_longest_step_of_seconds_is_refused() -> None:
    """A longest step of 3601 s cannot be an attain window (whole minutes): refused at the SLO's policy."""
    policies = Policies()
    [config] = read_text(_config([60, 3601]), "config.yaml")
    read_policies(config, policies)
    [document] = read_text(SLO_TEXT, "slo.yaml")
    with pytest.raises(InvalidAgreement, match="its longest step window, 3601 s, is not whole minutes"):
        objectives_from_slo_generator(document, policies)
