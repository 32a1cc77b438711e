"""How indicators choose events and compare values: attribute filters, metric queries, operators, bounds."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from attain.model.base import LAX, Frozen
from attain.model.quantity import format_number, invalid, parse_number

AttributeValue = str | int | bool
Where = dict[str, AttributeValue | Annotated[tuple[AttributeValue, ...], LAX]]
"""Event attribute filter: every key must match; a list matches any of its values."""


class Operator(StrEnum):
    """How a value is compared with a bound; the comparison that counts as good."""

    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    @property
    def symbol(self) -> str:
        """The mathematical sign: <, ≤, >, ≥."""
        return {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}[self.value]


class MetricSource(Frozen):
    """A query in an external system (Prometheus, Datadog, SQL) that yields the measurement."""

    type: str = Field(description="The system: Prometheus, SQL, Datadog, ...")
    spec: dict[str, Any] = Field(default_factory=dict, description="System-specific query fields.")
    metric_source_ref: str | None = Field(default=None, description="Name of a DataSource.")


class Selector(Frozen):
    """Chooses events by attributes, or names a metric query that counts them."""

    where: Where = Field(default_factory=dict, description="Attributes that must match.")
    where_not: Where = Field(default_factory=dict, description="Attributes that must not match.")
    metric: MetricSource | None = Field(default=None, description="A query that yields the count.")


TIME_UNITS_SECONDS: dict[str, Decimal] = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "min": Decimal(60),
    "h": Decimal(3600),
}


def duration_bound(data: Any) -> Any:
    """Turn a bound written as a duration (`bound: 5s`) into a number and a time unit (`5`, `s`), exactly.

    The unit is the one stated (`unit: ms` gives 5000) or seconds; a bound that reads as a number,
    and anything that is not a mapping with a text bound, is returned as it is.
    """
    if not isinstance(data, dict) or not isinstance(data.get("bound"), str):
        return data
    return duration_in_unit(data, "bound")


def duration_in_unit(data: dict[str, Any], key: str) -> dict[str, Any]:
    """`data` with `data[key]`, when it is a duration such as `5s`, as a number in `data["unit"]` (seconds if none).

    A value that reads as a number, or is not text, is left as it is. Exact: `5s` in `ms` is 5000.

    Raises:
        ValueError (from `invalid`): the value is a duration but the unit is not a time unit.
    """
    text = data[key]
    if not isinstance(text, str):
        return data
    try:
        parse_number(text)
    except ValueError:
        pass
    else:
        return data
    from attain.model.quantity import parse_duration  # noqa: PLC0415 - local to the shorthand

    seconds = Decimal(int(parse_duration(text).total_seconds()))
    unit = data.get("unit", "s")
    if unit not in TIME_UNITS_SECONDS:
        raise invalid(
            f"a duration {key} {text!r} needs a time unit, got unit {unit!r}",
            f"use unit {', '.join(TIME_UNITS_SECONDS)}, or write the {key} as a number",
        )
    return {**data, key: format_number(seconds / TIME_UNITS_SECONDS[unit]), "unit": unit}
