"""Breach forecasts of each objective's open period, from stored measurements (docs/review.md, "Forecast").

`forecasts` takes the measurements a stored evaluation read (`services.store.evaluate_stored`
with `forecast=True`, which `status` asks for), of which the engine uses eight weeks of history
before `at` (or less, when measuring began later), and asks `attain.engine.outlook` for each open
calendar period of the version in force; `forecast_data` is the JSON form that `attain status
--output json` and the API put beside each objective.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from attain.engine.instant import iso_utc
from attain.engine.outlook import HISTORY_US, Forecast, forecast_objective
from attain.engine.versions import InForce, version_at

if TYPE_CHECKING:
    from collections.abc import Sequence

    from attain.engine.measurement import Measurements
    from attain.engine.result import Evaluation

_RATIO_PLACES = Decimal("0.000001")
_AMOUNT_PLACES = Decimal("0.01")


def forecasts(versions: Sequence[InForce], evaluation: Evaluation, measurements: Measurements) -> tuple[Forecast, ...]:
    """The forecast of the open period of each objective of an evaluation, where one is made.

    `measurements` are those the evaluation read (they reach back at least to its `since`), so a
    forecast reads nothing more; the version in force at the evaluation instant decides.
    """
    at = evaluation.at
    current = version_at(versions, at)
    if current is None:
        return ()
    agreement = current.agreement
    since = max(evaluation.since, at - HISTORY_US)
    open_periods = {o.objective: o.current for o in evaluation.objectives if o.current and not o.current.closed}
    found = []
    for objective in agreement.objectives:
        period = open_periods.get(objective.name)
        if period is None:
            continue
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
