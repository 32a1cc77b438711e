"""The credit ledger as the parties use it: what is owed, claiming it, and settling the claim.

`sync` brings the ledger up to date at `now`: every closed period whose stored evaluation owes a
credit (a share above zero, and not below the minimum payout) gets an entry once, with the figures
and claim deadline of the version that judged it (the amount as it is paid: to the currency's
minor unit, half to even, as the CLI and the dashboard show it); an owed entry whose claim window passed becomes
`expired`. `take` moves an entry one step (claim, approve, reject, issue) by the rules of
`attain.engine.claims`, and refuses with a located problem otherwise. Every move is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import get_currency_precision
from sqlalchemy import Engine

from attain.actor import SYSTEM, acting_as
from attain.engine.claims import MOVES, CreditState, Step, claim_deadline, expired, refusal
from attain.engine.instant import iso_utc
from attain.engine.negotiation import Caller
from attain.engine.versions import version_at
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import load_in_force
from attain.ports import Store
from attain.services.store import evaluate_stored
from attain.storage.credit import CreditEntry, CreditMoved, SqlCredits


def sync(store: Store, ledger: SqlCredits, name: str, now: int) -> list[CreditEntry]:
    """Record the credits closed periods owe and expire unclaimed ones past their deadline; all entries.

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    versions = load_in_force(store, name)
    evaluation = evaluate_stored(store, name, now).evaluation
    closed = {(p.period, p.start): p for o in evaluation.objectives for p in o.periods if p.closed}
    known = ledger.entries(name)
    recorded = {(e.period, e.start) for e in known}
    spent = _spent_per_year(known)
    owed = []
    for credit in evaluation.credits:
        judged = closed.get((credit.period, credit.start)) if credit.start is not None else None
        if judged is None or credit.share <= 0 or (credit.payable is not None and credit.payable <= 0):
            continue
        version = version_at(versions, judged.start) or versions[-1]
        spec = version.agreement.spec
        deadline = claim_deadline(judged.end, spec.time_zone, spec.credit_policy.claim_within)
        amount = _to_minor_unit(credit.payable, credit.currency)
        uncapped, capped = None, None
        if (credit.period, judged.start) not in recorded and amount is not None:
            amount, uncapped, capped = _yearly_cap(
                credit.period, amount, credit.currency, spec.credit_policy.max_per_year, spent, now
            )
        owed.append(
            CreditEntry(
                name,
                credit.period,
                judged.version,
                credit.share,
                amount,
                credit.currency,
                credit.triggered_by,
                CreditState.OWED,
                now,
                deadline,
                uncapped=uncapped,
                capped=capped,
                start=judged.start,
            )
        )
    with acting_as(SYSTEM):
        ledger.record(owed, now)
        for entry in ledger.entries(name):
            if expired(entry.state, now, entry.deadline):
                try:
                    ledger.move(entry, CreditState.EXPIRED, SYSTEM, now, reason="the claim window passed unclaimed")
                except CreditMoved:
                    continue  # claimed meanwhile
    return ledger.entries(name)


UNPAID = frozenset({CreditState.REJECTED, CreditState.EXPIRED})
"""Entries that pay nothing, so count nothing towards the yearly cap."""


def _year(period: str) -> str:
    """The calendar year a period's label names (2026-10, 2026-Q3, 2026-W40 → 2026)."""
    return period[:4]


def _spent_per_year(entries: list[CreditEntry]) -> dict[str, Decimal]:
    """The amounts already in the ledger per calendar year, rejected and expired entries left out."""
    spent: dict[str, Decimal] = {}
    for entry in entries:
        if entry.amount is not None and entry.state not in UNPAID:
            spent[_year(entry.period)] = spent.get(_year(entry.period), Decimal(0)) + entry.amount
    return spent


def _yearly_cap(
    period: str, amount: Decimal, currency: str | None, cap: Decimal | None, spent: dict[str, Decimal], now: int
) -> tuple[Decimal, Decimal | None, str | None]:
    """A new entry's amount under `creditPolicy.maxPerYear`: (amount, amount before the cap, why), counted in `spent`.

    The year's entries so far (in `spent`) and this one together pay at most `cap`; the entry is
    lowered to what is left (zero when nothing is), and says why and when.
    """
    year = _year(period)
    before = spent.get(year, Decimal(0))
    if cap is None or before + amount <= cap:
        spent[year] = before + amount
        return amount, None, None
    left = max(Decimal(0), cap - before)
    spent[year] = before + left
    unit = f" {currency}" if currency else ""
    why = (
        f"capped at {iso_utc(now)} by creditPolicy.maxPerYear {cap}{unit}: {year} already owes {before}{unit},"
        f" so {left}{unit} of {amount}{unit} is left"
    )
    return left, amount, why


