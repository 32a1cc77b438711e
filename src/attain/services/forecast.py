"""Breach forecasts of each objective's open period, from stored measurements (docs/review.md, "Forecast").

`forecasts` reads eight weeks of history before `at` (or less, when measuring began later) for
the version in force and asks `attain.engine.outlook` for each open calendar period; `forecast_data`
is the JSON form that `attain status --output json` and the API put beside each objective.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from attain.engine.instant import iso_utc
from attain.engine.outlook import HISTORY_US, Forecast, forecast_objective
from attain.engine.versions import version_at
from attain.lifecycle.versions import parse_version, stored_versions, versions_in_force
from attain.services.measurements import CountsReader, read_counts, stored_measurements

if TYPE_CHECKING:
    from attain.ports import Store
    from attain.services.memo import MemoView
    from attain.services.store import StoredEvaluation

_RATIO_PLACES = Decimal("0.000001")
_AMOUNT_PLACES = Decimal("0.01")


def forecasts(store: Store, result: StoredEvaluation, memo: MemoView | None = None) -> tuple[Forecast, ...]:
    """The forecast of the open period of each objective of an evaluated agreement, where one is made.

    With a `memo`, parsed versions and minute counts are read through it (`attain.services.memo`).
    """
    evaluation = result.evaluation
    at = evaluation.at
    if result.ended is not None:
        return ()
    stored = stored_versions(store, evaluation.agreement)
    versions = versions_in_force(stored, parse_version if memo is None else memo.agreement)
    reader: CountsReader = read_counts if memo is None else memo.reader(stored)
    current = version_at(versions, at)
    if current is None:
        return ()
    agreement = current.agreement
    since = max(evaluation.since, at - HISTORY_US)
    open_periods = {o.objective: o.current for o in evaluation.objectives if o.current and not o.current.closed}
    wanted = [o for o in agreement.objectives if o.name in open_periods]
    if not wanted:
        return ()
    measurements = stored_measurements(store, evaluation.agreement, [agreement], since, at, reader)
    found = []
    for objective in wanted:
        period = open_periods[objective.name]
        assert period is not None
        forecast = forecast_objective(agreement, objective, measurements, period, at, since)
        if forecast is not None:
            found.append(forecast)
    return tuple(found)


def forecast_data(forecast: Forecast | None) -> dict[str, object] | None:
    """A forecast as JSON data (decimals as text, instants as ISO 8601 UTC); None stays None."""
    if forecast is None:
        return None
    p = forecast.projection
    return {
        "period": forecast.period,
        "end": iso_utc(forecast.end),
        "unit": forecast.unit,
        "projectedRatio": str(p.projected_ratio.quantize(_RATIO_PLACES, ROUND_FLOOR)),
        "breachProbability": str(p.breach_probability),
        "budgetGoneAt": None if p.budget_gone_at is None else iso_utc(p.budget_gone_at),
        "expectedValid": str(p.expected_valid.quantize(_AMOUNT_PLACES)),
        "expectedBad": str(p.expected_bad.quantize(_AMOUNT_PLACES)),
    }


def with_forecasts(data: dict[str, object], found: tuple[Forecast, ...]) -> dict[str, object]:
    """Evaluation data with a `forecast` field (null when none is made) on each objective."""
    by_name = {f.objective: f for f in found}
    objectives = data.get("objectives")
    assert isinstance(objectives, list)
    data["objectives"] = [o | {"forecast": forecast_data(by_name.get(o["objective"]))} for o in objectives]
    return data
