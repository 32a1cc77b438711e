"""IANA time-zone names, checked against the tz database shipped with Python and tzdata."""

from __future__ import annotations

from difflib import get_close_matches
from functools import cache
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import PlainValidator, WithJsonSchema

from attain.model.quantity import invalid


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_time_zone(value: Any) -> str:
    """Accept a known IANA time-zone name such as `Europe/Berlin` or `UTC`."""
    if not isinstance(value, str) or value not in _zones():
        close = get_close_matches(value, sorted(_zones()), n=3) if isinstance(value, str) else []
        hint = f"did you mean {' or '.join(close)}?" if close else "use an IANA name such as Asia/Shanghai"
        raise invalid(f"unknown time zone {value!r}", hint)
    return value


TimeZoneName = Annotated[
    str,
    PlainValidator(parse_time_zone),
    WithJsonSchema({"type": "string", "examples": ["UTC", "Europe/Berlin", "Asia/Shanghai"]}),
]
"""An IANA time-zone name."""
