"""Who is told what, and when: routing conditions to receivers, and the notices a tick owes.

Pure: the states remembered from earlier ticks come in, the notices and changed states go out;
the caller stores both in one transaction (the outbox).

- `route`: a condition goes to every receiver of every route whose `events` hold its kind, whose
  `severities` (when given) hold its severity, and whose `objectives` (when given) hold its
  objective. A condition about no single objective (a credit, which combines objectives; a
  review due) passes the `objectives` filter. A receiver of `party: customer` is never given a
  kind outside `CUSTOMER_FACING`, even when a route names it (validation refuses such a route).
  Each (receiver, condition) pair appears once, however many routes lead to it.
- `transitions`, per (receiver, condition key):
  - a resolvable condition (burn rate, silent source) fires when it first holds (or holds again
    after it resolved); while it holds it is sent again once `repeatInterval` has passed since
    the last send, but to an Alertmanager receiver every minute (every tick), because
    Alertmanager resolves an alert on its own when it is not re-sent within its resolve timeout;
    when it no longer holds it resolves, once (told only when `sendResolved`, and only to a
    receiver `notify:` still declares);
  - a one-shot condition is sent once per receiver, ever: its state (`firing` False) remembers it.
- Sequence numbers (`Notice.sequence`) rise by one with every notice of one (receiver, key),
  across fire episodes too, so that every notice has its own `dedup_key` and a repeated tick
  (the same `previous` states) owes exactly the same notices.
- A resolved notice is rebuilt from the remembered state: the kind, key and since, the
  objective and severity read back from the key (`burn-rate/OBJECTIVE/SEVERITY/WINDOWS`,
  `silent-source/OBJECTIVE/STREAM`), the agreement's name from the conditions of the tick (or
  filled in by `envelopes`), no facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.engine.notices import (
    RESOLVABLE,
    Channel,
    Condition,
    Envelope,
    Notice,
    NoticeState,
    NoticeStatus,
)
from attain.model import Agreement
from attain.model.notify import CUSTOMER_FACING, EventKind, Notify, PartyRole, Receiver, Route

Routed = Sequence[tuple[Receiver, Condition]]
"""(receiver, condition) pairs as `route` returns them."""

ALERTMANAGER_REPEAT_US = US_PER_MINUTE
"""How often a firing condition is re-sent to an Alertmanager receiver: every minute."""


def route(notify: Notify, conditions: Sequence[Condition]) -> tuple[tuple[Receiver, Condition], ...]:
    """Each condition paired with every receiver a route sends it to (see the module docstring)."""
    receivers = {r.name: r for r in notify.receivers}
    pairs: list[tuple[Receiver, Condition]] = []
    seen: set[tuple[str, str]] = set()
    for condition in conditions:
        for chosen in notify.routes:
            if not _matches(chosen, condition):
                continue
            for name in chosen.receivers:
                receiver = receivers.get(name)
                if receiver is None or (name, condition.key) in seen or not allowed(receiver, condition.kind):
                    continue
                seen.add((name, condition.key))
                pairs.append((receiver, condition))
    return tuple(pairs)


def allowed(receiver: Receiver, kind: EventKind) -> bool:
    """Whether the receiver may be told of this kind: a customer's only of customer-facing ones."""
    return receiver.party is not PartyRole.CUSTOMER or kind in CUSTOMER_FACING


def _matches(chosen: Route, condition: Condition) -> bool:
    return (
        condition.kind in chosen.events
        and (not chosen.severities or condition.severity in chosen.severities)
        and (not chosen.objectives or condition.objective is None or condition.objective in chosen.objectives)
    )


def repeat_us(receiver: Receiver, notify: Notify) -> int:
    """How long after a send a still-firing condition is sent again to this receiver (µs)."""
    return ALERTMANAGER_REPEAT_US if receiver.alertmanager is not None else duration_us(notify.repeat_interval)


