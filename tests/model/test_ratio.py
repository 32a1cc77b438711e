"""Ratios and percentages as written in agreements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from attain.model.ratio import format_ratio, parse_ratio


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("99.9%", Decimal("0.999")),
        ("99.95%", Decimal("0.9995")),
        ("100%", Decimal(1)),
        ("0%", Decimal(0)),
        ("0.999", Decimal("0.999")),
        (Decimal("0.999"), Decimal("0.999")),
        (1, Decimal(1)),
        (0, Decimal(0)),
    ],
)
def test_ratio_spellings_are_exact(written: object, expected: Decimal) -> None:
    """A target written as a percentage or a ratio becomes the exact decimal, never a float."""
    parsed = parse_ratio(written)
    assert parsed == expected
    assert isinstance(parsed, Decimal)


def test_ninety_nine_point_nine_is_never_a_float_artifact() -> None:
    """99.9% is exactly 999/1000, not 0.9990000000000001."""
    assert parse_ratio("99.9%") * 1000 == 999
    assert str(parse_ratio("99.9%")) == "0.999"


@pytest.mark.parametrize("bad", [False, True, None, "abc", "120%", Decimal("1.5"), 0.999, "-1%", [1]])
def test_ratio_rejects_what_is_not_a_ratio(bad: object) -> None:
    """Booleans, floats, out-of-range values and text that is no number are refused."""
    with pytest.raises(PydanticCustomError):
        parse_ratio(bad)


def test_ratio_above_one_suggests_the_percentage() -> None:
    """A bare 99.9 is probably meant as 99.9%, and the hint says so."""
    with pytest.raises(PydanticCustomError) as caught:
        parse_ratio(Decimal("99.9"))
    assert caught.value.context is not None
    assert caught.value.context["valid"] == "did you mean 99.9%?"


@given(st.integers(min_value=0, max_value=1_000_000))
def test_ratio_round_trips_through_its_percentage(parts_per_million: int) -> None:
    """Writing a ratio as a percentage and reading it back gives the same number."""
    ratio = Decimal(parts_per_million).scaleb(-6)
    assert parse_ratio(format_ratio(ratio)) == ratio


def test_a_percentage_keeps_every_digit_however_many() -> None:
    """99.(29 nines)% is 0.99(29 nines) and writes back as written: neither parsing nor writing rounds to 28 digits."""
    written = "99." + "9" * 29 + "%"
    parsed = parse_ratio(written)
    assert parsed == Decimal("0.99" + "9" * 29)
    assert parsed < 1
    assert format_ratio(parsed) == written
