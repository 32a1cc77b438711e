"""Unit tests of attain's OpenSLO support: durations, traps, located errors, encoding, conversion."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from attain.errors import InvalidAgreement
from attain.formats.openslo import (
    decode,
    dump_openslo,
    encode,
    load_openslo_file,
    objective_data,
    parse_shorthand,
    v1,
    validate_openslo,
    warn_openslo,
)
from attain.formats.source import read_text
from attain.model import Objective

CONFORMANCE = (
    Path(os.environ["ATTAIN_CONFORMANCE_DIR"])
    if "ATTAIN_CONFORMANCE_DIR" in os.environ
    else Path(__file__).resolve().parents[1] / "conformance" / "data"
)
OPENSLO = CONFORMANCE / "openslo"

SLO_HEADER = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
spec:
  service: shop
"""

RATIO_INDICATOR = """\
  indicator:
    metadata:
      name: checkout-success
    spec:
      ratioMetric:
        good:
          metricSource:
            type: Prometheus
            spec:
              query: good
        total:
          metricSource:
            type: Prometheus
            spec:
              query: total
"""


def _decode(text: str) -> list:
    return decode(read_text(text, "test.yaml"))


def _slo(body: str) -> v1.SLO:
    model = _decode(SLO_HEADER + body)[0].model
    assert isinstance(model, v1.SLO)
    return model


def test_lower_case_m_is_a_minute():
    """The duration shorthand `1m` is one minute, never a month."""
    assert parse_shorthand("1m") == (1, "minute")


def test_upper_case_m_is_a_month():
    """The duration shorthand `1M` is one month; Q is a quarter and Y a year."""
    assert parse_shorthand("1M") == (1, "month")
    assert parse_shorthand("2Q") == (2, "quarter")
    assert parse_shorthand("1Y") == (1, "year")
    assert parse_shorthand("28d") == (28, "day")
    assert parse_shorthand("2w") == (2, "week")


@pytest.mark.parametrize("text", ["1s", "0d", "m", "1 d", "1mo", ""])
def test_bad_shorthands_are_refused(text):
    """Seconds, zero counts, missing counts and spaces are not duration shorthands."""
    with pytest.raises(ValueError, match="duration shorthand"):
        parse_shorthand(text)


def test_bad_duration_in_a_document_is_located():
    """A window duration that is no shorthand is refused at its line."""
    body = RATIO_INDICATOR + "  timeWindow:\n  - duration: 30 days\n    isRolling: true\n"
    with pytest.raises(InvalidAgreement) as raised:
        _decode(SLO_HEADER + body)
    problem = raised.value.problems[0]
    assert (problem.line, problem.path) == (23, "spec.timeWindow[0].duration")
    assert "not a duration shorthand" in problem.message


def test_start_time_stays_a_naive_local_string():
    """An unquoted `startTime: 2022-01-01 12:00:00` stays text, read in the calendar's time zone."""
    (slo,) = load_openslo_file(OPENSLO / "spec-examples/v1/treat-low-traffic-as-equally-important/timeslices-slo.yaml")
    assert isinstance(slo.model, v1.SLO)
    window = slo.model.spec.time_window
    assert window is not None
    assert window[0].calendar == v1.Calendar(start_time="2022-01-01 12:00:00", time_zone="America/New_York")
    assert window[0].duration == "1w"
    assert window[0].is_rolling is False


def test_null_alert_policies_mean_none():
    """`alertPolicies:` with no value decodes as no policies and is left out when encoding."""
    (slo,) = load_openslo_file(OPENSLO / "spec-examples/v1/budgeting-method/occurences-slo.yaml")
    assert isinstance(slo.model, v1.SLO)
    assert slo.model.spec.alert_policies is None
    assert "alertPolicies" not in encode([slo])[0]["spec"]


def test_decimals_stay_exact():
    """Targets such as 0.995 decode to exact decimals, and YAML output writes them unchanged."""
    slo = _slo(RATIO_INDICATOR + "  objectives:\n  - target: 0.995\n    timeSliceTarget: 0.95\n")
    assert slo.spec.objectives is not None
    assert slo.spec.objectives[0].target == Decimal("0.995")
    assert str(slo.spec.objectives[0].target) == "0.995"
    assert "target: 0.995" in dump_openslo(_decode(SLO_HEADER + RATIO_INDICATOR + "  objectives:\n  - target: 0.995\n"))


