"""One stored hour row's minute array decoded in Python, without numpy (`attain.storage.hour_row` for the format).

A row's `good`, `valid` and `value_count` are 60 little-endian signed integers of one width (1, 2,
4 or 8 bytes), or empty for 60 zeros.
"""

from __future__ import annotations

import struct
from typing import Any

MINUTES = 60
"""Minutes per hour row."""
FORMATS = {1: struct.Struct("<60b"), 2: struct.Struct("<60h"), 4: struct.Struct("<60i"), 8: struct.Struct("<60q")}
"""Per width in bytes, the 60 values' layout (`attain.storage.hour_row.WIDTHS`)."""


def minute_ints(blob: Any) -> tuple[int, ...]:
    """The 60 values of one stored array (bytes or memoryview; empty: 60 zeros).

    Raises:
        ValueError: the blob is not 60 values of 1, 2, 4 or 8 bytes.
    """
    data = bytes(blob)
    if not data:
        return (0,) * MINUTES
    layout = FORMATS.get(len(data) // MINUTES) if len(data) % MINUTES == 0 else None
    if layout is None:
        raise ValueError(f"a stored minute array has {len(data)} bytes, not 60 values of 1, 2, 4 or 8 bytes")
    return layout.unpack(data)
