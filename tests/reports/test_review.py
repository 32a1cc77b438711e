"""The review report's table from hand-made results: the targets that judged the periods, a dropped objective."""

from __future__ import annotations

from decimal import Decimal

from attain.engine.drivers import DriversReport
from attain.engine.result import PeriodResult, Status
from attain.reports.document import Format
from attain.reports.review import QuarterReview, render_review, trend
from attain.testing import agreement, agreement_model, ratio_objective

MONTH = 31 * 24 * 3600 * 10**6


def _result(objective: str, label: str, index: int, ratio: str, target: str, status: Status) -> PeriodResult:
    start = 1_790_000_000_000_000 + index * MONTH
    return PeriodResult(
        objective, label, start, start + MONTH, start, start + MONTH, True, status, 1, "events",
        ratio=Decimal(ratio), target=Decimal(target),
    )  # fmt: skip


def _review() -> QuarterReview:
    model = agreement_model(agreement(objectives=[ratio_objective("checkout", target="99.5%")]))
    periods = {
        "checkout": (
            _result("checkout", "2026-10", 0, "0.991", "0.99", Status.MET),
            _result("checkout", "2026-11", 1, "0.996", "0.995", Status.MET),
        ),
        "legacy": (_result("legacy", "2026-10", 0, "0.9", "0.95", Status.BREACHED),),
    }
    found = DriversReport("shop", 1, "2026-Q4", "2026-Q3", (0, 1), (0, 0), ())
    return QuarterReview(model, "2026-Q4", 0, 3 * MONTH, 3 * MONTH, periods, (), found)


def test_the_table_shows_each_target_that_judged_a_period_and_a_dropped_objective_by_name() -> None:
    """Judged at 99% then 99.5% (a new version), the target reads 99% → 99.5%, each attainment to its places + 1."""
    text = render_review(_review(), "en", Format.MD).decode()
    assert "| checkout | 99% → 99.5% | 99.1% · Met | 99.60% · Met |" in text
    assert "| legacy | 95% | 90.0% · Breached | — |" in text
    assert "checkout: 99.1% → 99.60%, improving." in text


def test_trend_compares_the_first_attainment_with_the_last() -> None:
    """Up, down, flat, and unknown with a single period."""
    up = _review().periods["checkout"]
    assert trend(up) == "up"
    assert trend(tuple(reversed(up))) == "down"
    assert trend((up[0], up[0])) == "flat"
    assert trend(up[:1]) == "unknown"
