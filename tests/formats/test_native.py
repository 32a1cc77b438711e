"""The attain/v1 format: valid agreements load, invalid ones get located, actionable problems."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from attain.errors import InvalidAgreement
from attain.formats.native import agreement_warnings, dump_agreement, parse_agreement
from attain.formats.source import read_text
from attain.model import CalendarUnit, CalendarWindow, ThresholdIndicator

BASE = """\
apiVersion: attain/v1
kind: Agreement
metadata:
  name: shop
spec:
  title: Shop SLA
  timeZone: Europe/Berlin
  parties:
    provider: {name: Provider GmbH}
    customer: {name: Customer AG}
  purpose: Keeps the shop fast.
  effective: {from: 2026-01-01}
  fee: {amount: "1000.00", currency: EUR}
  services: [{name: shop}]
  objectives:
    - name: page-load
      service: shop
      indicator: {kind: threshold, events: views, value: load_ms, op: lt, bound: 2s, unit: ms}
      target: 95%
      window: {calendar: month}
      credits:
        - {below: 95%, atLeast: 90%, credit: 10%}
        - {below: 90%, credit: 25%}
"""


def load(text: str):
    """Parse the one document in `text`."""
    [document] = read_text(text, "shop.yaml")
    return parse_agreement(document)


def problems(text: str) -> list[str]:
    """The problems `text` has, as printed lines."""
    with pytest.raises(InvalidAgreement) as caught:
        load(text)
    return [str(p) for p in caught.value.problems]


def test_a_valid_agreement_loads_with_exact_values() -> None:
    """Targets, bounds, tiers and money come out exact and typed."""
    agreement = load(BASE)
    objective = agreement.spec.objective("page-load")
    assert objective.target == Decimal("0.95")
    assert isinstance(objective.indicator, ThresholdIndicator)
    assert objective.indicator.bound == Decimal(2000)
    assert objective.indicator.unit == "ms"
    assert objective.window == CalendarWindow(calendar=CalendarUnit.MONTH)
    assert [t.credit for t in objective.credits] == [Decimal("0.1"), Decimal("0.25")]
    assert agreement.spec.fee is not None
    assert agreement.spec.fee.amount == Decimal("1000.00")
    assert agreement.spec.effective.from_ == date(2026, 1, 1)


def test_dump_reads_back_to_an_equal_agreement() -> None:
    """Canonical YAML output parses back to the same model."""
    agreement = load(BASE)
    assert load(dump_agreement(agreement)) == agreement


def test_unknown_field_names_the_place_and_the_valid_fields() -> None:
    """An unknown key is reported at its own line with the fields valid there."""
    text = BASE.replace("unit: ms}", "unit: ms, colour: red}")
    assert problems(text) == [
        "shop.yaml:18:96: spec.objectives[0].indicator.colour: unknown field 'colour'; valid fields here: "
        "bound, events, kind, metric, missing, op, unit, value, where, whereNot"
    ]


def test_false_is_not_a_number_and_no_stays_text() -> None:
    """A boolean where a number belongs is refused; NO is a string, so not a valid op."""
    text = BASE.replace("bound: 2s", "bound: false").replace("op: lt", "op: NO")
    assert problems(text) == [
        "shop.yaml:18:71: spec.objectives[0].indicator.op: unknown value 'NO'; use one of 'lt', 'le', 'gt' or 'ge'",
        "shop.yaml:18:82: spec.objectives[0].indicator.bound: expected a number, got false; "
        "write a number such as 300 or 2.5",
    ]


def test_every_problem_is_reported_at_once() -> None:
    """Several problems in one file are all listed, each at its own place."""
    text = BASE.replace("target: 95%", "target: 120%").replace("calendar: month", "calendar: fortnight")
    text = text.replace("currency: EUR", "currency: euro")
    lines = problems(text)
    assert len(lines) == 3
    assert lines[0] == (
        "shop.yaml:13:38: spec.fee.currency: not a currency code: 'euro'; "
        "use an ISO 4217 code in capitals, e.g. EUR, USD, CNY"
    )
    assert lines[1] == (
        "shop.yaml:19:15: spec.objectives[0].target: must be between 0% and 100%, got '120%'; "
        "write a percentage such as 99.9% or a ratio between 0 and 1 such as 0.999"
    )
    assert lines[2] == (
        "shop.yaml:20:26: spec.objectives[0].window.calendar: unknown value 'fortnight'; "
        "use one of 'day', 'week', 'month', 'quarter' or 'year'"
    )


def test_missing_field_is_reported_at_its_parent() -> None:
    """A required field that is absent is named, at the mapping that should hold it."""
    text = BASE.replace("  purpose: Keeps the shop fast.\n", "")
    assert problems(text) == ["shop.yaml:6:3: spec.purpose: is required; add purpose:"]


def test_dangling_references_are_located() -> None:
    """An objective naming an undeclared service is reported at its service field."""
    text = BASE.replace("service: shop", "service: shopp")
    assert problems(text) == [
        "shop.yaml:17:16: spec.objectives[0].service: no service named 'shopp'; use one of 'shop'"
    ]


def test_credit_tier_reaching_the_target_is_refused() -> None:
    """A tier must lie below the target: crediting a met objective is a mistake."""
    text = BASE.replace("{below: 95%, atLeast: 90%, credit: 10%}", "{below: 96%, atLeast: 90%, credit: 10%}")
    assert problems(text) == [
        "shop.yaml:22:11: spec.objectives[0].credits[0]: credit tier 90% ≤ attainment < 96% reaches the target 95%; "
        "a tier's upper edge must be at or below the target (below: target)"
    ]


def test_overlapping_and_falling_tiers_are_refused() -> None:
    """Tiers may not overlap, and lower attainment may not earn less credit."""
    overlap = BASE.replace("{below: 90%, credit: 25%}", "{below: 90.5%, credit: 25%}")
    assert "overlap" in problems(overlap)[0]
    falling = BASE.replace("credit: 25%", "credit: 5%")
    assert "credit falls as attainment worsens" in problems(falling)[0]


def test_unknown_indicator_kind_lists_the_kinds() -> None:
    """A wrong kind names the valid kinds."""
    text = BASE.replace("kind: threshold", "kind: latency")
    [line] = problems(text)
    assert line.startswith("shop.yaml:18:25: spec.objectives[0].indicator.kind: unknown kind 'latency'; use one of")
    assert "'ratio', 'threshold', 'statistic', 'availability', 'freshness', 'case'" in line


def test_wrong_api_version_is_refused() -> None:
    """Only attain/v1 is read as an agreement."""
    assert problems(BASE.replace("attain/v1", "attain/v2")) == [
        "shop.yaml:1:13: apiVersion: unsupported apiVersion 'attain/v2'; use attain/v1"
    ]


def test_statistic_objective_takes_no_target() -> None:
    """A statistic's bound is its goal; adding a target is refused."""
    text = BASE.replace(
        "{kind: threshold, events: views, value: load_ms, op: lt, bound: 2s, unit: ms}",
        "{kind: statistic, statistic: mean, value: load_ms, op: le, bound: 1500}",
    )
    assert "takes no target" in problems(text)[0]
    text = text.replace("      target: 95%\n", "").replace(
        "      credits:\n        - {below: 95%, atLeast: 90%, credit: 10%}\n        - {below: 90%, credit: 25%}\n", ""
    )
    assert load(text).objectives[0].target is None


