"""Exclusion requests on a real SQLite store: asked by one party, accepted by the other, applied to the open period only.

The agreement (UTC, monthly) measures availability from incidents and excludes announced
maintenance given at least two days' notice. An outage 2026-11-20 02:00–04:00 (120 minutes) is
stored. Evaluated at 2026-11-30 00:00, November's measured span is 29 × 1,440 = 41,760 minutes:
without the exclusion 120 of them are down, uptime (41,760 − 120) / 41,760; once the maintenance
request made on 2026-11-10 (ten days ahead, so in time) is accepted, those 120 minutes are
excluded downtime: none down, uptime 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side, State
from attain.errors import InvalidInput
from attain.ingestion.run import IngestOptions
from attain.services.exclusions import decide, request, request_data
from attain.services.store import apply_files, evaluate_stored, ingest_files
from attain.storage import connect, upgrade
from attain.storage.audit import SqlAudit
from attain.storage.exclusion_request import SqlExclusionRequests
from attain.storage.store import SqlStore
from attain.testing import agreement

ASKED = to_us(datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
JUDGED = to_us(datetime(2026, 11, 30, tzinfo=UTC))
PROVIDER = Caller(Side.PROVIDER, "cli:alice")
SHOP = Caller(Side.CUSTOMER, "token:4@C")
WINDOW = (datetime(2026, 11, 20, 2, 0, tzinfo=UTC), datetime(2026, 11, 20, 4, 0, tzinfo=UTC))


def _document() -> dict[str, Any]:
    objective = {
        "name": "uptime",
        "indicator": {"kind": "availability", "from": "incidents", "events": "outages"},
        "target": "99.9%",
        "window": "month",
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    document["spec"]["exclusions"] = [{"kind": "maintenance", "minimumNotice": "2d"}]
    return document


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlExclusionRequests, SqlAudit]]:
    """`shop` applied and its November outage stored."""
    path = tmp_path / "shop.yaml"
    path.write_text(json.dumps(_document()), encoding="utf-8")
    (tmp_path / "outages.csv").write_text("start,end\n2026-11-20T02:00:00Z,2026-11-20T04:00:00Z\n", encoding="utf-8")
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    apply_files(store, [path], ASKED)
    ingest_files(store, [tmp_path / "outages.csv"], "shop", ASKED, IngestOptions(), None)
    yield store, SqlExclusionRequests(engine), SqlAudit(engine)
    engine.dispose()


def _november(store: SqlStore) -> tuple[Decimal, Decimal]:
    """November's downtime counted (minutes) and its uptime ratio, evaluated at 2026-11-30 00:00."""
    [objective] = evaluate_stored(store, "shop", JUDGED).evaluation.objectives
    [period] = [p for p in objective.periods if p.period == "2026-11"]
    assert period.ratio is not None
    return period.detail["downtime_minutes"], period.ratio


BEFORE = Decimal(41640) / Decimal(41760)
"""(41,760 − 120) / 41,760 minutes, to 28 digits."""


def _unexcluded(store: SqlStore) -> bool:
    down, ratio = _november(store)
    return down == 120 and abs(ratio - BEFORE) < Decimal("1e-25")


def _ask(store: SqlStore, kept: SqlExclusionRequests, **changes: Any) -> Any:
    given: dict[str, Any] = {
        "kind": "maintenance",
        "span": WINDOW,
        "objectives": ["uptime"],
        "reason": "database upgrade",
        "evidence": "change ticket CHG-1042",
        "caller": PROVIDER,
        "now": ASKED,
    }
    return request(store, kept, "shop", **(given | changes))


def test_an_accepted_maintenance_request_excludes_its_time_from_the_open_period(stores: tuple) -> None:
    """Before: 120 minutes down, (41,760 − 120) / 41,760 up; after the customer accepts: none down, 100%."""
    store, kept, audit = stores
    assert _unexcluded(store)
    made = _ask(store, kept)
    assert (made.number, made.state, made.created_at) == (1, State.PROPOSED, ASKED)
    assert _unexcluded(store)  # asked, not yet agreed: nothing changes
    with pytest.raises(InvalidInput) as own:
        decide(store, kept, "shop", 1, State.ACCEPTED, Caller(Side.PROVIDER, "cli:bob"), ASKED)
    assert own.value.problems[0].message == (
        "shop exclusion request 1: a change of terms needs the customer's decision, not the provider's"
    )
    accepted = decide(store, kept, "shop", 1, State.ACCEPTED, SHOP, ASKED + 1)
    assert (accepted.state, accepted.decided_by) == (State.ACCEPTED, "token:4@C")
    assert _november(store) == (Decimal(0), Decimal(1))
    data = request_data(accepted)
    assert (data["start"], data["end"], data["createdAt"]) == (
        "2026-11-20T02:00:00Z",
        "2026-11-20T04:00:00Z",
        "2026-11-10T12:00:00Z",
    )
    actions = [e.action for e in audit.entries("shop")]
    assert actions[-3:] == ["exclusion.requested", "batch.stored", "exclusion.accepted"]


def test_a_request_reaching_into_a_closed_period_is_not_accepted(stores: tuple) -> None:
    """At 2026-11-10 the open period is November: a request from 2026-10-31 22:00 is refused, nothing stored."""
    store, kept, _ = stores
    early = (datetime(2026, 10, 31, 22, 0, tzinfo=UTC), datetime(2026, 11, 1, 2, 0, tzinfo=UTC))
    _ask(store, kept, span=early)
    with pytest.raises(InvalidInput) as refused:
        decide(store, kept, "shop", 1, State.ACCEPTED, SHOP, ASKED)
    assert refused.value.problems[0].message == (
        "shop exclusion request 1: it reaches back before the open period 2026-11; closed periods do not change"
    )
    assert kept.request("shop", 1).state is State.PROPOSED  # type: ignore[union-attr]
    assert store.announcements(0, 2**62, "shop") == []


def test_every_problem_of_a_request_at_once_and_reject_withdraw(stores: tuple) -> None:
    """Unlisted kind, empty range, unknown objective, no reason: four problems; a rejection needs a note."""
    store, kept, _ = stores
    with pytest.raises(InvalidInput) as bad:
        _ask(store, kept, kind="force-majeure", span=(WINDOW[1], WINDOW[0]), objectives=["latency"], reason=" ")
    assert [p.path for p in bad.value.problems] == ["kind", "end", "objectives", "reason"]
    assert bad.value.problems[0].message == "the agreement excludes no force-majeure time"
    _ask(store, kept)
    _ask(store, kept)
    with pytest.raises(InvalidInput) as bare:
        decide(store, kept, "shop", 1, State.REJECTED, SHOP, ASKED)
    assert bare.value.problems[0].message == "shop exclusion request 1: a rejection needs a reason (--note)"
    assert decide(store, kept, "shop", 1, State.REJECTED, SHOP, ASKED, "not announced to us").state is State.REJECTED
    assert decide(store, kept, "shop", 2, State.WITHDRAWN, PROVIDER, ASKED).state is State.WITHDRAWN
    assert _unexcluded(store)
