"""Exact comparisons of integer arrays with a fraction (`attain.engine.exact` for the rules).

`part·q` against `p·whole` on int64 arrays while the products fit (`exact.INT64_MAX`), on Python
integers (object arrays) beyond, so that no comparison is decided by an int64 that wrapped around.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.exact import INT64_MAX


def widened(counts: npt.NDArray[Any], terms: int) -> npt.NDArray[Any]:
    """`counts` as they are when any sum of `terms` of them fits int64, else as Python integers (object array)."""
    peak = int(np.max(np.abs(counts), initial=0))
    return counts if peak * terms <= INT64_MAX else counts.astype(object)


def scaled(counts: npt.NDArray[Any], factor: int) -> npt.NDArray[Any]:
    """`counts × factor` exactly: int64 when it cannot overflow, Python integers (object array) otherwise."""
    peak = int(np.max(np.abs(counts), initial=0))
    if factor <= INT64_MAX and peak * abs(factor) <= INT64_MAX:
        return counts * np.int64(factor)
    return counts.astype(object) * factor


def exceeds(part: npt.ArrayLike, whole: npt.ArrayLike, limit: Fraction) -> npt.NDArray[np.bool_]:
    """Elementwise `part / whole > limit`, decided exactly as `part·q > p·whole` with `limit = p/q`.

    `whole` must be positive where the answer matters (a caller guards empty windows itself); the
    products never overflow (`scaled`).
    """
    left, right = _sides(part, whole, limit)
    return np.asarray(left > right, dtype=bool)


def reaches(part: npt.ArrayLike, whole: npt.ArrayLike, limit: Fraction) -> npt.NDArray[np.bool_]:
    """Elementwise `part / whole ≥ limit`, decided exactly as `part·q ≥ p·whole` with `limit = p/q`."""
    left, right = _sides(part, whole, limit)
    return np.asarray(left >= right, dtype=bool)


def _sides(part: npt.ArrayLike, whole: npt.ArrayLike, limit: Fraction) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    parts, wholes = np.asarray(part), np.asarray(whole)
    return scaled(parts, limit.denominator), scaled(wholes, limit.numerator)