def transitions(
    previous: Mapping[tuple[str, str], NoticeState], routed: Routed, now: int, notify: Notify
) -> tuple[tuple[Notice, ...], tuple[NoticeState, ...]]:
    """The notices owed at `now` and the states that change (see the module docstring).

    Args:
        previous: The remembered state per (receiver name, condition key).
        routed: This tick's (receiver, condition) pairs (`route`).
        now: The tick's instant, µs.
        notify: The agreement's `notify:` (repeat interval, send resolved).

    Returns:
        The notices to send, in the order of `routed` then of the resolved keys; and only the
        states that changed.
    """
    notices: list[Notice] = []
    states: list[NoticeState] = []
    holding: set[tuple[str, str]] = set()
    for receiver, condition in routed:
        slot = (receiver.name, condition.key)
        holding.add(slot)
        decided = _holding(previous.get(slot), receiver, condition, now, repeat_us(receiver, notify))
        if decided is not None:
            notices.append(decided[0])
            states.append(decided[1])
    agreement = next((c.agreement for _, c in routed), "")
    known = {r.name for r in notify.receivers}
    for slot in sorted(previous):
        state = previous[slot]
        if slot in holding or not state.firing or state.kind not in RESOLVABLE:
            continue
        told = notify.send_resolved and state.receiver in known  # a receiver since removed is not written to
        sequence = state.sequence + 1 if told else state.sequence
        if told:
            notices.append(Notice(state.receiver, _resolved(state, agreement), NoticeStatus.RESOLVED, now, sequence))
        states.append(replace(state, firing=False, last_sent=now, sequence=sequence))
    return tuple(notices), tuple(states)


def _holding(
    state: NoticeState | None, receiver: Receiver, condition: Condition, now: int, repeat: int
) -> tuple[Notice, NoticeState] | None:
    """The notice and new state for a condition that holds, or None when nothing is owed."""
    if state is None:
        sequence = 0
    elif not condition.resolvable:
        return None  # one-shot: told once, ever
    elif not state.firing:
        sequence = state.sequence + 1  # a new episode
    elif now - state.last_sent >= repeat:
        notice = Notice(receiver.name, condition, NoticeStatus.FIRING, now, state.sequence + 1)
        return notice, replace(state, last_sent=now, sequence=state.sequence + 1)
    else:
        return None
    notice = Notice(receiver.name, condition, NoticeStatus.FIRING, now, sequence)
    firing = condition.resolvable
    return notice, NoticeState(receiver.name, condition.key, condition.kind, firing, condition.since, now, sequence)


def _resolved(state: NoticeState, agreement: str) -> Condition:
    """The condition a resolved notice tells of, rebuilt from its state (see the module docstring)."""
    parts = state.key.split("/")
    objective = parts[1] if len(parts) > 2 else None
    severity = "/".join(parts[2:-1]) if state.kind is EventKind.BURN_RATE else "warning"
    return Condition(state.kind, state.key, agreement, objective, severity, state.since, resolvable=True)


def envelopes(notice: Notice, receiver: Receiver, agreement: Agreement) -> tuple[Envelope, ...]:
    """One envelope per channel of the receiver, addressed and in the receiver's language.

    The language is the receiver's, else the agreement's; an e-mail receiver without `to` goes to
    its party's `contact` in `agreement.spec.parties` (none when the party has no contact). A
    notice whose condition lacks the agreement's name (a resolved one rebuilt from its state)
    gets it here.
    """
    spec = agreement.spec
    if not notice.condition.agreement:
        notice = replace(notice, condition=replace(notice.condition, agreement=agreement.name))
    language = receiver.language or spec.language.value
    party = receiver.party.value

    def envelope(channel: Channel, url: str = "", secret_env: str | None = None, to: tuple[str, ...] = ()) -> Envelope:
        return Envelope(notice, channel, party, language, spec.title, url, secret_env, to)

    found = []
    if receiver.alertmanager is not None:
        found.append(envelope(Channel.ALERTMANAGER, receiver.alertmanager.url))
    if receiver.webhook is not None:
        found.append(envelope(Channel.WEBHOOK, receiver.webhook.url, receiver.webhook.secret_env))
    if receiver.email is not None:
        to = receiver.email.to
        if not to:
            contact = (spec.parties.customer if receiver.party is PartyRole.CUSTOMER else spec.parties.provider).contact
            to = (contact,) if contact else ()
        found.append(envelope(Channel.EMAIL, to=to))
    return tuple(found)
