"""Termination rights as a ledger: when a right arises, until when it may be exercised, and by whom.

A termination rule grants the customer a right (terminate, terminate without penalty,
renegotiate) when an objective is missed as the rule says. The right is then recorded once:

    open ──exercise (customer, by the deadline)──► exercised
      ├──waive (customer)──► waived
      └──(the deadline passes)──► lapsed

The deadline is the rule's `exerciseWithin` after the instant the right was granted, on the
agreement's local clock; without one, a right stays open until exercised or waived. Pure.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from attain.engine.instant import from_us, to_us
from attain.engine.negotiation import Caller, Side
from attain.engine.period import zone


class RightState(StrEnum):
    """Where a termination right stands."""

    OPEN = "open"
    EXERCISED = "exercised"
    WAIVED = "waived"
    LAPSED = "lapsed"


def exercise_deadline(granted_at: int, time_zone: str, within: timedelta | None) -> int | None:
    """The last instant a right granted at `granted_at` may be exercised (None: no deadline)."""
    if within is None:
        return None
    return to_us(from_us(granted_at).astimezone(zone(time_zone)) + within)


def termination_end(exercised_at: int, time_zone: str, notice: timedelta | None) -> int:
    """The instant an agreement ends when a termination right is exercised at `exercised_at`: after its notice."""
    return exercised_at if notice is None else to_us(from_us(exercised_at).astimezone(zone(time_zone)) + notice)


TERMINATING = frozenset({"terminate", "terminate-without-penalty"})
"""The grants whose exercise ends the agreement (`renegotiate` does not)."""


def refusal(state: RightState, caller: Caller, now: int, deadline: int | None) -> str | None:
    """Why `caller` may not exercise or waive a right in `state` at `now`, or None when it may."""
    if state is not RightState.OPEN:
        return f"the right is {state.value}, no longer open"
    if caller.side is not Side.CUSTOMER:
        return "the customer exercises or waives its rights, not the provider"
    if deadline is not None and now > deadline:
        return "the time to exercise it has passed"
    return None


def lapsed(state: RightState, now: int, deadline: int | None) -> bool:
    """Whether an open right's deadline passed at `now`."""
    return state is RightState.OPEN and deadline is not None and now > deadline
