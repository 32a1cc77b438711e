"""What drives failures as data and as words: the JSON of `attain drivers` and the API, the rows of its table.

Pure: takes an `attain.engine.drivers.DriversReport` and gives plain values. Amounts of time
(downtime) are µs in the engine, seconds in JSON (exact: µs ÷ 10⁶ always terminates) and a
duration in words in text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attain.engine.drivers import Driver, DriversReport, ObjectiveDrivers
from attain.engine.instant import iso_utc
from attain.reports.locale import Locale

_JSON_UNIT = {"events": "events", "cases": "cases", "µs": "seconds"}


def _amount(value: int, unit: str) -> int | str:
    """An amount as JSON: a count, or µs as exact seconds in text."""
    return format(Decimal(value).scaleb(-6).normalize(), "f") if unit == "µs" else value


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def driver_data(driver: Driver, unit: str, *, rest: bool = False) -> dict[str, Any]:
    """One value's drivers as JSON: `value` None for the rows without the attribute and for a dimension's rest."""
    return {
        "value": None if driver.absent or rest else driver.value,
        "values": driver.values,
        "bad": _amount(driver.bad, unit),
        "valid": driver.valid,
        "previous": _amount(driver.previous, unit),
        "change": _amount(driver.change, unit),
        "share": _number(driver.share),
        "budgetShare": _number(driver.budget_share),
        "previousShare": _number(driver.previous_share),
        "shareChange": _number(driver.share_change),
    }


def objective_drivers_data(found: ObjectiveDrivers) -> dict[str, Any]:
    """One objective's drivers as JSON (totals, then each dimension; `skipped` says why there are none)."""
    data: dict[str, Any] = {"objective": found.objective, "skipped": found.skipped}
    result, unit = found.drivers, found.unit
    if result is None:
        return data | {"unit": None, "dimensions": []}
    return data | {
        "unit": _JSON_UNIT[unit],
        "bad": _amount(result.bad, unit),
        "valid": result.valid,
        "previous": _amount(result.previous, unit),
        "allowed": None if result.allowed is None else _allowed(result.allowed, unit),
        "consumed": _number(result.consumed),
        "dimensions": [
            {
                "dimension": d.dimension,
                "drivers": [driver_data(x, unit) for x in d.drivers],
                "rest": None if d.rest is None else driver_data(d.rest, unit, rest=True),
            }
            for d in result.dimensions
        ],
    }


def _allowed(allowed: Fraction, unit: str) -> str:
    """The budget in the JSON unit, to 28 significant digits (exact when it terminates)."""
    value = Decimal(allowed.numerator) / Decimal(allowed.denominator)
    return str(value.scaleb(-6) if unit == "µs" else value)


def drivers_data(report: DriversReport) -> dict[str, Any]:
    """The whole report as JSON, language-independent."""
    return {
        "agreement": report.agreement,
        "version": report.version,
        "period": report.period,
        "previous": report.previous,
        "from": iso_utc(report.current[0]),
        "until": iso_utc(report.current[1]),
        "previousFrom": iso_utc(report.before[0]),
        "previousUntil": iso_utc(report.before[1]),
        "objectives": [objective_drivers_data(o) for o in report.objectives],
    }


@dataclass(frozen=True)
class DriverRow:
    """One row of the drivers table, in words."""

    dimension: str
    value: str
    bad: str
    share: str
    budget: str
    previous: str
    change: str


def _shown_amount(loc: Locale, value: int, unit: str) -> str:
    if unit == "µs":
        sign = "−" if value < 0 else ""
        return sign + loc.duration(timedelta(microseconds=abs(value)))
    return loc.number(value, 0)


def _percent(loc: Locale, value: Decimal | None) -> str:
    return loc.text("drivers.unknown") if value is None else loc.percent(value)


def _signed(loc: Locale, value: int, unit: str) -> str:
    return ("+" if value > 0 else "") + _shown_amount(loc, value, unit)


def driver_rows(loc: Locale, found: ObjectiveDrivers) -> list[DriverRow]:
    """The table rows of one objective: each dimension's values, then its rest."""
    result = found.drivers
    if result is None:
        return []
    rows = []
    for dimension in result.dimensions:
        parts = [*dimension.drivers, *([dimension.rest] if dimension.rest is not None else [])]
        for driver in parts:
            if driver is dimension.rest:
                value = loc.text("drivers.rest", n=driver.values)
            else:
                value = loc.text("drivers.absent") if driver.absent else driver.value
            rows.append(
                DriverRow(
                    dimension.dimension,
                    value,
                    _shown_amount(loc, driver.bad, found.unit),
                    _percent(loc, driver.share),
                    _percent(loc, driver.budget_share),
                    _shown_amount(loc, driver.previous, found.unit),
                    _signed(loc, driver.change, found.unit),
                )
            )
    return rows


def driver_summary(loc: Locale, found: ObjectiveDrivers) -> str:
    """One sentence of totals (or why the objective is not split)."""
    result = found.drivers
    if result is None:
        return loc.text("drivers.skipped", reason=found.skipped or "")
    if not result.bad and not result.previous:
        return loc.text("drivers.none")
    consumed = _percent(loc, result.consumed)
    if found.unit == "µs":
        bad, previous = _shown_amount(loc, result.bad, "µs"), _shown_amount(loc, result.previous, "µs")
        return loc.text("drivers.total.time", bad=bad, previous=previous, consumed=consumed)
    key = "drivers.total.cases" if found.unit == "cases" else "drivers.total.events"
    return loc.text(
        key,
        bad=loc.number(result.bad, 0),
        valid=loc.number(result.valid, 0),
        previous=loc.number(result.previous, 0),
        consumed=consumed,
    )
