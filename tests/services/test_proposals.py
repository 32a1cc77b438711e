"""Proposals on a real SQLite store at fixed instants: who decides, the notice, period starts, and nothing judged early.

The agreement's time zone is Asia/Shanghai (UTC+8, no DST); its change clause asks for 30 days'
notice and its reporting period is the month. Accepting at 2026-11-15 12:00 UTC (20:00 local)
with 30 days' notice allows no date before 2026-12-15 20:00 local, so the first whole local day is
2026-12-16 and the first month start 2027-01-01.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side, State
from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.lifecycle.versions import load_in_force
from attain.model import Agreement
from attain.services import proposals as p
from attain.services.store import apply_bundle
from attain.storage import SqlStore, connect, upgrade
from attain.storage.audit import SqlAudit
from attain.storage.proposal import SqlProposals
from attain.testing import agreement, agreement_model, ratio_objective

NOW = to_us(datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
ALICE = Caller(Side.PROVIDER, "cli:alice")
BOB = Caller(Side.PROVIDER, "cli:bob")
SHOP = Caller(Side.CUSTOMER, "token:4@C")


def _document(target: str = "99.9%", effective: str = "2026-01-01", alerting: str | None = None) -> dict[str, object]:
    doc = agreement(
        objectives=[ratio_objective("checkout", target=target, alerting=alerting)],
        time_zone="Asia/Shanghai",
        effective_from=effective,
    )
    doc["spec"]["changes"] = {"clause": "Changes in writing, with 30 days' notice.", "notice": "30d"}  # type: ignore[index]
    return doc


def _model(**kwargs: str | None) -> Agreement:
    return agreement_model(_document(**kwargs))  # type: ignore[arg-type]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlProposals, SqlAudit]]:
    """A SQLite store holding version 1 of `shop`, with its proposals and audit trail."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    from attain.testing import agreement_yaml  # noqa: PLC0415

    apply_bundle(store, load_bundle_text(agreement_yaml(_document()), "shop.yaml"), NOW)
    yield store, SqlProposals(engine), SqlAudit(engine)
    engine.dispose()


def _refusal(error: pytest.ExceptionInfo[InvalidInput]) -> str:
    [problem] = error.value.problems
    return problem.message


def test_a_change_of_terms_inside_the_notice_is_refused_naming_the_earliest_date(stores: tuple) -> None:
    """2026-12-01 is inside the 30 days' notice: the refusal names 2027-01-01, and nothing is stored."""
    store, kept, _ = stores
    made = p.propose(store, kept, _model(target="99.95%", effective="2026-12-01"), ALICE, NOW)
    assert (made.number, made.state, made.terms, made.side) == (1, State.PROPOSED, True, Side.PROVIDER)
    with pytest.raises(InvalidInput) as refused:
        p.accept(store, kept, "shop", 1, SHOP, NOW)
    assert _refusal(refused) == (
        "shop proposal 1 takes effect on 2026-12-01, before the notice allows: the earliest is 2027-01-01"
    )
    assert [v.version for v in store.versions("shop")] == [1]
    assert kept.proposal("shop", 1).state is State.PROPOSED  # type: ignore[union-attr]


def test_the_author_and_the_authors_side_cannot_accept_a_change_of_terms(stores: tuple) -> None:
    """The author never decides; another provider user cannot accept a change of terms either."""
    store, kept, _ = stores
    p.propose(store, kept, _model(target="99.95%", effective="2027-01-01"), ALICE, NOW)
    with pytest.raises(InvalidInput) as own:
        p.accept(store, kept, "shop", 1, ALICE, NOW)
    assert _refusal(own) == "cli:alice proposed this change and cannot also decide it; the other party decides"
    with pytest.raises(InvalidInput) as same_side:
        p.accept(store, kept, "shop", 1, BOB, NOW)
    assert _refusal(same_side) == "a change of terms needs the customer's decision, not the provider's"


def test_the_customer_accepts_and_the_version_is_judged_only_from_its_date(stores: tuple) -> None:
    """Accepted: version 2 from 2027-01-01 (v1 until 2026-12-31); an open proposal is never judged."""
    store, kept, audit = stores
    p.propose(store, kept, _model(target="98%", effective="2026-12-01"), ALICE, NOW, effective=date(2027, 2, 1))
    assert [v.version for v in store.versions("shop")] == [1]  # proposed, not stored as a version
    p.propose(store, kept, _model(target="99.95%", effective="2027-01-01"), ALICE, NOW, note="faster checkout")
    applied = p.accept(store, kept, "shop", 2, SHOP, NOW + 1)
    assert (applied.version.version, applied.version.effective_from) == (2, date(2027, 1, 1))
    assert [(v.version, v.effective_until) for v in store.versions("shop")] == [(1, date(2026, 12, 31)), (2, None)]
    in_force = load_in_force(store, "shop")
    assert [v.agreement.objectives[0].target for v in in_force] == [
        agreement_model(_document()).objectives[0].target,
        agreement_model(_document(target="99.95%")).objectives[0].target,
    ]
    decided = kept.proposal("shop", 2)
    assert decided is not None
    assert (decided.state, decided.decided_by, decided.decided_side, decided.version) == (
        State.ACCEPTED,
        "token:4@C",
        Side.CUSTOMER,
        2,
    )
    # Proposal 1 (to take effect 2027-02-01) is still open and still not judged.
    assert kept.proposal("shop", 1).state is State.PROPOSED  # type: ignore[union-attr]
    actions = [(e.position, e.action, e.subject, e.actor) for e in audit.entries("shop")]
    assert actions[-4:] == [
        (3, "proposal.created", "shop proposal 2", "cli:alice"),
        (4, "proposal.accepted", "shop proposal 2", "token:4@C"),
        (5, "version.stored", "shop v2", "token:4@C"),
        (6, "version.recounted", "shop v2", "token:4@C"),
    ]
    assert audit.verify() == []


