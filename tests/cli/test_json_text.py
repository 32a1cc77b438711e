"""The CLI's indented JSON writer writes exactly what `json.dumps(indent=2, ensure_ascii=False, default=str)` writes."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.cli.json_text import dumps_indented


class Color(StrEnum):
    """A text enum, as the CLI's data holds (states, kinds)."""

    RED = "red"


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.decimals(allow_nan=False)
    | st.dates()
    | st.just(Color.RED)
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False) | st.just(Color.RED)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


def expected(data: Any) -> str:
    """What the standard library writes."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_any_data_is_written_as_the_standard_library_writes_it(data: Any) -> None:
    """Nested lists, tuples and dicts of every scalar, odd keys, text with escapes and non-ASCII."""
    assert dumps_indented(data) == expected(data)


def test_a_summary_row_by_hand() -> None:
    """A summary row: text, integers, decimals as text, nulls, nested lists and dicts, written out by hand."""
    row = [
        {"objective": 'ché"ckout', "good": 9, "ratio": Decimal("0.75"), "days": [], "rates": {"5m": None, 1: [1, 2]}}
    ]
    assert dumps_indented(row) == (
        '[\n  {\n    "objective": "ché\\"ckout",\n    "good": 9,\n    "ratio": "0.75",\n    "days": [],\n'
        '    "rates": {\n      "5m": null,\n      "1": [\n        1,\n        2\n      ]\n    }\n  }\n]'
    )
    assert dumps_indented(row) == expected(row)


def test_keys_json_refuses_are_refused_as_json_refuses_them() -> None:
    """A key json cannot write (a date) raises json's own error: the writer leaves it to json.dumps."""
    for data in ({date(2026, 1, 1): 1}, {"a": {(1, 2): 3}}):
        with pytest.raises(TypeError) as theirs:
            expected(data)
        with pytest.raises(TypeError, match=re.escape(str(theirs.value))):
            dumps_indented(data)
