"""One pass over events into per-minute counts per group, in compiled code (numba).

The expensive part of answering "how are my SLAs doing" from raw events is reading them; so the
events are read once, and one compiled loop counts them per group and minute. A group is one
distinct combination of the attributes the objectives filter on (say service × good), so the loop
does not depend on how many objectives there are: each objective's good and valid counts are then
sums of a few groups' rows (`attain.ingestion.group` classifies the groups with
`attain.engine.classify`, exactly as single events are classified). `attain.engine.summary` turns
the counts into the answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_MINUTE
from attain.errors import MissingExtra

try:
    import numba
except ModuleNotFoundError:  # numba comes with the 'fast' extra; only the one-pass paths load this module
    needed_by = "counting in one pass (attain summary)"
    raise MissingExtra.of("fast", needed_by, "numba") from None

Counts = npt.NDArray[np.int64]


@numba.njit(cache=True, inline="always")
def _minute(at, first_minute, minutes):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The column of instant `at` in a table of `minutes` minutes from `first_minute`; -1 outside."""
    offset = at - first_minute
    if offset < 0:
        return -1
    minute = offset // 60_000_000
    return minute if minute < minutes else -1


@numba.njit(cache=True, nogil=True)
def _scatter(at, codes, lut, first_minute, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    outside = 0
    for i in range(at.size):
        minute = _minute(at[i], first_minute, out.shape[1])
        if minute < 0:
            outside += 1
        else:
            out[lut[codes[i]], minute] += 1
    return outside


def count_minutes(
    at: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int32],
    lut: npt.NDArray[np.int32],
    first_minute: int,
    out: Counts,
) -> int:
    """Add one to `out[lut[codes[i]], minute of at[i]]` for every event; return how many fell outside.

    `out` has one row per group and one column per minute from `first_minute`; events before
    `first_minute` or after the last column are not counted. One compiled pass, O(events).
    """
    if first_minute % US_PER_MINUTE:
        raise ValueError(f"first_minute {first_minute}: must lie on a whole minute")
    if at.shape != codes.shape:
        raise ValueError(f"at and codes differ in length: {at.size} and {codes.size}")
    return int(_scatter(at, codes, lut, np.int64(first_minute), out))


@numba.njit(cache=True, nogil=True)
def _scatter_two(at, c0, c1, r1, lut, first_minute, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    outside = 0
    for i in range(at.size):
        minute = _minute(at[i], first_minute, out.shape[1])
        if minute < 0:
            outside += 1
        else:
            out[lut[np.int64(c0[i]) * r1 + np.int64(c1[i])], minute] += 1
    return outside


@numba.njit(cache=True, nogil=True)
def _scatter_three(at, c0, c1, c2, r1, r2, lut, first_minute, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, PLR0913, PLR0917
    outside = 0
    for i in range(at.size):
        minute = _minute(at[i], first_minute, out.shape[1])
        if minute < 0:
            outside += 1
        else:
            out[lut[(np.int64(c0[i]) * r1 + np.int64(c1[i])) * r2 + np.int64(c2[i])], minute] += 1
    return outside


def count_combined(
    at: npt.NDArray[np.int64],
    columns: Sequence[npt.NDArray[Any]],
    radices: Sequence[int],
    lut: npt.NDArray[np.int32],
    first_minute: int,
    out: Counts,
) -> int:
    """`count_minutes` on the mixed-radix combination of code columns, fused into one pass.

    `lut` maps every combination `((c0·r1) + c1)·r2 + c2` (up to three columns; more are combined
    first) to a row of `out`. Returns how many events fell outside the minutes of `out`.
    """
    if first_minute % US_PER_MINUTE:
        raise ValueError(f"first_minute {first_minute}: must lie on a whole minute")
    first = np.int64(first_minute)
    if len(columns) == 1:
        return int(_scatter(at, columns[0], lut, first, out))
    if len(columns) == 2:
        return int(_scatter_two(at, columns[0], columns[1], np.int64(radices[1]), lut, first, out))
    if len(columns) == 3:
        r1, r2 = np.int64(radices[1]), np.int64(radices[2])
        return int(_scatter_three(at, columns[0], columns[1], columns[2], r1, r2, lut, first, out))
    codes = combine_codes([c.astype(np.int32) for c in columns], radices) if columns else np.zeros(at.size, np.int32)
    return count_minutes(at, codes, lut, first_minute, out)


@numba.njit(cache=True, nogil=True)
def _combine(columns, radices, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    for i in range(out.size):
        code = 0
        for k in range(len(columns)):
            code = code * radices[k] + columns[k][i]
        out[i] = code


def combine_codes(columns: Sequence[npt.NDArray[np.int32]], radices: Sequence[int]) -> npt.NDArray[np.int32]:
    """Mixed-radix codes `(((c0)·r1 + c1)·r2 + c2)…` of several dictionary-code columns, in one pass."""
    size = columns[0].size if columns else 0
    if int(np.prod(np.array(radices, dtype=np.float64))) >= 2**31:
        raise ValueError("too many attribute combinations for 32-bit codes")
    out = np.empty(size, dtype=np.int32)
    if columns:
        _combine(tuple(columns), np.array(radices, dtype=np.int64), out)
    else:
        out[:] = 0
    return out
