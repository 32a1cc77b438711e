"""Changing an agreement as two parties: propose, accept, reject, withdraw, and the history of it all.

A proposal is a whole new version offered by one side (`attain propose FILE`). Nothing judges it
until it is accepted; accepting it stores it as the agreement's next version, in force from its
effective date, and recounts the measurements under it as `attain apply` does. The rules of who
may decide and from which date a change may take effect are `attain.engine.negotiation`'s; this
module reads what they need (the version in force, its change clause) and refuses with a located
problem that says what would be allowed. A refused step changes nothing. Each step is recorded in
the audit trail as the caller's actor (with its on-behalf note when an admin decides for the customer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine

from attain.actor import acting_as
from attain.engine.diff import diff
from attain.engine.instant import iso_utc
from attain.engine.negotiation import (
    Caller,
    State,
    earliest_effective,
    refusal_of_date,
    refusal_to_decide,
    refusal_to_withdraw,
)
from attain.errors import InvalidInput, Problem
from attain.formats.model_json import dump_model, model_revision
from attain.formats.native import dump_agreement, parse_agreement
from attain.formats.source import read_text
from attain.lifecycle.versions import parse_version
from attain.model import Agreement
from attain.model.agreement import TakesEffect
from attain.ports import Applied, Store
from attain.reports.changes import describe
from attain.reports.locale import Locale
from attain.services.store import recount
from attain.settings import Settings
from attain.storage.proposal import Proposal as Proposal  # noqa: PLC0414 - re-exported for the dashboard
from attain.storage.proposal import ProposalClosed, SqlProposals


def _refuse(field: str, problem: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<store>", None, None, field, problem, hint)])


def propose(
    store: Store,
    proposals: SqlProposals,
    agreement: Agreement,
    caller: Caller,
    now: int,
    *,
    effective: date | None = None,
    note: str = "",
    waive_notice: bool = False,
) -> Proposal:
    """Store `agreement` as a proposal by `caller`, to take effect on `effective` (default: its own date).

    Raises:
        InvalidInput: it is the version already in force, or it would take effect on or before it.
    """
    if effective is not None:
        spec = agreement.spec.model_copy(
            update={"effective": agreement.spec.effective.model_copy(update={"from_": effective})}
        )
        agreement = agreement.model_copy(update={"spec": spec})
    document = dump_agreement(agreement)
    stored = store.versions(agreement.name)
    terms = True
    if stored:
        latest = parse_version(stored[-1])
        changes = diff(latest, agreement)
        if not changes:
            raise _refuse(
                "document", f"the same as {agreement.name} v{stored[-1].version}", "change something to propose"
            )
        terms = any(change.terms for change in changes)
        if agreement.spec.effective.from_ <= stored[-1].effective_from:
            after, new = stored[-1].effective_from.isoformat(), agreement.spec.effective.from_.isoformat()
            problem = f"a change taking effect on {new} is not after v{stored[-1].version} ({after})"
            raise _refuse("spec.effective.from", problem, f"give a date after {after} (--effective)")
    digest = hashlib.sha256(document.encode()).hexdigest()
    with acting_as(caller.actor):
        return proposals.propose(
            agreement.name,
            document,
            digest,
            agreement.spec.effective.from_,
            caller.side,
            caller.actor,
            note,
            terms=terms,
            waive_notice=waive_notice,
            now=now,
        )


def find(proposals: SqlProposals, name: str, number: int) -> Proposal:
    """Proposal `number` of agreement `name`.

    Raises:
        InvalidInput: there is no such proposal (the message lists the agreement's proposals).
    """
    found = proposals.proposal(name, number)
    if found is None:
        known = ", ".join(str(p.number) for p in proposals.proposals(name)) or "none"
        raise _refuse("proposal", f"{name} has no proposal {number}", f"its proposals: {known}")
    return found


def by_version(store: Store, proposals: SqlProposals, name: str, version: int) -> int:
    """The number of the proposal that offers version `version` of `name` (`accept NAME --version N`).

    A proposal offers the agreement's next version: the one after the latest stored. It is the
    proposal accepted as `version` once decided; while open, the single open proposal when
    `version` is the next one.

    Raises:
        InvalidInput: no proposal offers that version, or several open ones do (the hint lists
            their numbers for `--proposal`).
    """
    made = proposals.proposals(name)
    accepted = [p for p in made if p.version == version]
    if accepted:
        return accepted[0].number
    stored = store.versions(name)
    following = (stored[-1].version if stored else 0) + 1
    waiting = [p for p in made if p.state is State.PROPOSED]
    if version != following or not waiting:
        offered = f"v{following} is the next version" + ("" if waiting else "; no proposal is open")
        problem = f"{name} has no proposal of version {version}: {offered}"
        known = ", ".join(f"v{p.version} (proposal {p.number})" for p in made if p.version is not None)
        raise _refuse("version", problem, f"accepted so far: {known}" if known else "propose one first")
    if len(waiting) > 1:
        numbers = ", ".join(f"{p.number} (effective {p.effective_from.isoformat()})" for p in waiting)
        problem = f"{len(waiting)} open proposals of {name} offer version {version}"
        raise _refuse("version", problem, f"name one by its number with --proposal: {numbers}")
    return waiting[0].number


def _open(proposal: Proposal) -> None:
    if proposal.state is not State.PROPOSED:
        problem = f"{proposal.agreement} proposal {proposal.number} is already {proposal.state.value}"
        raise _refuse("proposal", problem, "only a proposal still proposed can be decided or withdrawn")


def earliest_date(store: Store, proposal: Proposal, now: int) -> date | None:
    """The first date the proposal could take effect if accepted at `now` (None: no version in force yet)."""
    stored = store.versions(proposal.agreement)
    if not stored:
        return None
    current = parse_version(stored[-1]).spec
    changes = current.changes
    notice = None if changes is None or proposal.waive_notice else changes.notice
    any_day = changes is not None and changes.takes_effect is TakesEffect.ANY_DAY
    period = None if any_day else current.reporting.period
    return earliest_effective(now, current.time_zone, notice, period)


def accept(store: Store, proposals: SqlProposals, name: str, number: int, caller: Caller, now: int) -> Applied:
    """Accept an open proposal: it becomes the next version, in force from its date.

    Raises:
        InvalidInput: there is no such open proposal, `caller` may not decide it, or its date is
            inside the notice period or not at a period's start (the problem names the earliest
            allowed date).
    """
    proposal = find(proposals, name, number)
    _open(proposal)
    refusal = refusal_to_decide(Caller(proposal.side, proposal.author), caller, terms=proposal.terms)
    if refusal is not None:
        raise _refuse("proposal", refusal, "ask the other party to decide")
    earliest = earliest_date(store, proposal, now)
    if earliest is not None:
        stored = parse_version(store.versions(name)[-1]).spec
        any_day = stored.changes is not None and stored.changes.takes_effect is TakesEffect.ANY_DAY
        problem = refusal_of_date(proposal.effective_from, earliest, None if any_day else stored.reporting.period)
        if problem is not None:
            hint = f"propose it again to take effect on {earliest.isoformat()} or later"
            raise _refuse("spec.effective.from", f"{name} proposal {number} {problem}", hint)
    agreement = parse_agreement(read_text(proposal.document, f"{name} proposal {number}")[0])
    model = (model_revision(), dump_model(agreement))
    with acting_as(caller.actor):
        try:
            _, applied = proposals.accept(proposal, caller.actor, caller.side, now, model)
        except ProposalClosed as closed:
            raise _refuse("proposal", str(closed), "only a proposal still proposed can be decided") from None
        except ValueError as error:
            raise _refuse("spec.effective.from", str(error), "propose it again with a later date") from None
        latest = store.versions(name)[-1]
        if latest.recounted_at is None:
            recount(store, name)
            store.mark_recounted(name, latest.version, now)
    return applied


def reject(proposals: SqlProposals, name: str, number: int, caller: Caller, now: int, reason: str) -> Proposal:
    """Reject an open proposal, with the reason.

    Raises:
        InvalidInput: no such open proposal, no reason, or `caller` may not decide it.
    """
    if not reason.strip():
        raise _refuse("reason", "a rejection needs a reason", "say why (--reason TEXT)")
    proposal = find(proposals, name, number)
    _open(proposal)
    refusal = refusal_to_decide(Caller(proposal.side, proposal.author), caller, terms=proposal.terms)
    if refusal is not None:
        raise _refuse("proposal", refusal, "ask the other party to decide, or withdraw your own proposal")
    return _close(proposals, proposal, State.REJECTED, caller, now, reason.strip())


def withdraw(proposals: SqlProposals, name: str, number: int, caller: Caller, now: int) -> Proposal:
    """Withdraw an open proposal of the caller's own side.

    Raises:
        InvalidInput: no such open proposal, or it is the other side's.
    """
    proposal = find(proposals, name, number)
    _open(proposal)
    refusal = refusal_to_withdraw(Caller(proposal.side, proposal.author), caller)
    if refusal is not None:
        raise _refuse("proposal", refusal, "reject it instead, with a reason")
    return _close(proposals, proposal, State.WITHDRAWN, caller, now, None)


def _close(
    proposals: SqlProposals, proposal: Proposal, state: State, caller: Caller, now: int, reason: str | None
) -> Proposal:
    try:
        with acting_as(caller.actor):
            return proposals.close(proposal, state, caller.actor, caller.side, now, reason)
    except ProposalClosed as closed:
        raise _refuse("proposal", str(closed), "only a proposal still proposed can be decided") from None


def open_changes(store: Store, proposal: Proposal, loc: Locale) -> list[str]:
    """What an open proposal changes against the latest stored version, one line each (empty once decided)."""
    stored = store.versions(proposal.agreement)
    if not stored or proposal.state is not State.PROPOSED:
        return []
    before = parse_version(stored[-1])
    after = parse_agreement(read_text(proposal.document, f"{proposal.agreement} proposal {proposal.number}")[0])
    return [line.text for line in describe(loc, diff(before, after), before, after)]


def proposal_data(proposal: Proposal) -> dict[str, Any]:
    """A proposal as plain data (without its document), for JSON output and the API."""
    return {
        "agreement": proposal.agreement,
        "number": proposal.number,
        "state": proposal.state.value,
        "effectiveFrom": proposal.effective_from.isoformat(),
        "side": proposal.side.value,
        "author": proposal.author,
        "note": proposal.note,
        "terms": proposal.terms,
        "waiveNotice": proposal.waive_notice,
        "proposedAt": iso_utc(proposal.proposed_at),
        "decidedBy": proposal.decided_by,
        "decidedSide": None if proposal.decided_side is None else proposal.decided_side.value,
        "decidedAt": None if proposal.decided_at is None else iso_utc(proposal.decided_at),
        "reason": proposal.reason,
        "version": proposal.version,
        "digest": proposal.digest,
    }


@dataclass(frozen=True)
class Moment:
    """One line of an agreement's history: when, what, and the version or proposal it concerns."""

    at: int
    what: str
    subject: str
    detail: str