def test_unknown_field_is_refused_with_its_line():
    """An unknown field is refused, named with its object's type, at its own line and column."""
    text = "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  description: Shop\n  markdown: x\n"
    with pytest.raises(InvalidAgreement) as raised:
        _decode(text)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column) == ("test.yaml", 7, 3)
    assert problem.path == "spec.markdown"
    assert problem.message == "unknown field 'spec.markdown' in openslo/v1 Service"


def test_unknown_field_in_a_list_names_the_path_inside_the_object():
    """In a YAML list, an unknown field's path is given relative to its object, at its line."""
    text = "- apiVersion: openslo/v1\n  kind: Service\n  metadata:\n    name: a\n    owner: me\n"
    with pytest.raises(InvalidAgreement) as raised:
        _decode(text)
    (problem,) = raised.value.problems
    assert (problem.line, problem.path) == (5, "metadata.owner")
    assert problem.message == "unknown field 'metadata.owner' in openslo/v1 Service"


def test_unsupported_api_version_is_refused():
    """An unknown apiVersion is refused at its line, naming the supported versions."""
    with pytest.raises(InvalidAgreement) as raised:
        _decode("apiVersion: foo\nkind: Service\nmetadata:\n  name: a\n")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column, problem.path) == (1, 13, "apiVersion")
    assert problem.message == "unsupported apiVersion 'foo'"
    assert "openslo/v1" in problem.hint


def test_unsupported_kind_is_refused():
    """A kind the apiVersion does not define is refused."""
    with pytest.raises(InvalidAgreement, match="unsupported kind 'SLI' in openslo/v1alpha"):
        _decode("apiVersion: openslo/v1alpha\nkind: SLI\nmetadata:\n  name: a\nspec: {}\n")


def test_wrong_type_is_refused_not_coerced():
    """A target written as text is refused rather than coerced to a number."""
    with pytest.raises(InvalidAgreement) as raised:
        _decode(SLO_HEADER + RATIO_INDICATOR + "  objectives:\n  - target: high\n")
    (problem,) = raised.value.problems
    assert (problem.line, problem.path) == (23, "spec.objectives[0].target")
    assert "expected a number" in problem.message


def test_every_problem_of_a_file_is_reported_at_once():
    """Problems in several documents are collected into one error, nothing is loaded partially."""
    text = "apiVersion: foo\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: openslo/v1\nkind: Nope\n"
    with pytest.raises(InvalidAgreement) as raised:
        _decode(text)
    assert [(p.line, p.path) for p in raised.value.problems] == [(1, "apiVersion"), (7, "kind")]


def test_op_on_a_ratio_decodes_and_is_only_a_warning():
    """`op: gt` on a ratioMetric objective decodes and validates; a warning says it is ignored."""
    objects = _decode(
        SLO_HEADER + RATIO_INDICATOR + "  budgetingMethod: Occurrences\n  objectives:\n  - op: gt\n    target: 0.99\n"
    )
    assert validate_openslo(objects) == []
    (problem,) = warn_openslo(objects)
    assert (problem.line, problem.path) == (24, "spec.objectives[0].op")
    assert problem.message == "forbidden (op is only for threshold metrics; this SLI is a ratioMetric), ignored"


def test_upper_case_name_warns_and_a_space_is_an_error():
    """A name wrong only by upper case is a warning; a name with a space stays an error."""
    upper = _decode(
        SLO_HEADER.replace("name: ", "name: Foo", 1)
        + RATIO_INDICATOR
        + "  budgetingMethod: Occurrences\n  objectives:\n  - target: 0.99\n"
    )
    spaced = _decode(
        SLO_HEADER.replace("name: ", "name: a b", 1)
        + RATIO_INDICATOR
        + "  budgetingMethod: Occurrences\n  objectives:\n  - target: 0.99\n"
    )
    assert [p.path for p in validate_openslo(upper)] == []
    assert [p.path for p in warn_openslo(upper)] == ["metadata.name"]
    assert [p.path for p in validate_openslo(spaced)] == ["metadata.name"]


def test_validation_accepts_new_york_and_refuses_unknown_zones():
    """America/New_York is a valid IANA zone; a made-up zone is reported at its line."""
    window = (
        "  timeWindow:\n  - duration: 1w\n    isRolling: false\n    calendar:\n      startTime: 2022-01-01 12:00:00\n"
    )
    tail = "  budgetingMethod: Occurrences\n  objectives:\n  - target: 0.99\n"
    good = _decode(SLO_HEADER + RATIO_INDICATOR + window + "      timeZone: America/New_York\n" + tail)
    assert validate_openslo(good) == []
    bad = _decode(SLO_HEADER + RATIO_INDICATOR + window + "      timeZone: Mars/Olympus\n" + tail)
    (problem,) = validate_openslo(bad)
    assert (problem.line, problem.path) == (27, "spec.timeWindow[0].calendar.timeZone")


