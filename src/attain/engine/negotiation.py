"""The rules of changing an agreement: who may accept a proposal, and from when it may take effect.

A proposal is a new version one party offers; it is never judged until the other side accepts it
(the store keeps proposals apart from versions). The rules, pure so that they are tested alone:

- **Who accepts.** Nobody accepts their own proposal (the approver is never the author). A change
  of terms (`attain.engine.diff.Change.terms`) needs the other party; an operational change needs
  the provider. The author's side withdraws; whoever may accept may also reject.
- **Notice.** The version in force says how much notice a change needs (`changes.notice`). An
  accepted change takes effect no earlier than the notice after its acceptance, counted from the
  server's clock at acceptance, unless both parties waived the notice (the author asked for it in
  the proposal, the other party accepted it so).
- **Period start.** A change takes effect at the start of a reporting period (the version in
  force's `reporting.period`, in its time zone) unless its change clause says `takesEffect: any-day`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from attain.engine.instant import from_us
from attain.engine.period import next_unit_start, unit_start, zone
from attain.model import CalendarUnit


class Side(StrEnum):
    """The two parties to an agreement."""

    PROVIDER = "provider"
    CUSTOMER = "customer"

    @property
    def other(self) -> Side:
        """The other party."""
        return Side.CUSTOMER if self is Side.PROVIDER else Side.PROVIDER


class State(StrEnum):
    """Where a proposal stands: proposed, then accepted (a version), rejected or withdrawn."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Caller:
    """Who acts: the side they act for, and the actor the audit trail records."""

    side: Side
    actor: str


def refusal_to_decide(author: Caller, decider: Caller, *, terms: bool) -> str | None:
    """Why `decider` may not accept or reject `author`'s proposal, or None when they may.

    Args:
        author: who proposed the change.
        decider: who would accept or reject it.
        terms: whether the change touches the contract's terms (else it is only operational).
    """
    if decider.actor == author.actor:
        return f"{decider.actor} proposed this change and cannot also decide it; the other party decides"
    if terms and decider.side is author.side:
        return f"a change of terms needs the {author.side.other.value}'s decision, not the {decider.side.value}'s"
    if not terms and decider.side is not Side.PROVIDER:
        return "an operational change (alerting, metric queries, stream names …) is the provider's to decide"
    return None


def refusal_to_withdraw(author: Caller, caller: Caller) -> str | None:
    """Why `caller` may not withdraw `author`'s proposal, or None: only the author's side withdraws."""
    if caller.side is not author.side:
        return f"only the {author.side.value}, who proposed it, may withdraw it; the {caller.side.value} may reject it"
    return None


def earliest_effective(accepted_at: int, time_zone: str, notice: timedelta | None, period: CalendarUnit | None) -> date:
    """The first date an accepted change may take effect.

    Args:
        accepted_at: the instant of acceptance (µs since the epoch, the server's clock).
        time_zone: the agreement's time zone: a version takes effect at local midnight.
        notice: the notice the version in force asks for (None or zero: none).
        period: the reporting period whose start a change must fall on (None: any day).

    Returns:
        The first local date whose midnight lies at or after `accepted_at + notice`, moved on to
        the start of the next period when it is not itself one.
    """
    moment = from_us(accepted_at).astimezone(zone(time_zone)) + (notice or timedelta(0))
    first = moment.date()
    if (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
        first += timedelta(days=1)
    if period is None:
        return first
    start = unit_start(period, first)
    return first if start == first else next_unit_start(period, start)


def refusal_of_date(effective: date, earliest: date, period: CalendarUnit | None) -> str | None:
    """Why a change may not take effect on `effective`, or None when it may."""
    if effective < earliest:
        return (
            f"takes effect on {effective.isoformat()}, before the notice allows: the earliest is {earliest.isoformat()}"
        )
    if period is not None and unit_start(period, effective) != effective:
        nxt = next_unit_start(period, unit_start(period, effective))
        return (
            f"takes effect on {effective.isoformat()}, not at the start of a {period.value}: "
            f"changes take effect at a period's start (e.g. {nxt.isoformat()})"
        )
    return None


def refusal_of_range(start: int, period_start: int, period_label: str) -> str | None:
    """Why an exclusion starting at `start` may not be accepted now, or None.

    `period_start` is the start of the current reporting period: a closed period's results never
    change, so an exclusion may reach back only to the start of the period still open.
    """
    if start < period_start:
        return f"it reaches back before the open period {period_label}; closed periods do not change"
    return None