def history(store: Store, proposals: SqlProposals, name: str) -> list[Moment]:
    """Every version stored and every proposal made and decided for `name`, in time order."""
    moments = [
        Moment(v.stored_at, "version stored", f"v{v.version}", _in_force(v.effective_from, v.effective_until))
        for v in store.versions(name)
    ]
    for p in proposals.proposals(name):
        kind = "terms" if p.terms else "operation"
        what = f"by the {p.side.value} ({p.author}), {kind}, to take effect {p.effective_from.isoformat()}"
        moments.append(
            Moment(p.proposed_at, "proposed", f"proposal {p.number}", (what + f": {p.note}") if p.note else what)
        )
        if p.decided_at is not None:
            outcome = f"by the {p.decided_side.value if p.decided_side else '?'} ({p.decided_by})"
            if p.version is not None:
                outcome += f", now v{p.version}"
            if p.reason:
                outcome += f": {p.reason}"
            moments.append(Moment(p.decided_at, p.state.value, f"proposal {p.number}", outcome))
    return sorted(moments, key=lambda m: (m.at, m.subject))


def _in_force(start: date, end: date | None) -> str:
    return f"in force {start.isoformat()} – {end.isoformat() if end else 'open'}"


def open_negotiation(settings: Settings) -> tuple[Store, SqlProposals]:
    """The configured store and its proposals, on one engine (migrated to the latest revision)."""
    from attain.storage import SqlStore, connect, upgrade  # noqa: PLC0415 - SQLAlchemy only for store commands

    engine = connect(settings.database_url, unsafe_durability=settings.unsafe_durability)
    upgrade(engine)
    return SqlStore(engine), SqlProposals(engine)


def proposals_of(engine: Engine, name: str) -> list[Proposal]:
    """The proposals of agreement `name` on the store behind `engine`, by number."""
    return SqlProposals(engine).proposals(name)