def test_window_shorthands() -> None:
    """`window: month` is a calendar month and `window: 28d` a rolling 28 days."""
    month = load(BASE.replace("window: {calendar: month}", "window: month"))
    assert month.objectives[0].window == CalendarWindow(calendar=CalendarUnit.MONTH)
    rolling = load(BASE.replace("window: {calendar: month}", "window: 28d"))
    assert rolling.objectives[0].window.rolling == timedelta(days=28)  # type: ignore[union-attr]


def test_tier_overlaps_are_reported_beside_other_errors_of_their_objective() -> None:
    """`window: 5` no longer hides an overlap of tiers in the same objective: both are listed, each located."""
    text = BASE.replace("window: {calendar: month}", "window: 5").replace(
        "{below: 90%, credit: 25%}", "{below: 92%, credit: 25%}"
    )
    # Tiers sorted by lower edge: [0%, 92%) then [90%, 95%); 92% > 90%, so they overlap, reported at the second.
    assert problems(text) == [
        "shop.yaml:20:15: spec.objectives[0].window: not a window: 5; write a calendar period: day, week, month, "
        "quarter or year (or {calendar: month, timeZone: Asia/Shanghai}), or a rolling length: 28d, 4w, 24h "
        "(or {rolling: 30d})",
        "shop.yaml:22:11: spec.objectives[0].credits[0]: credit tiers attainment < 92% and "
        "90% ≤ attainment < 95% overlap; make each edge close one tier and open the next (below: X / atLeast: X)",
    ]


