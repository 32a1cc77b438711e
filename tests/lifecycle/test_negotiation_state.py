"""A hypothesis state machine drives proposals by both parties and checks the lifecycle's invariants.

Random sequences of propose / accept / reject / withdraw, exclusion requests and their decisions,
and credit claims and their settlement, by provider and customer actors, at rising instants, on a
real SQLite store. October 2026's results are stored and a credit is owed for it before the first
step. After every step:

- only accepted proposals ever became versions, in the order accepted, and nothing else did;
- every decided proposal was decided by an actor other than its author, and a change of terms by
  the other party;
- every accepted proposal took effect no earlier than the notice allowed when it was accepted,
  on a month's first day;
- every state change appended exactly one audit entry of its kind, and every chain verifies;
- the closed period's stored results are byte-identical to those stored before, and evaluating it
  again gives the same data (closed periods never change).

At the end one audit row is altered behind the store's back: verify must find it.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import text

from attain.engine.claims import CreditState as CState
from attain.engine.claims import Step
from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side, State
from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.formats.results import period_data
from attain.services import credits as ledger
from attain.services import exclusions
from attain.services import proposals as p
from attain.services.store import apply_bundle, evaluate_period, evaluate_stored
from attain.storage import SqlStore, connect, upgrade
from attain.storage.audit import SqlAudit
from attain.storage.credit import CreditEntry, SqlCredits
from attain.storage.exclusion_request import SqlExclusionRequests
from attain.storage.proposal import SqlProposals
from attain.testing import agreement, agreement_model, agreement_yaml, ratio_objective

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ACTORS = [Caller(Side.PROVIDER, "cli:alice"), Caller(Side.PROVIDER, "cli:bob"), Caller(Side.CUSTOMER, "token:9@C")]
NOTICE = timedelta(days=30)


def _document(target: str, effective: date, alerting: bool) -> dict[str, object]:
    doc = agreement(
        objectives=[ratio_objective("checkout", target=target, alerting="sre-workbook" if alerting else None)],
        effective_from=effective.isoformat(),
    )
    doc["spec"]["changes"] = {"clause": "In writing.", "notice": "30d"}  # type: ignore[index]
    doc["spec"]["exclusions"] = [{"kind": "maintenance", "minimumNotice": "2d"}, {"kind": "force-majeure"}]  # type: ignore[index]
    return doc


def _month_starts(after: date, count: int) -> list[date]:
    days, year, month = [], after.year, after.month
    for _ in range(count):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        days.append(date(year, month, 1))
    return days


class Negotiation(RuleBasedStateMachine):
    """Proposals on one agreement, `shop`, whose version 1 takes effect on 2026-01-01."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.engine = connect(f"sqlite:///{Path(self.folder.name) / 'attain.db'}")
        upgrade(self.engine)
        self.store, self.kept, self.audit = SqlStore(self.engine), SqlProposals(self.engine), SqlAudit(self.engine)
        self.now = to_us(START)
        text_v1 = agreement_yaml(_document("99%", date(2026, 1, 1), alerting=False))
        apply_bundle(self.store, load_bundle_text(text_v1, "shop.yaml"), self.now)
        self.accepted_at: dict[int, int] = {}
        self.changes = 0  # state changes made: audit entries of proposals expected
        self.dealt = 0  # exclusion and credit state changes made: their audit entries expected
        self.exclusions = SqlExclusionRequests(self.engine)
        self.credits = SqlCredits(self.engine)
        evaluate_period(self.store, "shop", "2026-10", self.now)
        self.closed = self._stored_results()
        owed = CreditEntry("shop", "2026-10", 1, Decimal("0.1"), None, None, ("checkout",), CState.OWED, self.now, None)
        self.credits.record([owed], self.now)
        self.dealt_before = len(self._dealings())

    def teardown(self) -> None:
        """Alter one audit row behind the store's back: verify must find it; then clean up."""
        with self.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_no_update"))
            conn.execute(text("UPDATE audit SET actor = 'mallory' WHERE tenant = 'shop' AND position = 1"))
        breaks = self.audit.verify()
        assert [(b.tenant, b.position) for b in breaks] == [("shop", 1)]
        self.engine.dispose()
        self.folder.cleanup()

    @rule(
        who=st.sampled_from(ACTORS),
        goal=st.sampled_from(["98%", "99.5%", "99.9%"]),
        alerting=st.booleans(),
        months=st.integers(min_value=1, max_value=6),
        waive=st.booleans(),
    )
    def propose(self, who: Caller, goal: str, alerting: bool, months: int, waive: bool) -> None:
        """Propose a version taking effect `months` month starts after today or the latest version's date."""
        latest = self.store.versions("shop")[-1].effective_from
        today = datetime.fromtimestamp(self.now / 1e6, tz=UTC).date()
        effective = _month_starts(max(latest, today), months)[-1]
        model = agreement_model(_document(goal, effective, alerting))  # type: ignore[arg-type]
        try:
            p.propose(self.store, self.kept, model, who, self.now, waive_notice=waive)
        except InvalidInput:
            return  # the same as the version in force: nothing to propose
        self.changes += 1

    @rule(who=st.sampled_from(ACTORS), pick=st.integers(min_value=0, max_value=20), days=st.integers(0, 40))
    def accept(self, who: Caller, pick: int, days: int) -> None:
        """Try to accept some proposal; record when if it worked."""
        self.now += days * 86_400_000_000
        number = self._number(pick)
        if number is None:
            return
        try:
            p.accept(self.store, self.kept, "shop", number, who, self.now)
        except InvalidInput:
            return
        self.accepted_at[number] = self.now
        self.changes += 1
        event("accepted")

    @rule(who=st.sampled_from(ACTORS), pick=st.integers(min_value=0, max_value=20))
    def reject(self, who: Caller, pick: int) -> None:
        """Try to reject some proposal."""
        number = self._number(pick)
        if number is None:
            return
        try:
            p.reject(self.kept, "shop", number, who, self.now, "not now")
        except InvalidInput:
            return
        self.changes += 1
        event("rejected")

    @rule(who=st.sampled_from(ACTORS), pick=st.integers(min_value=0, max_value=20))
    def withdraw(self, who: Caller, pick: int) -> None:
        """Try to withdraw some proposal."""
        number = self._number(pick)
        if number is None:
            return
        try:
            p.withdraw(self.kept, "shop", number, who, self.now)
        except InvalidInput:
            return
        self.changes += 1
        event("withdrawn")

    @rule(
        who=st.sampled_from(ACTORS),
        kind=st.sampled_from(["maintenance", "force-majeure"]),
        days=st.integers(min_value=-40, max_value=40),
    )
    def ask_exclusion(self, who: Caller, kind: str, days: int) -> None:
        """Ask to exclude two hours starting `days` from now (before the open period: refused on acceptance)."""
        start = datetime.fromtimestamp(self.now / 1e6, tz=UTC) + timedelta(days=days)
        try:
            exclusions.request(
                self.store, self.exclusions, "shop", kind=kind, span=(start, start + timedelta(hours=2)),
                objectives=[], reason="work", evidence="", caller=who, now=self.now,
            )  # fmt: skip
        except InvalidInput:
            return
        self.dealt += 1
        event("exclusion requested")

    @rule(
        who=st.sampled_from(ACTORS),
        pick=st.integers(min_value=0, max_value=20),
        to=st.sampled_from([State.ACCEPTED, State.REJECTED, State.WITHDRAWN]),
    )
    def decide_exclusion(self, who: Caller, pick: int, to: State) -> None:
        """Try to accept, reject or withdraw some exclusion request."""
        made = self.exclusions.requests("shop")
        if not made:
            return
        try:
            exclusions.decide(
                self.store, self.exclusions, "shop", made[pick % len(made)].number, to, who, self.now, "no"
            )
        except InvalidInput:
            return
        self.dealt += 1
        event(f"exclusion {to.value}")

    @rule(who=st.sampled_from(ACTORS), step=st.sampled_from(list(Step)))
    def settle_credit(self, who: Caller, step: Step) -> None:
        """Try one step on October's credit: claim, approve, reject or issue."""
        try:
            ledger.take(self.credits, "shop", "2026-10", step, who, self.now, reason="no", reference="CN-1")
        except InvalidInput:
            return
        self.dealt += 1
        event(f"credit {step.value}")

    def _stored_results(self) -> list[tuple[object, ...]]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text("SELECT * FROM results ORDER BY objective, period"))]

    def _dealings(self) -> list[object]:
        return [e for e in self.audit.entries("shop") if e.action.startswith(("exclusion.", "credit."))]

    def _number(self, pick: int) -> int | None:
        made = self.kept.proposals("shop")
        return made[pick % len(made)].number if made else None

    @invariant()
    def only_accepted_proposals_became_versions(self) -> None:
        """Versions 2.. are exactly the accepted proposals, in the order accepted."""
        made = self.kept.proposals("shop")
        accepted = sorted((x for x in made if x.state is State.ACCEPTED), key=lambda x: x.version or 0)
        versions = self.store.versions("shop")
        assert [v.digest for v in versions[1:]] == [x.digest for x in accepted]
        assert [x.version for x in accepted] == list(range(2, len(accepted) + 2))

    @invariant()
    def decisions_follow_the_rules(self) -> None:
        """Approver ≠ author; terms by the other party; operation by the provider; withdrawals by the author's side."""
        for x in self.kept.proposals("shop"):
            if x.state in (State.ACCEPTED, State.REJECTED):
                assert x.decided_by != x.author
                assert x.decided_side is (x.side.other if x.terms else Side.PROVIDER)
            if x.state is State.WITHDRAWN:
                assert x.decided_side is x.side

    @invariant()
    def notice_and_period_start_held(self) -> None:
        """Each accepted change takes effect on a month's first day, at least 30 days after acceptance (unless waived)."""
        for x in self.kept.proposals("shop"):
            if x.state is State.ACCEPTED:
                assert x.effective_from.day == 1
                at = datetime.fromtimestamp(self.accepted_at[x.number] / 1e6, tz=UTC)
                first = datetime(x.effective_from.year, x.effective_from.month, 1, tzinfo=UTC)
                assert first >= at + (timedelta(0) if x.waive_notice else NOTICE)

    @invariant()
    def every_change_is_audited_and_the_chain_verifies(self) -> None:
        """One `proposal.*`, `exclusion.*` or `credit.*` entry per state change, and every chain verifies."""
        entries = [e for e in self.audit.entries("shop") if e.action.startswith("proposal.")]
        assert len(entries) == self.changes
        assert len(self._dealings()) == self.dealt_before + self.dealt
        assert self.audit.verify() == []

    @invariant()
    def the_closed_period_never_changes(self) -> None:
        """October 2026's stored rows are as first stored; evaluated again now, it says the same."""
        assert self._stored_results() == self.closed
        again = evaluate_stored(self.store, "shop", self.now).evaluation
        october = [period_data(q) for o in again.objectives for q in o.periods if q.period == "2026-10"]
        stored = [json.loads(r[-2]) if isinstance(r[-2], str) else r[-2] for r in self.closed]
        assert [json.dumps(d, sort_keys=True) for d in october] == [json.dumps(d, sort_keys=True) for d in stored]


Negotiation.TestCase.settings = settings(
    max_examples=40, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestNegotiation = Negotiation.TestCase
