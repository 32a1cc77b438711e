"""Termination rights as the parties use them: what was granted, until when, and exercising or waiving it.

`sync` records every right the stored evaluation grants (once, numbered per agreement) with its
exercise deadline (`exerciseWithin` of the rule after it was granted), and marks open rights
whose deadline passed as `lapsed`. `take` lets the customer exercise or waive an open right by the
rules of `attain.engine.rights`. Every step is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from attain.actor import SYSTEM, acting_as
from attain.engine.instant import iso_utc
from attain.engine.negotiation import Caller
from attain.engine.rights import TERMINATING, RightState, exercise_deadline, lapsed, refusal, termination_end
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import parse_version
from attain.ports import Store
from attain.services.store import evaluate_stored
from attain.storage.right import RightEntry, RightMoved, SqlRights


def sync(store: Store, ledger: SqlRights, name: str, now: int) -> list[RightEntry]:
    """Record the rights the agreement's stored evaluation grants at `now`, lapse expired ones; all entries.

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    stored = evaluate_stored(store, name, now)
    zone = stored.agreement.spec.time_zone
    granted = [
        (
            name,
            g.objective,
            g.granted_at,
            g.rule.grants.value,
            g.periods,
            exercise_deadline(g.granted_at, zone, g.rule.exercise_within),
        )
        for g in stored.evaluation.termination
    ]
    with acting_as(SYSTEM):
        ledger.record(granted, now)
        for entry in ledger.entries(name):
            if lapsed(entry.state, now, entry.deadline):
                try:
                    ledger.move(entry, RightState.LAPSED, SYSTEM, now, "not exercised in time")
                except RightMoved:
                    continue
    return ledger.entries(name)


def take(
    ledger: SqlRights,
    name: str,
    number: int,
    to: RightState,
    caller: Caller,
    now: int,
    note: str | None,
    *,
    store: Store | None = None,
) -> RightEntry:
    """Exercise or waive right `number` of `name`, as `caller` (the customer).

    Exercising a right to terminate (`terminate`, `terminate-without-penalty`) ends the agreement
    after the granting rule's `notice` (at once without one), read from the latest version in
    `store`: from then on it is `terminated` and not evaluated past that instant.

    Raises:
        InvalidInput: no such right, the agreement is already terminated, or the rules refuse the
            step (the problem says why).
    """
    entry = ledger.entry(name, number)
    if entry is None:
        known = ", ".join(str(e.number) for e in ledger.entries(name)) or "none (`attain rights NAME` records them)"
        raise _refuse("right", f"{name} has no right {number}", f"its rights: {known}")
    why = refusal(entry.state, caller, now, entry.deadline)
    if why is not None:
        raise _refuse("right", f"{name} right {number}: {why}", "the customer exercises or waives an open right")
    ends_at = None
    if to is RightState.EXERCISED and entry.grants in TERMINATING and store is not None:
        ended = ledger.ending(name)
        if ended is not None:
            problem = f"{name} is already terminated, ending {iso_utc(ended.ends_at)} (right {ended.right})"
            raise _refuse("right", problem, "waive the right instead, or leave it to lapse")
        ends_at = _ends_at(store, entry, now)
    try:
        with acting_as(caller.actor):
            return ledger.move(entry, to, caller.actor, now, note, ends_at)
    except RightMoved as moved:
        raise _refuse("right", str(moved), "look again: `attain rights NAME`") from None


def _ends_at(store: Store, entry: RightEntry, now: int) -> int:
    """When the agreement ends if `entry` is exercised at `now`: after the notice of the rule that granted it."""
    spec = parse_version(store.versions(entry.agreement)[-1]).spec
    rules = () if spec.termination is None else spec.termination.rights
    notice = next(
        (r.notice for r in rules if r.grants.value == entry.grants and r.when.objective in {None, entry.objective}),
        None,
    )
    return termination_end(now, spec.time_zone, notice)


def _refuse(field: str, problem: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<store>", None, None, field, problem, hint)])


def open_rights(engine: Engine) -> SqlRights:
    """The rights ledger of the store behind `engine`."""
    return SqlRights(engine)


def right_data(entry: RightEntry) -> dict[str, Any]:
    """A right as plain data, instants in ISO 8601 (UTC)."""
    return {
        "agreement": entry.agreement,
        "number": entry.number,
        "objective": entry.objective,
        "grants": entry.grants,
        "grantedAt": iso_utc(entry.granted_at),
        "periods": list(entry.periods),
        "exerciseBy": None if entry.deadline is None else iso_utc(entry.deadline),
        "state": entry.state.value,
        "decidedBy": entry.decided_by,
        "decidedAt": None if entry.decided_at is None else iso_utc(entry.decided_at),
        "note": entry.note,
    }


def rights_of(store: Store, engine: Engine, name: str, now: int) -> list[RightEntry]:
    """The rights of `name` on the store behind `engine`, brought up to date at `now` (`sync`)."""
    return sync(store, SqlRights(engine), name, now)
