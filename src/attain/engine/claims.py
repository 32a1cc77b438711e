"""Credits as a ledger: the states of a credit owed, who moves it, and the claim deadline.

A closed period whose credit share is above zero owes the customer a credit. The entry then moves:

    owed ──claim (customer, by the deadline)──► claimed ──approve (provider)──► approved ──issue──► issued
      │                                            └──reject (provider, with a reason)──► rejected
      └──(the claim window passes unclaimed)──► expired

The claim window is the credit policy's `claimWithin`, counted from the end of the period in the
agreement's time zone (calendar months first, then fixed time); without one, a credit never
expires. Nobody decides a claim they made. Pure: instants are arguments, never a clock read.
"""

from __future__ import annotations

from enum import StrEnum

from dateutil.relativedelta import relativedelta

from attain.engine.instant import from_us, to_us
from attain.engine.negotiation import Caller, Side
from attain.engine.period import zone
from attain.model.quantity import CalendarSpan


class CreditState(StrEnum):
    """Where a credit entry stands."""

    OWED = "owed"
    CLAIMED = "claimed"
    APPROVED = "approved"
    ISSUED = "issued"
    REJECTED = "rejected"
    EXPIRED = "expired"


class Step(StrEnum):
    """What a party does to a credit entry."""

    CLAIM = "claim"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE = "issue"


MOVES: dict[Step, tuple[CreditState, CreditState, Side]] = {
    Step.CLAIM: (CreditState.OWED, CreditState.CLAIMED, Side.CUSTOMER),
    Step.APPROVE: (CreditState.CLAIMED, CreditState.APPROVED, Side.PROVIDER),
    Step.REJECT: (CreditState.CLAIMED, CreditState.REJECTED, Side.PROVIDER),
    Step.ISSUE: (CreditState.APPROVED, CreditState.ISSUED, Side.PROVIDER),
}
"""Each step: the state it starts from, the state it leads to, and the side that takes it."""


def claim_deadline(period_end: int, time_zone: str, within: CalendarSpan | None) -> int | None:
    """The last instant a credit of the period ending at `period_end` may be claimed (None: no deadline).

    The months are added to the local end of the period (a month later on the same day and time,
    or the month's last day when it has fewer days), then the fixed time, both on the local clock
    (30 days after 00:00 is 00:00, across a DST change too).
    """
    if within is None:
        return None
    local = from_us(period_end).astimezone(zone(time_zone))
    return to_us(local + relativedelta(months=within.months) + within.fixed)


def refusal(
    step: Step, state: CreditState, caller: Caller, claimant: str | None, now: int, deadline: int | None
) -> str | None:
    """Why `caller` may not take `step` on an entry in `state`, or None when it may."""
    start, _, side = MOVES[step]
    if state is not start:
        return f"the credit is {state.value}; {step.value} needs it {start.value}"
    if caller.side is not side:
        return f"the {side.value} may {step.value} a credit, not the {caller.side.value}"
    if step is Step.CLAIM and deadline is not None and now > deadline:
        return "the claim window has passed"
    if step in (Step.APPROVE, Step.REJECT) and caller.actor == claimant:
        return f"{caller.actor} claimed this credit and cannot also decide the claim"
    return None


def expired(state: CreditState, now: int, deadline: int | None) -> bool:
    """Whether an owed credit's claim window passed unclaimed at `now`."""
    return state is CreditState.OWED and deadline is not None and now > deadline