def test_every_tier_error_of_an_objective_is_reported() -> None:
    """A tier reaching the target and an overlap of two others are both listed, not only the first."""
    text = BASE.replace(
        "        - {below: 90%, credit: 25%}\n",
        "        - {below: 91%, atLeast: 80%, credit: 20%}\n        - {below: 80%, credit: 25%}\n",
    ).replace("{below: 95%, atLeast: 90%, credit: 10%}", "{atMost: 95%, atLeast: 90%, credit: 10%}")
    # atMost 95% includes the target 95%; [80%, 91%) reaches past the next tier's lower edge 90%.
    assert problems(text) == [
        "shop.yaml:22:11: spec.objectives[0].credits[0]: credit tier 90% ≤ attainment ≤ 95% reaches the target 95%; "
        "a tier's upper edge must be at or below the target (below: target)",
        "shop.yaml:22:11: spec.objectives[0].credits[0]: credit tiers 80% ≤ attainment < 91% and "
        "90% ≤ attainment ≤ 95% overlap; make each edge close one tier and open the next (below: X / atLeast: X)",
    ]


def test_a_gap_between_tiers_is_a_warning_not_an_error() -> None:
    """Attainment between 85% and 90% earning no credit is valid, and reported as a located warning."""
    text = BASE.replace("{below: 90%, credit: 25%}", "{below: 85%, credit: 25%}")
    [document] = read_text(text, "shop.yaml")
    assert parse_agreement(document).objectives[0].credits[1].below == Decimal("0.85")
    assert [str(w) for w in agreement_warnings(document)] == [
        "shop.yaml:22:11: spec.objectives[0].credits[0]: gap between credit tiers attainment < 85% and "
        "90% ≤ attainment < 95%: attainment from 85% to 90% earns no credit; "
        "if that is not meant, start this tier where the other ends (atLeast: 85%)"
    ]


def test_an_edge_both_tiers_exclude_is_a_one_point_gap() -> None:
    """`below: 90%` then `above: 90%` leaves exactly 90% without credit: a warning naming that value."""
    text = BASE.replace("atLeast: 90%", "above: 90%")
    [document] = read_text(text, "shop.yaml")
    [warning] = agreement_warnings(document)
    assert warning.message == (
        "gap between credit tiers attainment < 90% and 90% < attainment < 95%: "
        "attainment of exactly 90% earns no credit"
    )
    assert not agreement_warnings(read_text(BASE, "shop.yaml")[0])


def test_a_gap_is_warned_even_when_the_document_is_invalid() -> None:
    """The warning does not wait for the rest of the document to be valid."""
    text = BASE.replace("{below: 90%, credit: 25%}", "{below: 85%, credit: 25%}").replace(
        "currency: EUR", "currency: e"
    )
    [document] = read_text(text, "shop.yaml")
    assert [w.path for w in agreement_warnings(document)] == ["spec.objectives[0].credits[0]"]
