"""Exact decimal numbers written in agreements: plain numbers, written back without exponent.

Numbers are `Decimal`, never binary floats, so that a threshold or a count written `2.5` is
exactly two and a half.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from attain.model.base import invalid, shown
from attain.model.numeral import format_number

__all__ = ["Number", "format_number", "parse_number"]

_NUMBER_TEXT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def parse_number(value: Any) -> Decimal:
    """Parse an exact decimal number: an integer, a YAML decimal or a numeric string."""
    if isinstance(value, bool) or value is None:
        raise invalid(f"expected a number, got {shown(value)}", "write a number such as 300 or 2.5")
    if isinstance(value, Decimal | int):
        result = Decimal(value)
    elif isinstance(value, str) and _NUMBER_TEXT.match(value):
        result = Decimal(value.strip())
    else:
        raise invalid(f"expected a number, got {shown(value)}", "write a number such as 300 or 2.5")
    if not result.is_finite():
        raise invalid(f"expected a finite number, got {shown(value)}", "write a number such as 300")
    return result


Number = Annotated[
    Decimal,
    PlainValidator(parse_number),
    PlainSerializer(lambda v: int(v) if v == v.to_integral_value() else format_number(v)),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}),
]
"""An exact decimal number."""
