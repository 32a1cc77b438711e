"""The credit ledger on a real SQLite store at fixed instants: owed, expired, claimed, approved, issued, rejected.

The agreement (UTC) charges EUR 1,000 a month and credits 10% below 99%, 30% below 95%; claims are
made within one month of the period's end (`claimWithin: P1M`).

- October 2026: 985 of 1,000 requests good = 98.5% → 10% = EUR 100.00; it ended 2026-11-01 00:00,
  so its claim window closed 2026-12-01 00:00: at 2026-12-04 it has expired unclaimed.
- November 2026: 960 of 1,000 = 96% → 10% = EUR 100.00; claimable until 2027-01-01 00:00 UTC.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.services.months_support import two_months

from attain.engine.claims import CreditState, Step
from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side
from attain.errors import InvalidInput
from attain.services.credits import entry_data, sync, take
from attain.storage.audit import SqlAudit
from attain.storage.credit import SqlCredits
from attain.storage.store import SqlStore
from attain.testing import agreement

NOW = to_us(datetime(2026, 12, 4, tzinfo=UTC))
SHOP = Caller(Side.CUSTOMER, "token:4@C")
ALICE = Caller(Side.PROVIDER, "cli:alice")


def _document() -> dict[str, Any]:
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": "month",
        "credits": [{"below": "99%", "atLeast": "95%", "credit": "10%"}, {"below": "95%", "credit": "30%"}],
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    document["spec"]["fee"] = {"amount": "1000", "currency": "EUR"}
    document["spec"]["creditPolicy"] = {"claimWithin": "P1M"}
    return document


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlCredits, SqlAudit]]:
    """`shop` applied, October (985 of 1,000 good) and November 2026 (960) ingested."""
    store, engine = two_months(tmp_path, _document(), NOW)
    yield store, SqlCredits(engine), SqlAudit(engine)
    engine.dispose()


def _refusal(error: pytest.ExceptionInfo[InvalidInput]) -> str:
    [problem] = error.value.problems
    return problem.message


def test_closed_periods_owe_credits_and_an_unclaimed_one_expires(ledger: tuple) -> None:
    """October expired at 2026-12-01; November is owed until 2027-01-01; a second sync changes nothing."""
    store, book, audit = ledger
    entries = [entry_data(e) for e in sync(store, book, "shop", NOW)]
    assert [(e["period"], e["state"], e["share"], e["amount"], e["currency"], e["claimBy"]) for e in entries] == [
        ("2026-10", "expired", "0.10", "100.00", "EUR", "2026-12-01T00:00:00Z"),
        ("2026-11", "owed", "0.10", "100.00", "EUR", "2027-01-01T00:00:00Z"),
    ]
    assert (entries[0]["decidedBy"], entries[0]["reason"]) == ("system", "the claim window passed unclaimed")
    assert entries[1]["objectives"] == ["checkout"]
    before = len(audit.entries("shop"))
    sync(store, book, "shop", NOW + 1)
    assert len(audit.entries("shop")) == before


def test_a_claim_is_approved_and_issued_by_the_provider(ledger: tuple) -> None:
    """The customer claims November; the customer cannot approve it; the provider approves and issues it."""
    store, book, audit = ledger
    sync(store, book, "shop", NOW)
    claimed = take(book, "shop", "2026-11", Step.CLAIM, SHOP, NOW + 1)
    assert (claimed.state, claimed.claimed_by, claimed.claimed_at) == (CreditState.CLAIMED, "token:4@C", NOW + 1)
    with pytest.raises(InvalidInput) as customer:
        take(book, "shop", "2026-11", Step.APPROVE, SHOP, NOW + 2)
    assert _refusal(customer) == "shop 2026-11: the provider may approve a credit, not the customer"
    approved = take(book, "shop", "2026-11", Step.APPROVE, ALICE, NOW + 2)
    issued = take(book, "shop", "2026-11", Step.ISSUE, ALICE, NOW + 3, reference="credit note CN-2026-118")
    assert (approved.decided_by, issued.state, issued.reference) == (
        "cli:alice",
        CreditState.ISSUED,
        "credit note CN-2026-118",
    )
    with pytest.raises(InvalidInput) as late:
        take(book, "shop", "2026-10", Step.CLAIM, SHOP, NOW + 4)
    assert _refusal(late) == "shop 2026-10: the credit is expired; claim needs it owed"
    moves = [(e.action, e.subject, e.actor) for e in audit.entries("shop") if e.action.startswith("credit.")]
    assert moves == [
        ("credit.owed", "2026-10", "system"),
        ("credit.owed", "2026-11", "system"),
        ("credit.expired", "2026-10", "system"),
        ("credit.claimed", "2026-11", "token:4@C"),
        ("credit.approved", "2026-11", "cli:alice"),
        ("credit.issued", "2026-11", "cli:alice"),
    ]
    assert audit.verify() == []


def test_a_claim_is_rejected_only_with_a_reason(ledger: tuple) -> None:
    """Rejecting needs a reason; an unknown period names the periods that owe a credit."""
    store, book, _ = ledger
    sync(store, book, "shop", NOW)
    take(book, "shop", "2026-11", Step.CLAIM, SHOP, NOW)
    with pytest.raises(InvalidInput) as bare:
        take(book, "shop", "2026-11", Step.REJECT, ALICE, NOW, reason=" ")
    assert _refusal(bare) == "a rejected claim needs a reason"
    rejected = take(book, "shop", "2026-11", Step.REJECT, ALICE, NOW, reason="the outage was announced maintenance")
    assert (rejected.state, rejected.reason) == (CreditState.REJECTED, "the outage was announced maintenance")
    with pytest.raises(InvalidInput) as unknown:
        take(book, "shop", "2026-09", Step.CLAIM, SHOP, NOW)
    assert _refusal(unknown) == "shop owes no credit for '2026-09'"
    assert rejected.amount == Decimal("100.00")


def test_amounts_are_recorded_as_paid_to_the_currencys_minor_unit() -> None:
    """Half to even at the minor unit: 185.175 EUR → 185.18, 185.165 → 185.16; 1,234.5 JPY → 1,234; none stays none."""
    from attain.services.credits import _to_minor_unit  # noqa: PLC0415 - the rule alone

    assert _to_minor_unit(Decimal("185.175"), "EUR") == Decimal("185.18")
    assert _to_minor_unit(Decimal("185.165"), "EUR") == Decimal("185.16")
    assert _to_minor_unit(Decimal("500.0000"), "USD") == Decimal("500.00")
    assert _to_minor_unit(Decimal("1234.5"), "JPY") == Decimal(1234)
    assert _to_minor_unit(None, "EUR") is None


def test_a_later_version_never_changes_a_closed_periods_stored_result(ledger: tuple) -> None:
    """A change accepted for 2027-01 leaves October's stored result byte-identical and its credit as owed then.

    October is stored under version 1 (99%); version 2 (95%, 10% below 95%) is proposed and accepted
    to take effect 2027-01-01; October evaluated again stores the same result, judged by version 1.
    """
    from attain.engine.negotiation import Caller, Side  # noqa: PLC0415
    from attain.services import proposals  # noqa: PLC0415
    from attain.services.store import evaluate_period  # noqa: PLC0415
    from attain.storage.proposal import SqlProposals  # noqa: PLC0415
    from attain.testing import agreement_model  # noqa: PLC0415

    store, book, _ = ledger
    evaluate_period(store, "shop", "2026-10", NOW)
    before = [json.dumps(r.data, sort_keys=True) for r in store.results("shop")]
    document = _document()
    document["spec"]["objectives"][0]["target"] = "95%"
    document["spec"]["objectives"][0]["credits"] = [{"below": "95%", "credit": "10%"}]
    document["spec"]["effective"] = {"from": "2027-01-01"}
    kept = SqlProposals(book._engine)
    proposals.propose(store, kept, agreement_model(document), Caller(Side.PROVIDER, "cli:alice"), NOW)
    proposals.accept(store, kept, "shop", 1, SHOP, NOW)
    again = evaluate_period(store, "shop", "2026-10", NOW + 1)  # raises ResultConflict if it differed
    assert [json.dumps(r.data, sort_keys=True) for r in store.results("shop")] == before
    assert [r.version for r in again] == [1]
    [october, _] = sync(store, book, "shop", NOW + 2)
    assert (october.period, october.share, october.version) == ("2026-10", Decimal("0.10"), 1)


def test_the_yearly_cap_lowers_the_entry_that_passes_it_and_says_why(tmp_path: Path) -> None:
    """A yearly cap of EUR 150 (maxPerYear): October owes 100.00, November's 100.00 is capped to the 50.00 left of 2026."""
    document = _document()
    document["spec"]["creditPolicy"]["maxPerYear"] = "150.00"
    store, engine = two_months(tmp_path, document, NOW)
    entries = [entry_data(e) for e in sync(store, SqlCredits(engine), "shop", NOW)]
    assert [(e["period"], e["amount"], e["uncapped"], e["capped"]) for e in entries] == [
        ("2026-10", "100.00", None, None),
        (
            "2026-11",
            "50.00",
            "100.00",
            "capped at 2026-12-04T00:00:00Z by creditPolicy.maxPerYear 150.00 EUR: 2026 already owes 100.00 EUR,"
            " so 50.00 EUR of 100.00 EUR is left",
        ),
    ]
    again = [entry_data(e) for e in sync(store, SqlCredits(engine), "shop", NOW + 1)]
    assert [(e["amount"], e["uncapped"]) for e in again] == [("100.00", None), ("50.00", "100.00")]
    engine.dispose()


def test_a_cap_already_reached_leaves_nothing_and_a_later_year_starts_afresh() -> None:
    """Reached in 2026: a 2026 entry is lowered to 0; a 2027 entry counts only 2027's."""
    from attain.services.credits import _yearly_cap  # noqa: PLC0415 - the rule in isolation

    spent = {"2026": Decimal("150.00")}
    assert _yearly_cap("2026-12", Decimal("80.00"), "EUR", Decimal("150.00"), spent, NOW)[:2] == (
        Decimal(0),
        Decimal("80.00"),
    )
    assert _yearly_cap("2027-01", Decimal("80.00"), "EUR", Decimal("150.00"), spent, NOW) == (
        Decimal("80.00"),
        None,
        None,
    )
    assert spent == {"2026": Decimal("150.00"), "2027": Decimal("80.00")}
