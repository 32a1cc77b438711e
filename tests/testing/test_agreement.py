"""The agreement builders give documents that validate into the agreement they describe."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from attain.errors import InvalidAgreement
from attain.formats.native import dump_agreement
from attain.testing import agreement, agreement_model, agreement_yaml, metric_ratio_objective, ratio_objective


def test_a_ratio_objective_of_ok_requests_by_default() -> None:
    """Without good or bad events named, the good events are the stream's events whose `ok` is true."""
    assert ratio_objective() == {
        "name": "availability",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}},
        "target": "99%",
        "window": "month",
    }
    assert ratio_objective(bad={"where": {"code": 500}}, alerting="sre-workbook")["indicator"] == {
        "kind": "ratio",
        "events": "requests",
        "bad": {"where": {"code": 500}},
    }


def test_an_agreement_validates_with_exact_targets_and_windows() -> None:
    """The example of the module docstring validates: 99.9% is exactly 0.999 and the window 28 days."""
    document = agreement(objectives=[ratio_objective(target="99.9%", window="28d")], time_zone="Europe/Berlin")
    model = agreement_model(document)
    [objective] = model.spec.objectives
    assert (model.metadata.name, model.spec.title, str(model.spec.time_zone)) == ("shop", "Shop", "Europe/Berlin")
    assert model.spec.effective.from_ == date(2026, 1, 1)
    assert objective.target == Decimal("0.999")
    assert objective.window.rolling == timedelta(days=28)


def test_metric_objectives_read_back_through_the_canonical_document() -> None:
    """A Prometheus ratio objective survives agreement_yaml, validation and the canonical dump."""
    objective = metric_ratio_objective(good="sum(increase(ok[1m]))", valid="sum(increase(all[1m]))", target="95%")
    model = agreement_model(agreement(name="web", objectives=[objective]))
    canonical = dump_agreement(model)
    assert "query: sum(increase(ok[1m]))" in canonical
    assert agreement_model(agreement(name="web", objectives=[objective])) == model
    assert agreement_yaml(agreement(name="web", objectives=[objective])).startswith("apiVersion: attain/v1\n")


def test_an_invalid_change_is_reported_by_validation() -> None:
    """A builder's document changed into a target of 120% fails validation naming the field."""
    document = agreement(objectives=[ratio_objective(target="120%")])
    with pytest.raises(InvalidAgreement, match=r"spec\.objectives\[0\]\.target"):
        agreement_model(document)
