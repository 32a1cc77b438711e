"""Matching events by their attributes: the `where` and `whereNot` of indicators.

`where: {status: ok, method: [GET, HEAD]}` matches an event whose `status` equals `ok` and whose
`method` is GET or HEAD; `whereNot` matches when no listed value is present. Values compare by
equality after normalising both sides to text (`true`, `200`), so a CSV's `"200"` matches a
YAML's `200`. An attribute the event does not carry never equals anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.model.selector import AttributeValue, Where

Attributes = Mapping[str, Any]


def text(value: Any) -> str | None:
    """The normalised text of an attribute value: booleans as true/false, None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _allowed(expected: AttributeValue | tuple[AttributeValue, ...]) -> frozenset[str | None]:
    values = expected if isinstance(expected, tuple) else (expected,)
    return frozenset(text(v) for v in values)


def matches(attributes: Attributes, where: Where, where_not: Where | None = None) -> bool:
    """Whether one event's attributes satisfy `where` and avoid `whereNot`."""
    for key, expected in where.items():
        if key not in attributes or text(attributes[key]) not in _allowed(expected):
            return False
    for key, excluded in (where_not or {}).items():
        if key in attributes and text(attributes[key]) in _allowed(excluded):
            return False
    return True


ABSENT = "\x00absent"
"""How a column marks an event that lacks the attribute (never equal to any written value)."""


def column(values: list[Any]) -> npt.NDArray[np.str_]:
    """A column of normalised text for vectorised matching; absent values become ABSENT."""
    return np.array([ABSENT if (t := text(v)) is None else t for v in values], dtype=np.str_)


def mask(
    columns: Mapping[str, npt.NDArray[np.str_]], size: int, where: Where, where_not: Where | None = None
) -> npt.NDArray[np.bool_]:
    """Vectorised `matches` over columns built by `column`."""
    result = np.ones(size, dtype=bool)
    for key, expected in where.items():
        values = columns.get(key)
        if values is None:
            return np.zeros(size, dtype=bool)
        result &= np.isin(values, _written(expected))
    for key, excluded in (where_not or {}).items():
        values = columns.get(key)
        if values is not None:
            result &= ~np.isin(values, _written(excluded))
    return result


def _written(expected: AttributeValue | tuple[AttributeValue, ...]) -> npt.NDArray[np.str_]:
    return np.array([t for t in _allowed(expected) if t is not None], dtype=np.str_)
