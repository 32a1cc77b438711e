"""Prometheus rules: formulas by hand, agreements mapped onto Sloth's layout, and promtool on the output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from attain.errors import InvalidInput
from attain.formats.sloth.windows import workbook_windows
from attain.rules import RuleOptions, prometheus_duration, promql_number
from attain.rules.burn_rate import burn_rate_factor
from attain.rules.document import VERSION
from attain.rules.validate import bracket_problem
from attain.services.rules import generate_rules, validate_inputs

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool missing (scripts/system-packages-prometheus)")

SPEC = """\
version: prometheus/v1
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ApiAvailabilityBurn
      page_alert: {labels: {severity: critical}}
      ticket_alert: {disable: true}
"""

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: api-latency}
spec:
  title: Public API latency and availability
  parties:
    provider: {name: Quill Payments API Ltd.}
    customer: {name: Harbor Marketplace Inc.}
  purpose: How fast and how reliably the public API answers.
  services: [{name: public-api}]
  effective: {from: 2027-01-01}
  objectives:
    - name: latency
      service: public-api
      indicator:
        kind: ratio
        valid: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_request_duration_seconds_count[{{.window}}]))'}}}
        good: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_request_duration_seconds_bucket{le="5"}[{{.window}}]))'}}}
      target: 95%
      window: {rolling: 28d}
      alerting: {preset: sre-workbook}
    - name: availability
      service: public-api
      indicator:
        kind: ratio
        valid: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total[{{.window}}]))'}}}
        bad: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))'}}}
      target: 99.9%
      window: {calendar: month}
      alerting: {preset: sre-workbook}
    - name: first-response
      indicator: {kind: threshold, events: requests, value: latency_ms, op: lt, bound: 300, unit: ms}
      target: 99%
      window: 28d
"""


def _load(text: str) -> list[Any]:
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc is not None]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _rules(paths: list[Path], **kwargs: Any) -> list[Any]:
    return _load(generate_rules(paths, RuleOptions(VERSION), **kwargs).text)


def _by_name(documents: list[Any]) -> dict[str, Any]:
    return {group["name"]: group for document in documents for group in document["groups"]}


def test_prometheus_durations_are_written_as_prometheus_does() -> None:
    """Durations use the largest exact units: 28 days is 4w, 30 days 30d, 36 hours 1d12h."""
    cases = {timedelta(days=28): "4w", timedelta(days=30): "30d", timedelta(hours=36): "1d12h", timedelta(0): "0s"}
    assert {prometheus_duration(value): text for value, text in cases.items()} == {
        text: text for text in cases.values()
    }


def test_numbers_are_exact_when_their_decimal_expansion_ends() -> None:
    """1/1000 prints as 0.001, 28/30 as its nearest double, 6 without a decimal point."""
    assert promql_number(Fraction(1, 1000)) == "0.001"
    assert promql_number(Fraction(28, 30)) == "0.9333333333333333"
    assert promql_number(Decimal("6.00")) == "6"


def test_workbook_factors_for_30_and_28_days() -> None:
    """Factors are budget% × period ÷ long window: 14.4, 6, 3, 1 for 30 d; 13.44, 5.6, 2.8, 28/30 for 28 d."""
    for days, expected in ((30, [14.4, 6, 3, 1]), (28, [13.44, 5.6, 2.8, 28 / 30])):
        windows = workbook_windows(timedelta(days=days))
        alerts = (windows.page_quick, windows.page_slow, windows.ticket_quick, windows.ticket_slow)
        assert [float(burn_rate_factor(a, windows.period)) for a in alerts] == pytest.approx(expected, rel=1e-12)


def test_unbalanced_queries_are_reported() -> None:
    """A missing closing parenthesis is found; brackets inside string literals are ignored."""
    assert bracket_problem('sum(rate(x{a="("}[{{.window}}])') == "unclosed '(' in the query"
    assert bracket_problem('sum(rate(x{a="("}[{{.window}}]))') is None


