"""The forecast calibration bench never rots: it replays a short demo history, and its scores are right by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.forecast_calibration import Point, brier, replay, summarize  # noqa: E402


def _point(probability: float, breached: bool, period: str) -> Point:
    return Point(7, "a", "o", period, 12, probability, 0.99, 0.99, False, breached, 0.99)


def test_scores_by_hand() -> None:
    """Forecasts 0.2 (no breach) and 0.8 (breach): Brier (0.04 + 0.04)/2 = 0.04; the base rate ½ scores 0.25."""
    assert brier([0.2, 0.8], [False, True]) == pytest.approx(0.04)
    summary = summarize([_point(0.2, False, "2026-10"), _point(0.8, True, "2026-11")])
    assert (summary["brier"], summary["baseRate"], summary["brierBaseRate"]) == (0.04, 0.5, 0.25)
    assert summary["skillVsBaseRate"] == 0.84
    assert summary["reliability"] == [
        {"bin": "[0.2, 0.3)", "forecasts": 1, "meanForecast": 0.2, "breachedShare": 0.0},
        {"bin": "[0.8, 0.9)", "forecasts": 1, "meanForecast": 0.8, "breachedShare": 1.0},
    ]


def test_replay_of_a_short_demo_history(tmp_path: Path) -> None:
    """75 days of demo data up to 1 December hold two closed months per forecast objective; every forecast is a probability."""
    points = replay(7, 75, 72, tmp_path)
    objectives = {(p.agreement, p.objective) for p in points}
    assert ("cloud-uptime", "compute-availability") in objectives
    assert ("api-latency", "availability") in objectives
    assert all(0.0 <= p.probability <= 1.0 for p in points)
    assert {p.period for p in points} == {"2026-10", "2026-11"}