def _to_minor_unit(amount: Decimal | None, currency: str | None) -> Decimal | None:
    """An amount as it is paid: to the currency's minor unit (2 places for EUR, 0 for JPY), half to even."""
    if amount is None or currency is None:
        return amount
    return amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_EVEN)


def take(
    ledger: SqlCredits,
    name: str,
    period: str,
    step: Step,
    caller: Caller,
    now: int,
    *,
    reason: str | None = None,
    reference: str | None = None,
) -> CreditEntry:
    """Move the credit of `name`'s `period` one step, as `caller`.

    `period` is a label (2026-10), or a label and the period's start, `LABEL@START` (START in ISO
    8601 UTC as the ledger shows it, 2027-03-28T16:00:00Z): one label can name two periods (a later
    version that moved a window to another zone), and a claim is for one of them.

    Raises:
        InvalidInput: no such entry (the message lists the periods that have one), a label that
            names two credited periods (the message names both as `LABEL@START`), a rejection
            without a reason, or a move the rules refuse (the problem says why).
    """
    entry = _named(ledger, name, period)
    if step is Step.REJECT and not (reason or "").strip():
        raise _refuse("reason", "a rejected claim needs a reason", "say why (--reason TEXT)")
    why = refusal(step, entry.state, caller, entry.claimed_by, now, entry.deadline)
    if why is not None:
        raise _refuse("credit", f"{name} {period}: {why}", _hint(step))
    _, to, _ = MOVES[step]
    try:
        with acting_as(caller.actor):
            return ledger.move(entry, to, caller.actor, now, reason=reason, reference=reference)
    except CreditMoved as moved:
        raise _refuse("credit", str(moved), "look again: `attain credits NAME`") from None


def period_reference(entry: CreditEntry) -> str:
    """How to name an entry's period when its label names two: `LABEL@START` (START in ISO 8601 UTC)."""
    return f"{entry.period}@{iso_utc(entry.start)}"


def _named(ledger: SqlCredits, name: str, period: str) -> CreditEntry:
    """The entry `period` names: a label, or `LABEL@START`.

    Raises:
        InvalidInput: none, or a label alone that names two entries.
    """
    entries = ledger.entries(name)
    label, _, start = period.partition("@")
    found = [e for e in entries if e.period == label and (not start or iso_utc(e.start) == start)]
    if not found:
        known = ", ".join(shown_period(e, entries) for e in entries) or "none yet (`attain credits NAME` records them)"
        raise _refuse("period", f"{name} owes no credit for {period!r}", f"periods with a credit: {known}")
    if len(found) > 1:
        both = " and ".join(period_reference(e) for e in found)
        raise _refuse(
            "period",
            f"{name}: {label!r} names {len(found)} credited periods, starting at "
            + " and ".join(iso_utc(e.start) for e in found),
            f"name one with its start: {both}",
        )
    return found[0]


def shown_period(entry: CreditEntry, entries: Sequence[CreditEntry]) -> str:
    """An entry's period as a user names it: its label, or `LABEL@START` when another of `entries` has that label."""
    twice = sum(e.period == entry.period for e in entries) > 1
    return period_reference(entry) if twice else entry.period


def _hint(step: Step) -> str:
    return {
        Step.CLAIM: "the customer claims an owed credit before its deadline",
        Step.APPROVE: "the provider approves a claimed credit",
        Step.REJECT: "the provider rejects a claimed credit, with a reason",
        Step.ISSUE: "the provider issues an approved credit",
    }[step]


def _refuse(field: str, problem: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<store>", None, None, field, problem, hint)])


def entry_data(entry: CreditEntry) -> dict[str, Any]:
    """An entry as plain data: figures as exact decimal strings, instants in ISO 8601 (UTC)."""

    def instant(value: int | None) -> str | None:
        return None if value is None else iso_utc(value)

    return {
        "agreement": entry.agreement,
        "period": entry.period,
        "start": iso_utc(entry.start),
        "version": entry.version,
        "state": entry.state.value,
        "share": str(entry.share),
        "amount": None if entry.amount is None else str(entry.amount),
        "currency": entry.currency,
        "objectives": list(entry.objectives),
        "owedAt": instant(entry.owed_at),
        "claimBy": instant(entry.deadline),
        "claimedBy": entry.claimed_by,
        "claimedAt": instant(entry.claimed_at),
        "decidedBy": entry.decided_by,
        "decidedAt": instant(entry.decided_at),
        "reason": entry.reason,
        "reference": entry.reference,
        "issuedAt": instant(entry.issued_at),
        "uncapped": None if entry.uncapped is None else str(entry.uncapped),
        "capped": entry.capped,
    }


def ledger_of(store: Store, engine: Engine, name: str, now: int) -> list[CreditEntry]:
    """The credit ledger of `name` on the store behind `engine`, brought up to date at `now` (`sync`)."""
    return sync(store, SqlCredits(engine), name, now)
