"""ISO 8601 date-times read from text, apart from the annotated types, so that reading one loads no pydantic."""

from __future__ import annotations

import re
from datetime import datetime

_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def read_iso_datetime(text: str) -> datetime | None:
    """`2026-01-04T02:00`, with seconds, fractions and an offset (`Z`, `+08:00`) optional; None when it is not one.

    A space may stand for the `T`; surrounding blanks are ignored.
    """
    cleaned = text.strip().replace(" ", "T", 1)
    if not _ISO_DATETIME.fullmatch(cleaned):
        return None
    try:
        return datetime.fromisoformat(cleaned)
    except ValueError:
        return None
