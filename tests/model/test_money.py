"""Amounts of money as written in agreements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from attain.model.money import parse_money


def test_money_is_exact_and_non_negative() -> None:
    """Money keeps its decimal places and refuses negative amounts or sub-cent noise."""
    assert parse_money("12000.00") == Decimal("12000.00")
    assert parse_money(Decimal("0.10")) == Decimal("0.10")
    for bad in ("-1", "1.00001", True, "ten"):
        with pytest.raises(PydanticCustomError):
            parse_money(bad)
