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
from attain.services.store import standing_data, status
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


def test_an_exercised_right_to_terminate_ends_the_agreement_after_the_rules_notice(tmp_path: Path) -> None:
    """Notice 10d: exercised 2026-12-04 00:00 UTC, it ends 2026-12-14 00:00; status in February stops there."""
    document = _document()
    document["spec"]["termination"]["rights"][0]["notice"] = "10d"
    store, engine = two_months(tmp_path, document, NOW)
    rights = SqlRights(engine)
    sync(store, rights, "shop", NOW)
    take(rights, "shop", 1, RightState.EXERCISED, SHOP, NOW, "letter", store=store)
    ended = rights.ending("shop")
    assert ended is not None
    assert (ended.right, ended.grants, ended.exercised_at, ended.ends_at, ended.actor, ended.note) == (
        1,
        "terminate",
        NOW,
        to_us(datetime(2026, 12, 14, tzinfo=UTC)),
        "token:4@C",
        "letter",
    )
    february = to_us(datetime(2027, 2, 10, tzinfo=UTC))
    [result] = status(store, ["shop"], february)
    assert result.evaluation.at == to_us(datetime(2026, 12, 14, tzinfo=UTC))
    [objective] = result.evaluation.objectives
    assert [(p.period, p.closed) for p in objective.periods] == [
        ("2026-10", True),
        ("2026-11", True),
        ("2026-12", False),
    ]
    assert standing_data(result)["terminated"] == {
        "right": 1,
        "grants": "terminate",
        "exercisedAt": "2026-12-04T00:00:00Z",
        "endsAt": "2026-12-14T00:00:00Z",
        "by": "token:4@C",
        "note": "letter",
    }
    actions = [e.action for e in SqlAudit(engine).entries("shop") if e.action.startswith(("right.", "agreement."))]
    assert actions == ["right.granted", "right.exercised", "agreement.terminated"]
    engine.dispose()


def test_exercising_a_right_to_renegotiate_ends_nothing(tmp_path: Path) -> None:
    """`renegotiate` exercised: no termination, status in February judges February."""
    document = _document()
    document["spec"]["termination"]["rights"][0]["grants"] = "renegotiate"
    store, engine = two_months(tmp_path, document, NOW)
    rights = SqlRights(engine)
    sync(store, rights, "shop", NOW)
    take(rights, "shop", 1, RightState.EXERCISED, SHOP, NOW, None, store=store)
    assert rights.ending("shop") is None
    february = to_us(datetime(2027, 2, 10, tzinfo=UTC))
    [result] = status(store, ["shop"], february)
    assert (result.evaluation.at, result.ended) == (february, None)
    engine.dispose()
