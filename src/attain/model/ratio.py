"""Ratios written in agreements: `99.9%` or `0.999`, parsed into an exact `Decimal` in [0, 1].

Targets and credit tiers decide money at their boundaries, so a ratio is never a binary float:
`99.9%` is exactly `Decimal("0.999")`, and it is written back as `99.9%`.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from attain.model.base import invalid, shown
from attain.model.numeral import format_number, format_ratio, shifted

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_RATIO_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
_RATIO_VALID = "write a percentage such as 99.9% or a ratio between 0 and 1 such as 0.999"


def parse_ratio(value: Any) -> Decimal:
    """Parse `99.9%`, `0.999` or the integers 0 and 1 into an exact ratio in [0, 1]."""
    if isinstance(value, bool) or value is None:
        raise invalid(f"expected a ratio, got {shown(value)}", _RATIO_VALID)
    if isinstance(value, str):
        if match := _PERCENT.match(value):
            result = shifted(Decimal(match.group(1)), -2)
        elif match := _RATIO_TEXT.match(value):
            result = Decimal(match.group(1))
        else:
            raise invalid(f"expected a ratio, got {shown(value)}", _RATIO_VALID)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise invalid(
            f"binary float {value!r} is not exact",
            "write the ratio as text, for example '99.9%' or '0.999'",
        )
    else:
        raise invalid(f"expected a ratio, got {type(value).__name__}", _RATIO_VALID)
    if not result.is_finite() or not Decimal(0) <= result <= Decimal(1):
        hint = _RATIO_VALID
        if not isinstance(value, str) and result.is_finite() and Decimal(1) < result <= Decimal(100):
            hint = f"did you mean {format_number(result)}%?"
        raise invalid(f"must be between 0% and 100%, got {shown(value)}", hint)
    return result


def shown_places(target: Decimal | None) -> int:
    """How many decimal places a percentage is shown with beside `target`.

    As many as the target written as a percentage needs, plus one: 99.9% -> 2 (`99.95%`),
    99% -> 1, 100% -> 1, 99.95% -> 3. Without a target (a statistic objective), 2.
    """
    if target is None:
        return 2
    exponent = target.scaleb(2).normalize().as_tuple().exponent
    return max(0, -exponent if isinstance(exponent, int) else 0) + 1


def shown_ratio(value: Decimal, target: Decimal | None) -> Decimal:
    """The ratio as it is shown beside `target`: rounded down to `shown_places(target)` percent places.

    Rounding down never lifts a miss to the target (99.8999% against 99.9% shows 99.89%, not
    99.90%), and never drops a met ratio below it, because the target itself has fewer places
    than are shown: for every ratio r, `shown_ratio(r, t) >= t` exactly when `r >= t`.
    """
    step = Decimal(1).scaleb(-(shown_places(target) + 2))
    return value.quantize(step, rounding=ROUND_FLOOR)


def display_ratio(value: Decimal, target: Decimal | None) -> str:
    """A ratio as the percentage shown beside `target` (see `shown_ratio`): 0.998999 vs 0.999 -> '99.89%'."""
    return f"{shown_ratio(value, target).scaleb(2):.{shown_places(target)}f}%"


_RATIO_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d+(\.\d+)?%$", "examples": ["99.9%"]},
        {"type": "number", "minimum": 0, "maximum": 1},
    ],
    "description": "A percentage ('99.9%') or a ratio between 0 and 1 (0.999).",
}

Ratio = Annotated[
    Decimal,
    PlainValidator(parse_ratio),
    PlainSerializer(format_ratio, return_type=str),
    WithJsonSchema(_RATIO_SCHEMA),
]
"""An exact ratio in [0, 1], written as `99.9%` or `0.999`."""
