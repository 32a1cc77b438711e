"""`SqlProposals`: proposed versions, and their acceptance, rejection or withdrawal.

A proposal is stored apart from the agreement's versions, so nothing judges it. Accepting one
stores its document as the agreement's next version (`attain.storage.version.apply_version`) in
the same transaction that marks it accepted; a decision only applies to a proposal still in state
`proposed` (the UPDATE says so), so two parties deciding at once cannot both win. Every step
appends its audit entry in its own transaction. Who may decide, and from which date a change may
take effect, are checked by the caller (`attain.services.proposals`, by the rules of
`attain.engine.negotiation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Row, select, update

from attain.engine.negotiation import Side, State
from attain.ports import Applied
from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.insert import next_number
from attain.storage.version import apply_version


@dataclass(frozen=True)
class Proposal:
    """A proposed version of an agreement and what became of it."""

    agreement: str
    number: int
    document: str
    digest: str
    effective_from: date
    side: Side
    author: str
    note: str
    terms: bool
    waive_notice: bool
    state: State
    proposed_at: int
    decided_by: str | None = None
    decided_side: Side | None = None
    decided_at: int | None = None
    reason: str | None = None
    version: int | None = None


class ProposalClosed(Exception):
    """The proposal is no longer open: it was accepted, rejected or withdrawn already."""

    def __init__(self, proposal: Proposal) -> None:
        super().__init__(f"{proposal.agreement} proposal {proposal.number} is already {proposal.state.value}")
        self.proposal = proposal


def _proposal(row: Row[Any]) -> Proposal:
    t = s.proposals.c
    mapping = row._asdict()
    values = {c.name: mapping[c.name] for c in t if c.name != "id"}
    values["side"] = Side(values["side"])
    values["state"] = State(values["state"])
    values["decided_side"] = None if values["decided_side"] is None else Side(values["decided_side"])
    values["terms"], values["waive_notice"] = bool(values["terms"]), bool(values["waive_notice"])
    return Proposal(**values)


class SqlProposals:
    """Proposals in a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine the proposals live on (the store's)."""
        return self._engine

    def propose(  # noqa: PLR0913 - one argument per thing a proposal records
        self,
        agreement: str,
        document: str,
        digest: str,
        effective_from: date,
        side: Side,
        author: str,
        note: str,
        *,
        terms: bool,
        waive_notice: bool,
        now: int,
    ) -> Proposal:
        """Store a new proposal for `agreement` (numbered from 1 per agreement) and audit it."""
        t = s.proposals
        with self._engine.begin() as conn:
            number = next_number(conn, t, agreement)
            values = {
                "agreement": agreement,
                "number": number,
                "document": document,
                "digest": digest,
                "effective_from": effective_from,
                "side": side.value,
                "author": author,
                "note": note,
                "terms": int(terms),
                "waive_notice": int(waive_notice),
                "state": State.PROPOSED.value,
                "proposed_at": now,
            }
            conn.execute(t.insert().values(**values))
            detail = {"side": side.value, "effective_from": effective_from.isoformat(), "terms": terms}
            subject = f"{agreement} proposal {number}"
            append(conn, agreement, "proposal.created", subject, now, detail=detail, after=digest)
            row = conn.execute(select(t).where(t.c.agreement == agreement, t.c.number == number)).one()
        return _proposal(row)

    def proposals(self, agreement: str | None = None) -> list[Proposal]:
        """Every proposal (one agreement's when named), by agreement then number."""
        t = s.proposals
        query = select(t) if agreement is None else select(t).where(t.c.agreement == agreement)
        with self._engine.connect() as conn:
            return [_proposal(row) for row in conn.execute(query.order_by(t.c.agreement, t.c.number))]

    def proposal(self, agreement: str, number: int) -> Proposal | None:
        """One proposal, or None."""
        t = s.proposals
        with self._engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.agreement == agreement, t.c.number == number)).first()
        return None if row is None else _proposal(row)

    def accept(
        self, proposal: Proposal, decider: str, side: Side, now: int, model: tuple[str, str] | None
    ) -> tuple[Proposal, Applied]:
        """Accept an open proposal: store its document as the next version, in force from its date.

        Raises:
            ProposalClosed: it was decided or withdrawn meanwhile (nothing is stored).
            ValueError: its effective date is not after the latest version's (nothing is stored).
        """
        with self._engine.begin() as conn:
            self._close(conn, proposal, State.ACCEPTED, decider, side, now, None)
            applied = apply_version(
                conn, proposal.agreement, proposal.document, proposal.effective_from, "active", now, model
            )
            t = s.proposals
            conn.execute(
                update(t)
                .where(t.c.agreement == proposal.agreement, t.c.number == proposal.number)
                .values(version=applied.version.version)
            )
            row = conn.execute(
                select(t).where(t.c.agreement == proposal.agreement, t.c.number == proposal.number)
            ).one()
        return _proposal(row), applied

    def close(
        self, proposal: Proposal, state: State, decider: str, side: Side, now: int, reason: str | None
    ) -> Proposal:
        """Reject or withdraw an open proposal, with the reason given.

        Raises:
            ProposalClosed: it was decided or withdrawn meanwhile.
        """
        with self._engine.begin() as conn:
            self._close(conn, proposal, state, decider, side, now, reason)
            t = s.proposals
            row = conn.execute(
                select(t).where(t.c.agreement == proposal.agreement, t.c.number == proposal.number)
            ).one()
        return _proposal(row)

    def _close(
        self, conn: Any, proposal: Proposal, state: State, decider: str, side: Side, now: int, reason: str | None
    ) -> None:
        t = s.proposals
        changed = conn.execute(
            update(t)
            .where(
                t.c.agreement == proposal.agreement, t.c.number == proposal.number, t.c.state == State.PROPOSED.value
            )
            .values(state=state.value, decided_by=decider, decided_side=side.value, decided_at=now, reason=reason)
            .returning(t.c.number)
        ).first()
        if changed is None:
            current = conn.execute(
                select(t).where(t.c.agreement == proposal.agreement, t.c.number == proposal.number)
            ).one()
            raise ProposalClosed(_proposal(current))
        detail = {"side": side.value, "reason": reason}
        subject = f"{proposal.agreement} proposal {proposal.number}"
        append(conn, proposal.agreement, f"proposal.{state.value}", subject, now, detail=detail, after=proposal.digest)