def test_a_change_takes_effect_at_a_period_start(stores: tuple) -> None:
    """2027-01-15 is after the notice but not a month's first day."""
    store, kept, _ = stores
    p.propose(store, kept, _model(target="99.95%", effective="2027-01-15"), ALICE, NOW)
    with pytest.raises(InvalidInput) as refused:
        p.accept(store, kept, "shop", 1, SHOP, NOW)
    assert _refusal(refused) == (
        "shop proposal 1 takes effect on 2027-01-15, not at the start of a month: "
        "changes take effect at a period's start (e.g. 2027-02-01)"
    )


def test_a_waived_notice_allows_the_next_period_start(stores: tuple) -> None:
    """With the notice waived by both, the first month start after acceptance (2026-12-01) is allowed."""
    store, kept, _ = stores
    p.propose(store, kept, _model(target="99.95%", effective="2026-12-01"), ALICE, NOW, waive_notice=True)
    applied = p.accept(store, kept, "shop", 1, SHOP, NOW)
    assert applied.version.effective_from == date(2026, 12, 1)


def test_an_operational_change_is_the_providers_to_accept(stores: tuple) -> None:
    """Adding an alert policy only: the customer may not accept it; another provider user may."""
    store, kept, _ = stores
    made = p.propose(store, kept, _model(alerting="sre-workbook", effective="2027-01-01"), ALICE, NOW)
    assert made.terms is False
    with pytest.raises(InvalidInput) as refused:
        p.accept(store, kept, "shop", 1, SHOP, NOW)
    assert _refusal(refused) == (
        "an operational change (alerting, metric queries, stream names …) is the provider's to decide"
    )
    assert p.accept(store, kept, "shop", 1, BOB, NOW).version.version == 2


def test_reject_and_withdraw_close_a_proposal_and_a_closed_one_cannot_be_accepted(stores: tuple) -> None:
    """The customer rejects with a reason; the author's side withdraws its own; neither can be accepted after."""
    store, kept, _ = stores
    p.propose(store, kept, _model(target="99.95%", effective="2027-01-01"), ALICE, NOW)
    p.propose(store, kept, _model(target="99.99%", effective="2027-01-01"), ALICE, NOW)
    with pytest.raises(InvalidInput) as no_reason:
        p.reject(kept, "shop", 1, SHOP, NOW, "  ")
    assert _refusal(no_reason) == "a rejection needs a reason"
    rejected = p.reject(kept, "shop", 1, SHOP, NOW, "too costly for us")
    assert (rejected.state, rejected.reason) == (State.REJECTED, "too costly for us")
    with pytest.raises(InvalidInput) as foreign:
        p.withdraw(kept, "shop", 2, SHOP, NOW)
    assert _refusal(foreign) == "only the provider, who proposed it, may withdraw it; the customer may reject it"
    assert p.withdraw(kept, "shop", 2, BOB, NOW).state is State.WITHDRAWN
    for number, state in ((1, "rejected"), (2, "withdrawn")):
        with pytest.raises(InvalidInput) as closed:
            p.accept(store, kept, "shop", number, SHOP, NOW)
        assert _refusal(closed) == f"shop proposal {number} is already {state}"
    with pytest.raises(InvalidInput) as unknown:
        p.accept(store, kept, "shop", 3, SHOP, NOW)
    assert _refusal(unknown) == "shop has no proposal 3"
    assert [v.version for v in store.versions("shop")] == [1]


def test_proposing_the_version_in_force_or_an_earlier_date_is_refused(stores: tuple) -> None:
    """Nothing to change, or a date on or before version 1's, is refused at once."""
    store, kept, _ = stores
    with pytest.raises(InvalidInput) as same:
        p.propose(store, kept, _model(), ALICE, NOW)
    assert _refusal(same) == "the same as shop v1"
    with pytest.raises(InvalidInput) as early:
        p.propose(store, kept, _model(target="99%", effective="2026-01-01"), ALICE, NOW)
    assert _refusal(early) == "a change taking effect on 2026-01-01 is not after v1 (2026-01-01)"
    assert kept.proposals("shop") == []
