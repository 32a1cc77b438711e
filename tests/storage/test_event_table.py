"""Events read in groups with their counts (what `attain drivers` reads) are the events read row by row."""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal
from pathlib import Path

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


def _weighted(table: EventTable, counts: list[int], split: int) -> Counter[tuple[object, ...]]:
    """Each row as (from split on, value, every column's text), counted `counts[i]` times."""
    names = sorted(table.columns)
    found: Counter[tuple[object, ...]] = Counter()
    for i in range(table.size):
        row = (int(table.at[i]) >= split, table.values[i], *(str(table.columns[n][i]) for n in names))
        found[row] += counts[i]
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events, st.integers(0, 10**9))
def test_groups_weighted_by_their_counts_are_the_events(
    tmp_path: Path, rows: list[tuple[int, Decimal | None, dict[str, object]]], split: int
) -> None:
    """Strings, booleans, integers, fractions, lists, nulls and missing keys: the groups hold every event, once."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    stream = f"s{next(_keys)}"
    made = [Event(at, value, attributes) for at, value, attributes in rows]
    store.store_batch(Batch(stream, "web", stream, "test", len(made), events=made), now=0)
    grouped, counts = store.event_groups(stream, 0, split, 10**10, "web")
    one_by_one = EventTable.from_events(store.events(stream, 0, 10**10, "web"))
    assert sorted(grouped.columns) == sorted(one_by_one.columns)
    assert _weighted(grouped, counts.tolist(), split) == _weighted(one_by_one, [1] * one_by_one.size, split)
    assert grouped.at.tolist() == sorted(grouped.at.tolist())
    engine.dispose()
