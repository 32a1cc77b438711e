"""Exact decimals written as text: plain numbers without exponent, ratios as percentages.

Apart from the annotated types in `attain.model.number` and `attain.model.ratio` (which need
pydantic), so that a command that only prints numbers loads none of the model.
"""

from __future__ import annotations

from decimal import Decimal


def format_number(value: Decimal) -> str:
    """Write a decimal without exponent and without trailing zeros, every digit kept (`normalize` rounds to 28)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shifted(value: Decimal, places: int) -> Decimal:
    """`value × 10^places`, exactly however many digits it has (`scaleb` rounds to the context's 28)."""
    if not value.is_finite():
        return value
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent + places))


def format_ratio(value: Decimal) -> str:
    """Write a ratio as a percentage, exactly: Decimal('0.999') -> '99.9%'."""
    return f"{format_number(shifted(value, 2))}%"
