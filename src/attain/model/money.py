"""Amounts of money written in agreements: exact, non-negative, at most 4 decimal places."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from attain.model.base import invalid, shown
from attain.model.number import parse_number


def parse_money(value: Any) -> Decimal:
    """Parse a non-negative amount of money with at most 4 decimal places."""
    try:
        result = parse_number(value)
    except PydanticCustomError:
        raise invalid(
            f"expected an amount of money, got {shown(value)}",
            "write the amount as text, for example '12000.00'",
        ) from None
    if result < 0:
        raise invalid(f"must not be negative, got {shown(value)}", "write an amount of 0 or more")
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise invalid(f"has more than 4 decimal places: {shown(value)}", "round to the currency's unit")
    return result


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    PlainSerializer(lambda v: f"{v:f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,4})?$", "examples": ["12000.00"]}),
]
"""A non-negative, exact amount of money."""
