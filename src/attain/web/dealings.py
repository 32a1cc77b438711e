"""The agreement's dealings page: its versions and how each came about, the proposals, the credit ledger.

What both parties need to see of the agreement's life, in their language: each version with the
dates it is in force and whether it was applied by the provider or accepted from a proposal (who
proposed, who accepted, when); the open proposals with their changes in words; the decided ones;
every credit closed periods owe with its amount, claim deadline and state (the ledger is brought
up to date as the page is made); and the audit chain's head, to compare with a copy the customer
keeps. The page only reads: steps are taken with the CLI or the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from attain.engine.instant import from_us
from attain.reports.locale import Locale
from attain.services.audit import chain_head
from attain.services.credits import ledger_of, shown_period
from attain.services.proposals import Proposal, open_changes, proposals_of
from attain.services.reviews import review_state
from attain.services.rights import rights_of
from attain.services.runtime import Runtime
from attain.web.language import Words


@dataclass(frozen=True)
class VersionLine:
    """A version: its number, the dates it is in force, and how it came about."""

    version: int
    in_force: str
    origin: str


@dataclass(frozen=True)
class ProposalLine:
    """A proposal: number, state, who proposed it and when it would take effect, its changes or its outcome."""

    number: int
    state: str
    proposed: str
    effective: str
    changes: list[str]
    outcome: str


@dataclass(frozen=True)
class CreditLine:
    """A ledger entry in words."""

    period: str
    amount: str
    state: str
    claim_by: str
    objectives: str


@dataclass(frozen=True)
class DealingsPage:
    """Everything the dealings page shows."""

    name: str
    title: str
    versions: list[VersionLine]
    proposals: list[ProposalLine]
    credits: list[CreditLine]
    chain: str
    review: str
    reviews: list[tuple[str, str, str]]
    rights: list[tuple[str, str, str, str, str]]


def dealings_page(runtime: Runtime, name: str, title: str, words: Words) -> DealingsPage:
    """Gather the page of a stored agreement (the caller has checked the viewer may see it)."""
    loc, zone = words.locale, runtime.status(name).agreement.spec.time_zone
    made = proposals_of(runtime.engine, name)
    by_version = {p.version: p for p in made if p.version is not None}
    versions = []
    for v in runtime.store.versions(name):
        until = loc.date(v.effective_until) if v.effective_until else words("dealings.open")
        came = by_version.get(v.version)
        origin = (
            words("dealings.applied", at=_when(loc, v.stored_at, zone))
            if came is None
            else _accepted(words, came, zone)
        )
        versions.append(VersionLine(v.version, f"{loc.date(v.effective_from)} – {until}", origin))
    proposals = [
        ProposalLine(
            p.number,
            words(f"dealings.state.{p.state.value}"),
            words(
                "dealings.by",
                side=words(f"dealings.side.{p.side.value}"),
                actor=p.author,
                at=_when(loc, p.proposed_at, zone),
            ),
            loc.date(p.effective_from),
            open_changes(runtime.store, p, loc),
            _outcome(words, p, zone),
        )
        for p in reversed(made)
    ]
    entries = ledger_of(runtime.store, runtime.engine, name, runtime.now())
    owed = [
        CreditLine(
            shown_period(e, entries),
            words.money(e.amount, e.currency) if e.amount is not None and e.currency else loc.percent(e.share),
            words(f"dealings.credit.{e.state.value}"),
            _when(loc, e.deadline, zone) if e.deadline is not None else words("dealings.no_deadline"),
            loc.join(list(e.objectives)),
        )
        for e in entries
    ]
    head = chain_head(runtime.engine, name)
    chain = (
        words("dealings.chain.none") if head is None else words("dealings.chain", position=head[0], hash=head[1][:16])
    )
    state = review_state(runtime.store, runtime.engine, name, runtime.now())
    review = words("dealings.review.none")
    if state.every is not None and state.due is not None:
        key = "dealings.review.overdue" if state.due.overdue else "dealings.review.due"
        review = words(key, every=loc.unit(state.every), due=loc.date(state.due.due))
    held = [(loc.date(r.held_on), loc.join(list(r.participants)), r.outcome) for r in reversed(state.held)]
    granted = [
        (
            str(r.number),
            words(f"dealings.grant.{r.grants}"),
            _when(loc, r.granted_at, zone),
            _when(loc, r.deadline, zone) if r.deadline is not None else words("dealings.no_deadline"),
            words(f"dealings.right.{r.state.value}"),
        )
        for r in rights_of(runtime.store, runtime.engine, name, runtime.now())
    ]
    return DealingsPage(name, title, versions, proposals, owed, chain, review, held, granted)


def _accepted(words: Words, proposal: Proposal, zone: str) -> str:
    at = _when(words.locale, proposal.decided_at or 0, zone)
    return words(
        "dealings.accepted", number=proposal.number, author=proposal.author, decider=proposal.decided_by, at=at
    )


def _outcome(words: Words, proposal: Proposal, zone: str) -> str:
    if proposal.decided_at is None:
        return ""
    at = _when(words.locale, proposal.decided_at, zone)
    reason = words("dealings.reason", reason=proposal.reason) if proposal.reason else ""
    return words("dealings.decided", decider=proposal.decided_by, at=at) + reason


def _when(loc: Locale, instant: int, zone: str) -> str:
    """An instant as local date and time in the agreement's zone."""
    return loc.instant(from_us(instant), zone)
