"""The scheduler's notify step: from one agreement's evaluation to messages waiting in the outbox.

Each tick, for each agreement in force: the conditions that hold now (`engine.notices.conditions`),
routed to the receivers of its `notify:` block (`engine.routing.route`), compared with what each
receiver was last told (`notice_states`) to decide the notices owed now (`engine.routing.transitions`),
addressed per channel (`engine.routing.envelopes`), and stored with the new states in one
transaction (`storage.outbox.SqlOutbox.record`). A tick that dies before that transaction leaves
nothing behind and the next tick decides the same notices again; one that dies after it has queued
them, and delivery (`services.delivery`) sends them at least once. A tick repeated or overlapping
another enqueues nothing twice: each message's dedup key is unique in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from attain.engine.notices import Condition, conditions
from attain.engine.period import local_midnight
from attain.engine.routing import envelopes, route, transitions
from attain.ports import Store
from attain.services.reviews import review_state
from attain.services.store import StoredEvaluation
from attain.storage.outbox import SqlOutbox


def last_seen(store: Store, agreement: str) -> dict[str, int]:
    """Per stream, the µs instant its latest batch of measurements for `agreement` was stored.

    A source is silent when nothing arrives from it, whatever instants the measurements carry, so
    the ingestion instant is what counts (a backfill of old data shows the source is alive).
    """
    seen: dict[str, int] = {}
    for entry in store.ledger(agreement):
        seen[entry.stream] = max(seen.get(entry.stream, entry.stored_at), entry.stored_at)
    return seen


def review_due_at(store: Store, engine: Engine, stored: StoredEvaluation, now: int) -> int | None:
    """The instant the next review falls due (local midnight of its date), or None without a review clause."""
    due = stored.review if stored.review is not None else review_state(store, engine, stored.agreement.name, now).due
    if due is None:
        return None
    return local_midnight(due.due, stored.agreement.spec.time_zone)


def notify_agreement(store: Store, engine: Engine, stored: StoredEvaluation, now: int) -> int:
    """Queue what one agreement's receivers are owed at `now` into the outbox on `engine`; how many were new.

    Nothing is queued for an agreement without a `notify:` block. Once an agreement has ended, no
    condition holds any more: what was firing is resolved, and nothing new is told.
    """
    agreement = stored.agreement
    notify = agreement.spec.notify
    if notify is None or not notify.routes:
        return 0
    name = agreement.name
    outbox = SqlOutbox(engine)
    if stored.ended is not None and stored.ended.ends_at <= now:
        found: tuple[Condition, ...] = ()
    else:
        seen = last_seen(store, name)
        found = conditions(
            agreement, stored.evaluation, now, last_seen=seen, review_due=review_due_at(store, engine, stored, now)
        )
    receivers = {r.name: r for r in notify.receivers}
    notices, changed = transitions(outbox.states(name), route(notify, found), now, notify)
    addressed = [e for n in notices if n.receiver in receivers for e in envelopes(n, receivers[n.receiver], agreement)]
    return outbox.record(name, changed, addressed, now)


def notify_step(engine: Engine) -> Callable[[Store, StoredEvaluation, int], None]:
    """The scheduler's `NotifyStep`, queuing into the outbox on `engine` (the store's)."""

    def step(store: Store, stored: StoredEvaluation, now: int) -> None:
        notify_agreement(store, engine, stored, now)

    return step
