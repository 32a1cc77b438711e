"""Plain numbers as written in agreements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from attain.model.number import parse_number


def test_number_refuses_booleans() -> None:
    """`false` is not a number."""
    with pytest.raises(PydanticCustomError):
        parse_number(False)
    assert parse_number("2.5") == Decimal("2.5")
