"""Exact arithmetic for the engine: decimal contexts, correctly rounded quotients, integer comparisons.

A boundary that decides money (99.0% against `below: 99%`, a burn rate against its threshold) is
never decided by a float or by an int64 that wrapped around. Every module of the engine takes its
rounding and its overflow bound from here, so that the slow path (`attain evaluate`) and the fast
one (`attain summary`) write the same digits.

- Ratios (`RATIO`): rounded toward −∞ to 28 significant digits. A target has fewer digits, so
  `ratio ≥ target` holds exactly when the exact fraction reaches the target; rounding never turns
  a miss into a met.
- Displayed quantities (`ROUNDED`): burn rates, factors, minutes, statistics; rounded half-even to
  28 significant digits, exact whenever the quotient terminates within them.
- Sums and products (`EXACT`): 200 digits with every inexact result trapped, so a budget's
  `consumed + remaining == allowed` can never be broken by a silent rounding.
- Quotients of integers are written with exponent 0 when exact (`Decimal` division's ideal
  exponent), so `quotient(20, 1)` is `20`, never `2E+1`, whichever of `20/1` and `40/2` is divided.
- Comparisons of count ratios with an exact fraction `p/q` are made as `bad·q > p·valid` on
  integers: int64 arrays while the products fit (`INT64_MAX`), Python integers beyond
  (`attain.engine.exact_array`; `above` for one pair). This module loads no numpy, so that
  `attain summary` from the store does not.
"""

from __future__ import annotations

from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

INT64_MAX = 2**63 - 1
"""The largest int64; a product or sum that could pass it is computed on Python integers."""
RATIO = Context(prec=28, rounding=ROUND_FLOOR)
"""Ratios: 28 significant digits rounded toward −∞ (see the module docstring)."""
ROUNDED = Context(prec=28, rounding=ROUND_HALF_EVEN)
"""Displayed quantities: 28 significant digits rounded half-even."""
EXACT = Context(prec=200, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
"""Sums and products that must be exact; an inexact result raises instead of rounding."""


def quotient(numerator: int, denominator: int, context: Context = ROUNDED) -> Decimal:
    """`numerator / denominator` correctly rounded in `context` (exact when it fits its digits)."""
    return context.divide(Decimal(numerator), Decimal(denominator))


def to_decimal(value: Fraction, context: Context = ROUNDED) -> Decimal:
    """A fraction as a Decimal in `context` (28 significant digits): exact when it fits, else rounded."""
    return quotient(value.numerator, value.denominator, context)


def above(part: int, whole: int, limit: Fraction) -> bool:
    """`part / whole > limit` for one pair of integers, decided exactly as `part·q > p·whole` with `limit = p/q`."""
    return part * limit.denominator > limit.numerator * whole
