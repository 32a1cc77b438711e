"""`attain rules` on files: agreements mapped onto Sloth's layout, validation across files, promtool on the output."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from attain.errors import InvalidInput
from attain.rules import RuleOptions
from attain.rules.document import VERSION
from attain.services.rules import generate_rules, validate_inputs
from rules_support import AGREEMENT, SPEC, groups_by_name, load_yaml, write_file

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool missing (scripts/system-packages-prometheus)")


def _rules(paths: list[Path], **kwargs: Any) -> list[Any]:
    return load_yaml(generate_rules(paths, RuleOptions(VERSION), **kwargs).text)


def test_agreement_objectives_map_onto_sloth_groups(tmp_path: Path) -> None:
    """Prometheus ratio objectives get Sloth's three groups; the threshold objective is skipped, not fatal."""
    path = write_file(tmp_path, "api-latency.yaml", AGREEMENT)
    result = generate_rules([path], RuleOptions(VERSION), period=timedelta(days=30))
    groups = groups_by_name(load_yaml(result.text))
    assert list(groups) == [
        f"sloth-slo-{kind}-public-api-{name}"
        for name in ("latency", "availability")
        for kind in ("sli-recordings", "meta-recordings", "alerts")
    ]
    assert result.skipped == ["api-latency/first-response: a threshold indicator, not a ratio"]
    info = groups["sloth-slo-meta-recordings-public-api-availability"]["rules"][-1]["labels"]
    assert info["sloth_objective"] == "99.9"
    assert info["sloth_spec"] == "attain/v1"


def test_good_over_valid_becomes_one_minus_the_ratio(tmp_path: Path) -> None:
    """A good/valid objective's error ratio is 1 - good/valid, over each window."""
    path = write_file(tmp_path, "a.yaml", AGREEMENT)
    groups = groups_by_name(_rules([path], period=timedelta(days=30)))
    expr = groups["sloth-slo-sli-recordings-public-api-latency"]["rules"][0]["expr"]
    assert " ".join(expr.split()) == (
        '( 1 - ( ( sum(rate(http_request_duration_seconds_bucket{le="5"}[5m])) ) '
        "/ ( sum(rate(http_request_duration_seconds_count[5m])) ) ) )"
    )


def test_rolling_window_sets_the_period_without_the_option(tmp_path: Path) -> None:
    """Without --period a 28-day rolling objective records over 4w; a calendar month asks for --period."""
    path = write_file(tmp_path, "a.yaml", AGREEMENT)
    with pytest.raises(InvalidInput, match="calendar window"):
        generate_rules([path], RuleOptions(VERSION))
    rolling_only = AGREEMENT.replace("window: {calendar: month}", "window: {rolling: 28d}")
    groups = groups_by_name(_rules([write_file(tmp_path, "b.yaml", rolling_only)]))
    records = [r["record"] for r in groups["sloth-slo-sli-recordings-public-api-latency"]["rules"]]
    assert records[-1] == "slo:sli_error:ratio_rate4w"


def test_duplicate_ids_across_files_are_invalid(tmp_path: Path) -> None:
    """The same SLO id in two files is one problem, located in the second file."""
    first, second = write_file(tmp_path, "a.yaml", SPEC), write_file(tmp_path, "b.yaml", SPEC)
    problems = validate_inputs([first, second])
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("b.yaml", "SLO id 'api-availability' is defined twice")
    ]
    assert validate_inputs([first, second], ignore_duplicates=True) == []


def test_unknown_fields_are_refused(tmp_path: Path) -> None:
    """A misspelt key is an error with its place, not silently dropped."""
    path = write_file(tmp_path, "a.yaml", SPEC.replace("objective: 99.9", "objectiv: 99.9"))
    problems = validate_inputs([path])
    assert any(p.path == "slos[0].objectiv" for p in problems), [str(p) for p in problems]


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True, check=False)


@needs_promtool
def test_agreement_rules_pass_promtool_check(tmp_path: Path) -> None:
    """The api-latency-style agreement's rules pass `promtool check rules`."""
    path = write_file(tmp_path, "a.yaml", AGREEMENT)
    out = write_file(
        tmp_path, "rules.yaml", generate_rules([path], RuleOptions(VERSION), period=timedelta(days=30)).text
    )
    checked = _promtool("check", "rules", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _unit_test(tmp_path: Path, errors_per_minute: int, expected: list[dict[str, Any]]) -> None:
    """Run `promtool test rules` on SPEC's rules with 10,000 requests a minute, `errors_per_minute` of them 5xx."""
    rules = write_file(
        tmp_path, "rules.yaml", generate_rules([write_file(tmp_path, "spec.yaml", SPEC)], RuleOptions(VERSION)).text
    )
    test = {
        "rule_files": [str(rules)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": 'http_requests_total{code="200"}', "values": f"0+{10000 - errors_per_minute}x240"},
                    {"series": 'http_requests_total{code="500"}', "values": f"0+{errors_per_minute}x240"},
                ],
                "alert_rule_test": [{"eval_time": "2h", "alertname": "ApiAvailabilityBurn", "exp_alerts": expected}],
            }
        ],
    }
    test_file = tmp_path / "test.yaml"
    with test_file.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(test, stream)
    result = _promtool("test", "rules", str(test_file))
    assert result.returncode == 0, result.stdout + result.stderr


PAGE = {
    "exp_labels": {
        "severity": "critical",
        "sloth_id": "api-availability",
        "sloth_service": "api",
        "sloth_severity": "page",
        "sloth_slo": "availability",
    },
    "exp_annotations": {
        "title": "(page) api availability SLO error budget burn rate is too fast.",
        "summary": "api availability SLO error budget burn rate is over expected.",
    },
}


@needs_promtool
def test_page_alert_fires_at_a_14_4_burn(tmp_path: Path) -> None:
    """At 144 errors in 10,000 requests (a 14.4× burn of a 99.9% 30-day budget) the page alert fires."""
    _unit_test(tmp_path, 144, [PAGE])


@needs_promtool
def test_page_alert_is_silent_at_half_the_budget_rate(tmp_path: Path) -> None:
    """At 5 errors in 10,000 requests (a 0.5× burn) no alert fires."""
    _unit_test(tmp_path, 5, [])
