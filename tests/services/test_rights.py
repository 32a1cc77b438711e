"""Termination rights as a ledger on a real SQLite store: granted once, exercised by the customer, lapsed in time.

The rule: missing `checkout` in 2 consecutive months grants the right to terminate, to be exercised
within 30 days. October 2026 (98.5% < 99%) and November (96%) are both missed, so the right arises
when November closes, 2026-12-01 00:00 UTC, and may be exercised until 2026-12-31 00:00 UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.services.months_support import two_months

from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side
from attain.engine.rights import RightState
from attain.errors import InvalidInput
from attain.services.rights import right_data, sync, take
from attain.storage.audit import SqlAudit
from attain.storage.right import SqlRights
from attain.storage.store import SqlStore
from attain.testing import agreement

NOW = to_us(datetime(2026, 12, 4, tzinfo=UTC))
SHOP = Caller(Side.CUSTOMER, "token:4@C")


def _document() -> dict[str, Any]:
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": "month",
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    rule = {
        "when": {"objective": "checkout", "breachedConsecutivePeriods": 2},
        "grants": "terminate",
        "exerciseWithin": "30d",
    }
    document["spec"]["termination"] = {"clause": "Either party may end it.", "rights": [rule]}
    return document


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlRights, SqlAudit]]:
    """`shop` applied, October (985 of 1,000 good) and November 2026 (960) ingested."""
    store, engine = two_months(tmp_path, _document(), NOW)
    yield store, SqlRights(engine), SqlAudit(engine)
    engine.dispose()


def test_the_right_is_recorded_once_and_the_customer_exercises_it(ledger: tuple) -> None:
    """One right, granted 2026-12-01, exercisable until 2026-12-31; the provider cannot exercise it; the customer does."""
    store, rights, audit = ledger
    [entry] = [right_data(e) for e in sync(store, rights, "shop", NOW)]
    assert (entry["number"], entry["objective"], entry["grants"], entry["periods"]) == (
        1,
        "checkout",
        "terminate",
        ["2026-10", "2026-11"],
    )
    assert (entry["grantedAt"], entry["exerciseBy"], entry["state"]) == (
        "2026-12-01T00:00:00Z",
        "2026-12-31T00:00:00Z",
        "open",
    )
    assert len(sync(store, rights, "shop", NOW + 1)) == 1
    with pytest.raises(InvalidInput) as provider:
        take(rights, "shop", 1, RightState.EXERCISED, Caller(Side.PROVIDER, "cli:alice"), NOW, None)
    assert provider.value.problems[0].message == (
        "shop right 1: the customer exercises or waives its rights, not the provider"
    )
    done = take(rights, "shop", 1, RightState.EXERCISED, SHOP, NOW, "notice letter of 2026-12-04")
    assert (done.state, done.decided_by, done.note) == (
        RightState.EXERCISED,
        "token:4@C",
        "notice letter of 2026-12-04",
    )
    actions = [(e.action, e.subject) for e in audit.entries("shop") if e.action.startswith("right.")]
    assert actions == [("right.granted", "right 1"), ("right.exercised", "right 1")]


def test_an_unused_right_lapses_after_its_deadline(ledger: tuple) -> None:
    """Looked at after 2026-12-31 00:00 UTC without having been exercised: lapsed, and no longer usable."""
    store, rights, _ = ledger
    sync(store, rights, "shop", NOW)
    after = to_us(datetime(2026, 12, 31, 0, 1, tzinfo=UTC))
    [entry] = sync(store, rights, "shop", after)
    assert (entry.state, entry.decided_by, entry.note) == (RightState.LAPSED, "system", "not exercised in time")
    with pytest.raises(InvalidInput) as late:
        take(rights, "shop", 1, RightState.EXERCISED, SHOP, after, None)
    assert late.value.problems[0].message == "shop right 1: the right is lapsed, no longer open"
