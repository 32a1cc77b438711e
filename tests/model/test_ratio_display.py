"""The one rule for showing a ratio beside its target: the target's places plus one, rounded down."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.model.ratio import display_ratio, shown_places, shown_ratio


@pytest.mark.parametrize(
    ("ratio", "target", "expected"),
    [
        # 99.8999% is a miss of 99.9%: rounded to two places it would read 99.90%, so it is cut to 99.89%.
        (Decimal("0.998999"), Decimal("0.999"), "99.89%"),
        (Decimal("0.9995"), Decimal("0.999"), "99.95%"),
        # 1 - 18/38,100 = 0.99952755905511811023622047244 (28 digits): two places against 99.9%.
        (Decimal(1) - Decimal(18) / Decimal(38_100), Decimal("0.999"), "99.95%"),
        # 105/110 = 95.4545...% against 95%: one place, cut (not rounded) to 95.4%.
        (Decimal(105) / Decimal(110), Decimal("0.95"), "95.4%"),
        # 0.9999 against 99.99%: three places, met exactly.
        (Decimal("0.9999"), Decimal("0.9999"), "99.990%"),
        (Decimal(1), Decimal(1), "100.0%"),
        (Decimal("0.98999"), Decimal(1), "98.9%"),
        (Decimal(0), Decimal("0.999"), "0.00%"),
        (Decimal("0.123456"), None, "12.34%"),
    ],
)
def test_a_ratio_is_shown_with_the_target_s_places_plus_one(
    ratio: Decimal, target: Decimal | None, expected: str
) -> None:
    """Each example worked by hand: the places follow the target, the last one is cut, not rounded."""
    assert display_ratio(ratio, target) == expected


@pytest.mark.parametrize(
    ("target", "places"),
    [
        (Decimal("0.999"), 2),
        (Decimal("0.99"), 1),
        (Decimal(1), 1),
        (Decimal("0.9995"), 3),
        (Decimal("0.5"), 1),
        (None, 2),
    ],
)
def test_the_places_are_the_target_s_plus_one(target: Decimal | None, places: int) -> None:
    """99.9% needs one place so shows two; 99% and 100% need none so show one; no target shows two."""
    assert shown_places(target) == places


targets = st.integers(min_value=0, max_value=1_000_000).map(lambda ppm: Decimal(ppm).scaleb(-6))
"""Targets as agreements write them: whole parts per million, 0% to 100%."""
ratios = st.fractions(min_value=0, max_value=1, max_denominator=10**12).map(
    lambda f: Decimal(f.numerator) / Decimal(f.denominator)
)
"""Attainments as the engine computes them: good ÷ valid at 28 significant digits."""


@given(ratios, targets)
def test_the_shown_value_never_crosses_the_target(ratio: Decimal, target: Decimal) -> None:
    """A ratio below its target is shown below it, and one at or above it is shown at or above it."""
    shown_text = display_ratio(ratio, target)
    with localcontext() as exact:
        exact.prec = 60
        shown = Decimal(shown_text.removesuffix("%")) / 100
    assert (shown >= target) == (ratio >= target)
    assert shown == shown_ratio(ratio, target)


@given(ratios, targets)
def test_the_shown_value_is_cut_by_less_than_one_last_place(ratio: Decimal, target: Decimal) -> None:
    """The shown value is at most the ratio and less than one shown place below it."""
    shown = shown_ratio(ratio, target)
    step = Decimal(1).scaleb(-(shown_places(target) + 2))
    assert shown <= ratio < shown + step
