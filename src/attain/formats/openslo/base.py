"""Building blocks shared by every OpenSLO version: the strict base model and scalar types.

OpenSLO spells its fields in camelCase, which is what the base's alias generator produces from
the snake_case Python names, so documents validate by alias exactly as attain's own do.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from attain.model.base import LAX, Frozen
from attain.model.quantity import invalid

__all__ = [
    "LAX",
    "BaseMetadata",
    "BudgetingMethod",
    "DurationShorthand",
    "Num",
    "OpenSLOKind",
    "OpenSLOModel",
    "Operator",
    "parse_shorthand",
]

Operator = Literal["lt", "lte", "gt", "gte"]
"""OpenSLO's comparison operators."""

BudgetingMethod = Literal["Occurrences", "Timeslices", "RatioTimeslices"]
"""OpenSLO's budgeting methods."""


class OpenSLOModel(Frozen):
    """A frozen, strict OpenSLO value: unknown fields are refused, nothing is coerced."""


class BaseMetadata(OpenSLOModel):
    """What every version's metadata has: a name (checked as an RFC 1123 label on validation)."""

    name: str
    display_name: str | None = None


class OpenSLOKind(OpenSLOModel):
    """A whole OpenSLO object of some apiVersion and kind; each kind narrows these fields."""

    api_version: str
    kind: str
    metadata: BaseMetadata


SHORTHAND_UNITS: dict[str, str] = {
    "m": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
}
"""OpenSLO duration-shorthand units: lower-case `m` is a minute, upper-case `M` a month."""

_SHORTHAND = re.compile(r"^([0-9]+)([mhdwMQY])$")
_SHORTHAND_VALID = "write a number and a unit: m minute, h hour, d day, w week, M month, Q quarter, Y year"


def parse_shorthand(text: str) -> tuple[int, str]:
    """Split an OpenSLO duration shorthand into its count and unit name.

    Args:
        text: A shorthand such as `1m` (one minute), `2w` or `1M` (one month).

    Returns:
        The count and the unit's name, e.g. `(1, "minute")` for `1m`.

    Raises:
        ValueError: If the text is not a duration shorthand with a positive count.
    """
    match = _SHORTHAND.match(text)
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"not an OpenSLO duration shorthand: {text!r}")
    return int(match.group(1)), SHORTHAND_UNITS[match.group(2)]


def _shorthand(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid(f"expected a duration shorthand, got {value!r}", _SHORTHAND_VALID)
    try:
        parse_shorthand(value)
    except ValueError:
        raise invalid(f"not a duration shorthand: {value!r}", _SHORTHAND_VALID) from None
    return value


DurationShorthand = Annotated[
    str,
    PlainValidator(_shorthand),
    WithJsonSchema({"type": "string", "pattern": _SHORTHAND.pattern, "examples": ["5m", "1h", "28d", "1M"]}),
]
"""An OpenSLO duration shorthand (`5m`, `2w`, `1M`), kept as written."""


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        shown = "a mapping" if isinstance(value, dict) else repr(value)
        raise invalid(f"expected a number, got {shown}", "write a number such as 0.99 or 500")
    result = Decimal(value)
    if not result.is_finite():
        raise invalid(f"expected a finite number, got {value}", "write a number such as 0.99 or 500")
    return result


Num = Annotated[
    Decimal,
    PlainValidator(_number),
    PlainSerializer(lambda v: v, return_type=Decimal),
    WithJsonSchema({"type": "number"}),
]
"""An exact number: YAML and JSON decimals arrive as `Decimal` and stay exact."""
