"""`where` and `whereNot` match attributes by normalised text, one event at a time and column-wise alike."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.filter import ABSENT, column, mask, matches, text

EVENTS: list[dict[str, Any]] = [
    {"status": 200, "method": "GET", "cached": True},
    {"status": "200", "method": "HEAD"},
    {"status": 503, "method": "GET", "cached": False},
    {"method": "POST"},
    {"status": None, "method": "GET"},
]


def test_text_normalises_as_a_document_writes_values() -> None:
    """Booleans are true/false, numbers their digits, None stays None (so it never equals a written value)."""
    assert [text(v) for v in (True, False, 200, "200", 0.5, None)] == ["true", "false", "200", "200", "0.5", None]


def test_where_matches_every_key_with_any_listed_value() -> None:
    """A CSV's "200" matches a YAML 200; a list allows any of its values; a missing attribute never matches."""
    where = {"status": 200, "method": ("GET", "HEAD")}
    assert [matches(e, where) for e in EVENTS] == [True, True, False, False, False]
    assert [matches(e, {"cached": True}) for e in EVENTS] == [True, False, False, False, False]
    assert [matches(e, {}) for e in EVENTS] == [True] * 5


def test_where_not_excludes_present_values_only() -> None:
    """`whereNot: {method: GET}` drops GET events and keeps events without a method; both lists must hold."""
    assert [matches(e, {}, {"method": "GET"}) for e in EVENTS] == [False, True, False, True, False]
    assert [matches(e, {}, {"status": (503, 200)}) for e in EVENTS] == [False, False, False, True, True]
    assert [matches(e, {"method": "GET"}, {"cached": False}) for e in EVENTS] == [True, False, False, False, True]


def test_columns_mark_absent_and_none_alike() -> None:
    """A column holds the normalised text, and ABSENT where the event has no value."""
    assert column([e.get("status") for e in EVENTS]).tolist() == ["200", "200", "503", ABSENT, ABSENT]


def test_a_where_on_a_missing_column_matches_nothing() -> None:
    """When no event carries the attribute, `where` on it selects none and `whereNot` on it removes none."""
    columns = {"method": column([e.get("method") for e in EVENTS])}
    assert mask(columns, 5, {"region": "eu"}).tolist() == [False] * 5
    assert mask(columns, 5, {}, {"region": "eu"}).tolist() == [True] * 5


VALUES = st.sampled_from([200, "200", 503, "GET", "HEAD", True, False, "true", None])
ATTRIBUTES = st.dictionaries(st.sampled_from(["status", "method"]), VALUES)
CONDITION = st.dictionaries(
    st.sampled_from(["status", "method"]),
    st.one_of(VALUES.filter(lambda v: v is not None), st.tuples(VALUES.filter(lambda v: v is not None))),
)


@given(st.lists(ATTRIBUTES, max_size=8), CONDITION, CONDITION)
def test_mask_agrees_with_matches_event_by_event(events: list[dict[str, Any]], where, where_not) -> None:
    """The vectorised mask selects exactly the events that `matches` accepts one at a time."""
    keys = {key for e in events for key in e}
    columns = {key: column([e.get(key) for e in events]) for key in keys}
    expected = [matches(e, where, where_not) for e in events]
    assert mask(columns, len(events), where, where_not).tolist() == expected
