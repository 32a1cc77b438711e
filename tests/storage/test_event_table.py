"""Events read in bulk as the engine's columns are the same table as events read row by row."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.engine.measurement import Event, EventTable
from attain.ports import Batch
from attain.storage import SqlStore, connect, upgrade

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.text("abz-/:. 0159", max_size=6),
    st.sampled_from(["2026-10-01T00:00:00Z", "1.5", "true", ""]),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.lists(st.integers(0, 3), max_size=2),
)
events = st.lists(
    st.tuples(
        st.integers(0, 10**9),
        st.one_of(st.none(), st.decimals("-1000", "1000", places=3, allow_nan=False)),
        st.dictionaries(st.sampled_from(["region", "status", "code", "flag"]), values, max_size=4),
    ),
    max_size=25,
)
_keys = itertools.count()


def _same(one: EventTable, other: EventTable) -> None:
    assert one.at.tolist() == other.at.tolist()
    assert one.values == other.values
    assert np.array_equal(one.numbers, other.numbers, equal_nan=True)
    assert one.floats_exact == other.floats_exact
    assert sorted(one.columns) == sorted(other.columns)
    for name in one.columns:
        assert one.columns[name].tolist() == other.columns[name].tolist(), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events)
def test_bulk_columns_equal_row_by_row_columns(tmp_path: Path, rows: list[tuple[int, Decimal | None, dict]]) -> None:
    """Strings, booleans, integers, fractions, lists, nulls and missing keys all come out as the row path writes them."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    stream = f"s{next(_keys)}"
    made = [Event(at, value, attributes) for at, value, attributes in rows]
    store.store_batch(Batch(stream, "web", stream, "test", len(made), events=made), now=0)
    _same(store.event_table(stream, 0, 10**10, "web"), EventTable.from_events(store.events(stream, 0, 10**10, "web")))
    engine.dispose()