def test_timeslices_need_slice_target_and_window():
    """Timeslices budgeting without timeSliceTarget and timeSliceWindow reports both."""
    objects = _decode(SLO_HEADER + RATIO_INDICATOR + "  budgetingMethod: Timeslices\n  objectives:\n  - target: 0.99\n")
    assert [p.path for p in validate_openslo(objects)] == [
        "spec.objectives[0].timeSliceTarget",
        "spec.objectives[0].timeSliceWindow",
    ]


def test_target_out_of_range_is_reported():
    """A target above 1 is reported; targets are ratios in [0, 1]."""
    objects = _decode(SLO_HEADER + RATIO_INDICATOR + "  budgetingMethod: Occurrences\n  objectives:\n  - target: 99\n")
    (problem,) = validate_openslo(objects)
    assert problem.path == "spec.objectives[0].target"
    assert problem.message == "must be between 0 and 1, got 99"


def test_dump_writes_one_document_or_a_stream():
    """One object dumps as a single document; several as a multi-document stream."""
    one = _decode("apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: a\n")
    assert dump_openslo(one) == "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: a\n"
    two = _decode(
        "- apiVersion: openslo/v1\n  kind: Service\n  metadata:\n    name: a\n"
        "- apiVersion: openslo/v1\n  kind: Service\n  metadata:\n    name: b\n"
    )
    text = dump_openslo(two)
    assert text.count("---") == 2
    assert decode(read_text(text)) == two


def test_ratio_timeslices_converts_to_an_attain_objective():
    """The spec's RatioTimeslices example becomes a ratio objective over a rolling 2 weeks."""
    (slo,) = load_openslo_file(OPENSLO / "spec-examples/v1/budgeting-method/ratio-timeslices.yaml")
    any_metric = {"metric": {"type": "Any", "spec": {"query": "Any"}}}
    assert objective_data(slo, {}) == [
        (
            "Good",
            {
                "name": "main-page",
                "title": "Good",
                "description": "Our main page should be available always",
                "indicator": {"kind": "ratio", "good": any_metric, "valid": any_metric},
                "target": Decimal("0.99"),
                "window": {"rolling": "2w"},
                "budgeting": {"method": "RatioTimeslices", "slice": "1m"},
            },
        )
    ]


def test_threshold_slo_converts_with_its_operator_and_bound():
    """The spec's Occurrences example becomes a threshold objective: value < 500 for 99%."""
    (slo,) = load_openslo_file(OPENSLO / "spec-examples/v1/budgeting-method/occurences-slo.yaml")
    ((title, data),) = objective_data(slo, {})
    assert title == "Good experience"
    assert data["indicator"] == {
        "kind": "threshold",
        "value": "search-latency",
        "op": "lt",
        "bound": Decimal(500),
        "metric": {"type": "Any", "spec": {"query": "Any"}},
    }
    assert (data["target"], data["window"], data["budgeting"]) == (
        Decimal("0.99"),
        {"rolling": "2w"},
        {"method": "Occurrences"},
    )


def test_calendar_week_converts_with_its_time_zone():
    """A 1w calendar window becomes `calendar: week` in America/New_York, with Timeslices budgeting."""
    path = OPENSLO / "spec-examples/v1/treat-low-traffic-as-equally-important/timeslices-slo.yaml"
    ((_, data),) = objective_data(load_openslo_file(path)[0], {})
    assert data["window"] == {"calendar": "week", "timeZone": "America/New_York"}
    assert data["budgeting"] == {"method": "Timeslices", "slice": "1m", "sliceTarget": Decimal("0.95")}
    assert data["target"] == Decimal("0.9995")


def test_one_minute_calendar_window_is_refused_not_reinterpreted():
    """The spec example's `duration: 1m` calendar window is one minute and cannot be converted."""
    (slo,) = load_openslo_file(OPENSLO / "spec-examples/v1/budgeting-method/timeslices-slo.yaml")
    with pytest.raises(InvalidAgreement) as raised:
        objective_data(slo, {})
    (problem,) = raised.value.problems
    assert (problem.line, problem.path) == (27, "spec.timeWindow[0].duration")
    assert problem.message == "calendar window '1m' (1 minute) is not supported"


