"""Exclusion requests: maintenance, force majeure or an incident not to count, asked by one party, decided by the other.

A request names the kind (one the agreement's exclusions list, or it could never count), the time
range, the objectives (none: all), the reason and the evidence. Its creation time is the server's
clock, and the agreement's notice rules (`minimumNotice`) are checked against it when the
evaluation applies the exclusion. The other party accepts or rejects it; the author's side may
withdraw it. An accepted request may reach back only to the start of the reporting period still
open (closed periods never change); it becomes an announcement the evaluation applies to open
periods. Every step is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attain.actor import acting_as
from attain.engine.instant import iso_utc, to_us
from attain.engine.negotiation import Caller, State, refusal_of_range, refusal_to_decide, refusal_to_withdraw
from attain.engine.period import period_at
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import latest_agreement
from attain.model.exclusion import ExclusionKind
from attain.ports import Store
from attain.storage.exclusion_request import ExclusionRequest, RequestDecided, SqlExclusionRequests


def _refuse(problems: list[tuple[str, str, str]]) -> InvalidInput:
    return InvalidInput([Problem("<store>", None, None, field, message, hint) for field, message, hint in problems])


def request(  # noqa: PLR0913 - what a request records
    store: Store,
    requests: SqlExclusionRequests,
    name: str,
    *,
    kind: str,
    span: tuple[datetime, datetime],
    objectives: list[str],
    reason: str,
    evidence: str,
    caller: Caller,
    now: int,
) -> ExclusionRequest:
    """Ask to exclude `span` ([start, end)) of `objectives` (none: all) for `reason`.

    Raises:
        InvalidInput: every problem at once: an unknown kind or one the agreement does not list,
            an empty range, an unknown objective, no reason.
    """
    agreement = latest_agreement(store, name)
    listed = sorted({e.kind.value for e in agreement.spec.exclusions})
    problems = []
    if kind not in {k.value for k in ExclusionKind}:
        problems.append(
            ("kind", f"not a kind of exclusion: {kind!r}", f"one of: {', '.join(k.value for k in ExclusionKind)}")
        )
    elif kind not in listed:
        hint = f"the agreement lists: {', '.join(listed) or 'no exclusions'}; propose a version that adds it"
        problems.append(("kind", f"the agreement excludes no {kind} time", hint))
    start, end = to_us(span[0]), to_us(span[1])
    if end <= start:
        problems.append(("end", "the range is empty: its end is not after its start", "give an end after the start"))
    known = {o.name for o in agreement.objectives}
    problems += [
        ("objectives", f"no objective named {o!r}", f"objectives: {', '.join(sorted(known))}")
        for o in objectives
        if o not in known
    ]
    if not reason.strip():
        problems.append(("reason", "no reason given", "say what happened or will happen"))
    if problems:
        raise _refuse(problems)
    with acting_as(caller.actor):
        texts = (reason.strip(), evidence.strip())
        return requests.create(
            name, ExclusionKind(kind), (start, end), objectives, texts, caller.side, caller.actor, now
        )


def decide(
    store: Store,
    requests: SqlExclusionRequests,
    name: str,
    number: int,
    to: State,
    caller: Caller,
    now: int,
    note: str | None = None,
) -> ExclusionRequest:
    """Accept, reject or withdraw request `number` of `name` as `caller`.

    Raises:
        InvalidInput: no such open request, the caller may not take the step, a rejection
            without a note, or an acceptance reaching back before the open period.
    """
    found = requests.request(name, number)
    if found is None:
        known = ", ".join(str(r.number) for r in requests.requests(name)) or "none"
        raise _refuse([("request", f"{name} has no exclusion request {number}", f"its requests: {known}")])
    if found.state is not State.PROPOSED:
        raise _refuse([("request", f"{name} exclusion request {number} is already {found.state.value}", "")])
    author = Caller(found.side, found.author)
    why = (
        refusal_to_withdraw(author, caller) if to is State.WITHDRAWN else refusal_to_decide(author, caller, terms=True)
    )
    if why is None and to is State.REJECTED and not (note or "").strip():
        why = "a rejection needs a reason (--note)"
    if why is None and to is State.ACCEPTED:
        spec = latest_agreement(store, name).spec
        open_period = period_at(spec.reporting.period, spec.time_zone, now)
        why = refusal_of_range(found.start_at, open_period.start, open_period.label)
    if why is not None:
        raise _refuse([("request", f"{name} exclusion request {number}: {why}", "")])
    try:
        with acting_as(caller.actor):
            return requests.decide(found, to, caller.actor, caller.side, now, note)
    except RequestDecided as decided:
        raise _refuse([("request", str(decided), "")]) from None


def request_data(item: ExclusionRequest) -> dict[str, Any]:
    """A request as plain data, instants in ISO 8601 (UTC)."""
    return {
        "agreement": item.agreement,
        "number": item.number,
        "kind": item.kind.value,
        "start": iso_utc(item.start_at),
        "end": iso_utc(item.end_at),
        "objectives": list(item.objectives),
        "reason": item.reason,
        "evidence": item.evidence,
        "side": item.side.value,
        "author": item.author,
        "createdAt": iso_utc(item.created_at),
        "state": item.state.value,
        "decidedBy": item.decided_by,
        "decidedAt": None if item.decided_at is None else iso_utc(item.decided_at),
        "note": item.note,
    }
