"""Calibration of the breach forecast (`attain.engine.forecast`) on replayed demo history.

The demo's generator (`attain.demo.generate`, the same stories `attain demo` tells) writes
`--days` of measurements per seed for the templates with forecast objectives; they are applied
and ingested into a fresh SQLite store, as the demo does. Then, for every closed calendar period
of every forecast objective, the forecast is made every `--step-hours` inside the period, from
the history before that instant only, and compared with how the period actually ended.

Reported (docs/review.md, "Forecast"):
- the Brier score of the forecast, of a base-rate forecast (the share of breached periods among
  all forecast periods, the same number at every instant: it knows the answer's frequency in
  advance, which flatters it) and of the naive "breached if below the target so far";
- a reliability table: forecasts binned by probability, with the share that did breach;
- the mean absolute error of the projected attainment against the period's final attainment,
  and that of the attainment so far.

    PYTHONPATH=src python bench/forecast_calibration.py [--days 365] [--seeds 7 8 9] [--step-hours 12] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from attain.demo.generate import generate
from attain.engine.forecast import Projection
from attain.engine.instant import US_PER_HOUR, to_us
from attain.engine.judgement import objective_periods
from attain.engine.objective import evaluate_objective
from attain.engine.outlook import HISTORY_US, forecast_objective
from attain.engine.result import PeriodResult, Status
from attain.ingestion.run import IngestOptions
from attain.lifecycle.versions import load_in_force
from attain.ports import Store
from attain.services.demo import demo_agreement
from attain.services.measurements import stored_measurements
from attain.services.store import apply_files, ingest_files, open_store
from attain.settings import Settings

TEMPLATES = ("cloud-uptime", "ambulance-response", "api-latency")
"""The demo templates with objectives the forecast covers (events or downtime by calendar month)."""
END = datetime(2026, 12, 1, tzinfo=UTC)
BINS = tuple(Decimal(i) / 10 for i in range(11))


@dataclass(frozen=True)
class Point:
    """One forecast and how its period ended."""

    seed: int
    agreement: str
    objective: str
    period: str
    hours_in: int
    probability: float
    projected: float
    so_far: float | None
    below_so_far: bool
    breached: bool
    final: float


def replay(seed: int, days: int, step_hours: int, directory: Path) -> list[Point]:
    """Build a store of `days` of demo data for `seed` and replay forecasts over its closed periods."""
    store = open_store(Settings(f"sqlite:///{directory / 'attain.db'}", directory))
    start = END - timedelta(days=days)
    first_day = start.date().replace(day=1)
    paths = []
    for name in TEMPLATES:
        path = directory / f"{name}.yaml"
        path.write_text(demo_agreement(name, first_day), encoding="utf-8")
        paths.append(path)
    apply_files(store, paths, to_us(END))
    points: list[Point] = []
    for name in TEMPLATES:
        files = sorted(generate(name, directory / name, END, days, seed), key=lambda p: p.stem == "announcements")
        ingest_files(store, files, name, to_us(END), IngestOptions(), None)
        points += _replay_agreement(store, name, seed, to_us(start), to_us(END), step_hours)
    return points


def _replay_agreement(store: Store, name: str, seed: int, since: int, end: int, step_hours: int) -> list[Point]:
    [version] = load_in_force(store, name)
    agreement = version.agreement
    measurements = stored_measurements(store, name, [agreement], since, end)
    points = []
    for objective in agreement.objectives:
        for period in objective_periods(agreement, objective, since, end):
            if period.end > end or period.start < since:
                continue  # open at the end of the data, or begun before it
            final = evaluate_objective(agreement, objective, measurements, period.start, period.end).periods[-1]
            if final.ratio is None:
                continue
            reach = max(since, period.start - HISTORY_US)  # all the history a forecast in the period uses
            at = period.start + step_hours * US_PER_HOUR
            while at < period.end:
                current = evaluate_objective(agreement, objective, measurements, period.start, at).periods[-1]
                forecast = forecast_objective(agreement, objective, measurements, current, at, reach)
                if forecast is None:
                    break
                points.append(_point(seed, name, current, final, forecast.projection, (at - period.start)))
                at += step_hours * US_PER_HOUR
    return points


def _point(
    seed: int, name: str, current: PeriodResult, final: PeriodResult, projection: Projection, into: int
) -> Point:
    assert final.ratio is not None
    return Point(
        seed,
        name,
        current.objective,
        current.period,
        into // US_PER_HOUR,
        float(projection.breach_probability),
        float(projection.projected_ratio),
        None if current.ratio is None else float(current.ratio),
        current.status in (Status.AT_RISK, Status.BREACHED),
        final.status is Status.BREACHED,
        float(final.ratio),
    )


def brier(forecasts: list[float], outcomes: list[bool]) -> float:
    """Mean of (forecast − outcome)²."""
    return sum((f - float(o)) ** 2 for f, o in zip(forecasts, outcomes, strict=True)) / len(forecasts)


def summarize(points: list[Point]) -> dict[str, object]:
    """Brier scores, the reliability table and projection errors of the points."""
    outcomes = [p.breached for p in points]
    periods = {(p.seed, p.agreement, p.objective, p.period): p.breached for p in points}
    base = sum(periods.values()) / len(periods)
    reliability = []
    for low, high in pairwise(BINS):
        chosen = [p for p in points if float(low) <= p.probability < float(high) or (high == 1 and p.probability == 1)]
        if chosen:
            reliability.append(
                {
                    "bin": f"[{low}, {high}{']' if high == 1 else ')'}",
                    "forecasts": len(chosen),
                    "meanForecast": round(sum(p.probability for p in chosen) / len(chosen), 3),
                    "breachedShare": round(sum(p.breached for p in chosen) / len(chosen), 3),
                }
            )
    so_far_errors = [abs(p.so_far - p.final) for p in points if p.so_far is not None]
    forecast_score = brier([p.probability for p in points], outcomes)
    base_score = brier([base] * len(points), outcomes)
    return {
        "forecasts": len(points),
        "periods": len(periods),
        "breachedPeriods": sum(periods.values()),
        "baseRate": round(base, 4),
        "brier": round(forecast_score, 4),
        "brierBaseRate": round(base_score, 4),
        "brierBelowSoFar": round(brier([float(p.below_so_far) for p in points], outcomes), 4),
        "skillVsBaseRate": round(1 - forecast_score / base_score, 3) if base_score else None,
        "projectionMAE": round(sum(abs(p.projected - p.final) for p in points) / len(points), 6),
        "soFarMAE": round(sum(so_far_errors) / len(so_far_errors), 6) if so_far_errors else None,
        "reliability": reliability,
    }


def main() -> None:
    """Replay, then print the summary (and write every point as JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9])
    parser.add_argument("--step-hours", type=int, default=12)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    points: list[Point] = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="attain-forecast-") as directory:
            points += replay(seed, args.days, args.step_hours, Path(directory))
    summary = summarize(points)
    by_objective = {}
    for key in sorted({(p.agreement, p.objective) for p in points}):
        by_objective["/".join(key)] = summarize([p for p in points if (p.agreement, p.objective) == key])
    sys.stdout.write(json.dumps({"overall": summary, "byObjective": by_objective}, indent=2) + "\n")
    if args.json:
        args.json.write_text(json.dumps([vars(p) for p in points]), encoding="utf-8")


if __name__ == "__main__":
    main()