def test_rolling_month_is_refused():
    """A rolling window of one month has no fixed length and is refused."""
    objects = _decode(
        SLO_HEADER + RATIO_INDICATOR + "  timeWindow:\n  - duration: 1M\n    isRolling: true\n"
        "  objectives:\n  - target: 0.99\n"
    )
    with pytest.raises(InvalidAgreement, match=r"rolling window of 1 month\(s\) has no fixed length"):
        objective_data(objects[0], {})


def test_indicator_ref_and_several_objectives():
    """IndicatorRef resolves through the SLIs given; several objectives get suffixed names."""
    text = (
        "apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: latency\nspec:\n  thresholdMetric:\n"
        "    metricSource:\n      type: Prometheus\n      metricSourceRef: prom\n      spec:\n        query: q\n"
        "---\n" + SLO_HEADER + "  indicatorRef: latency\n  timeWindow:\n  - duration: 28d\n    isRolling: true\n"
        "  objectives:\n  - displayName: Fast Enough\n    op: lte\n    value: 300\n    targetPercent: 99\n"
        "  - op: gte\n    value: 1\n    target: 0.5\n"
    )
    sli, slo = _decode(text)
    result = objective_data(slo, {"latency": sli})
    metric = {"type": "Prometheus", "spec": {"query": "q"}, "metricSourceRef": "prom"}
    assert [(title, data["name"], data["indicator"], data["target"]) for title, data in result] == [
        (
            "Fast Enough",
            "checkout-fast-enough",
            {"kind": "threshold", "value": "latency", "op": "le", "bound": Decimal(300), "metric": metric},
            Decimal("0.99"),
        ),
        (
            None,
            "checkout-1",
            {"kind": "threshold", "value": "latency", "op": "ge", "bound": Decimal(1), "metric": metric},
            Decimal("0.5"),
        ),
    ]
    for _, data in result:
        assert Objective.model_validate(data, by_alias=True, by_name=False).window.rolling.days == 28


def test_unresolved_indicator_ref_is_refused():
    """An indicatorRef naming no known SLI cannot be converted."""
    objects = _decode(
        SLO_HEADER + "  indicatorRef: nowhere\n  timeWindow:\n  - duration: 28d\n    isRolling: true\n"
        "  objectives:\n  - target: 0.99\n"
    )
    with pytest.raises(InvalidAgreement, match="indicatorRef 'nowhere' names no openslo/v1 SLI"):
        objective_data(objects[0], {})


# Conformance files holding openslo/v1 SLOs, with the number of attain objectives each converts to
# (None: not convertible, with the reason).
CONVERTIBLE = {
    "spec-examples/v1/budgeting-method/occurences-slo.yaml": 1,
    "spec-examples/v1/budgeting-method/ratio-timeslices.yaml": 1,
    "spec-examples/v1/budgeting-method/timeslices-slo.yaml": None,  # 1m calendar window (one minute)
    "spec-examples/v1/treat-low-traffic-as-equally-important/timeslices-slo.yaml": 1,
    "go-sdk-examples/v1/slos.yaml": 1,
    "go-sdk-codec/decode/v1_slos.yaml": None,  # no timeWindow
    "go-sdk-codec/encode/v1_slo.json": None,  # no timeWindow
    "go-sdk-codec/encode/v1_slo.yaml": None,  # no timeWindow
    "oslo-validate-invalid/v1.yaml": 1,
}


@pytest.mark.parametrize(("name", "count"), CONVERTIBLE.items())
def test_conformance_slos_convert_to_valid_attain_objectives(name, count):
    """Every convertible v1 SLO of the conformance files converts to objectives attain accepts."""
    slos = [o for o in load_openslo_file(OPENSLO / name) if isinstance(o.model, v1.SLO)]
    assert len(slos) == 1
    if count is None:
        with pytest.raises(InvalidAgreement):
            objective_data(slos[0], {})
        return
    result = objective_data(slos[0], {})
    assert len(result) == count
    for _, data in result:
        Objective.model_validate(data, by_alias=True, by_name=False)


def test_v1alpha_objectives_need_a_value():
    """A v1alpha objective without value is reported, as the reference validator requires it."""
    text = (
        "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: a\nspec:\n  service: s\n"
        "  budgetingMethod: Occurrences\n  timeWindows:\n  - unit: Day\n    count: 28\n    isRolling: true\n"
        "  indicator:\n    thresholdMetric:\n      source: prometheus\n      queryType: promql\n      query: q\n"
        "  objectives:\n  - op: lte\n    target: 0.99\n"
    )
    (problem,) = validate_openslo(_decode(text))
    assert (problem.line, problem.path, problem.message) == (18, "spec.objectives[0].value", "required but empty")