def test_agreement_objectives_map_onto_sloth_groups(tmp_path: Path) -> None:
    """Prometheus ratio objectives get Sloth's three groups; the threshold objective is skipped, not fatal."""
    path = _write(tmp_path, "api-latency.yaml", AGREEMENT)
    result = generate_rules([path], RuleOptions(VERSION), period=timedelta(days=30))
    groups = _by_name(_load(result.text))
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
    path = _write(tmp_path, "a.yaml", AGREEMENT)
    groups = _by_name(_rules([path], period=timedelta(days=30)))
    expr = groups["sloth-slo-sli-recordings-public-api-latency"]["rules"][0]["expr"]
    assert " ".join(expr.split()) == (
        '( 1 - ( ( sum(rate(http_request_duration_seconds_bucket{le="5"}[5m])) ) '
        "/ ( sum(rate(http_request_duration_seconds_count[5m])) ) ) )"
    )


def test_rolling_window_sets_the_period_without_the_option(tmp_path: Path) -> None:
    """Without --period a 28-day rolling objective records over 4w; a calendar month asks for --period."""
    path = _write(tmp_path, "a.yaml", AGREEMENT)
    with pytest.raises(InvalidInput, match="calendar window"):
        generate_rules([path], RuleOptions(VERSION))
    rolling_only = AGREEMENT.replace("window: {calendar: month}", "window: {rolling: 28d}")
    groups = _by_name(_rules([_write(tmp_path, "b.yaml", rolling_only)]))
    records = [r["record"] for r in groups["sloth-slo-sli-recordings-public-api-latency"]["rules"]]
    assert records[-1] == "slo:sli_error:ratio_rate4w"


def test_duplicate_ids_across_files_are_invalid(tmp_path: Path) -> None:
    """The same SLO id in two files is one problem, located in the second file."""
    first, second = _write(tmp_path, "a.yaml", SPEC), _write(tmp_path, "b.yaml", SPEC)
    problems = validate_inputs([first, second])
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("b.yaml", "SLO id 'api-availability' is defined twice")
    ]
    assert validate_inputs([first, second], ignore_duplicates=True) == []


def test_unknown_fields_are_refused(tmp_path: Path) -> None:
    """A misspelt key is an error with its place, not silently dropped."""
    path = _write(tmp_path, "a.yaml", SPEC.replace("objective: 99.9", "objectiv: 99.9"))
    problems = validate_inputs([path])
    assert any(p.path == "slos[0].objectiv" for p in problems), [str(p) for p in problems]


def _attain(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the rules command registered (until app.py imports it), as a user would."""
    code = "import attain.cli.rules; from attain.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def test_cli_writes_rules_and_reports_bad_labels(tmp_path: Path) -> None:
    """`attain rules` writes the file with the extra label; a malformed --extra-label exits 2."""
    spec, out = _write(tmp_path, "spec.yaml", SPEC), tmp_path / "rules.yaml"
    done = _attain("rules", str(spec), "--out", str(out), "--extra-label", "team=payments")
    assert done.returncode == 0, done.stderr
    first = _by_name(_load(out.read_text()))["sloth-slo-sli-recordings-api-availability"]["rules"][0]
    assert first["labels"]["team"] == "payments"
    bad = _attain("rules", str(spec), "--extra-label", "no-equals")
    assert bad.returncode == 2
    assert "--extra-label: not a label: 'no-equals'" in bad.stderr


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True, check=False)


@needs_promtool
def test_agreement_rules_pass_promtool_check(tmp_path: Path) -> None:
    """The api-latency-style agreement's rules pass `promtool check rules`."""
    path = _write(tmp_path, "a.yaml", AGREEMENT)
    out = _write(tmp_path, "rules.yaml", generate_rules([path], RuleOptions(VERSION), period=timedelta(days=30)).text)
    checked = _promtool("check", "rules", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _unit_test(tmp_path: Path, errors_per_minute: int, expected: list[dict[str, Any]]) -> None:
    """Run `promtool test rules` on SPEC's rules with 10,000 requests a minute, `errors_per_minute` of them 5xx."""
    rules = _write(
        tmp_path, "rules.yaml", generate_rules([_write(tmp_path, "spec.yaml", SPEC)], RuleOptions(VERSION)).text
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
