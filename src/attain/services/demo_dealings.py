"""The demo's dealings between the parties: one accepted change and one claimed credit.

After the demo's data is in, the provider proposes to raise cloud-uptime's storage availability
target from 99.9% to 99.95%, to take effect on the first date the change clause's notice allows;
the customer accepts it, so `attain history cloud-uptime` and `attain diff cloud-uptime 1 2` have
something to show. Then every agreement's credit ledger is brought up to date and the customer
claims the first credit owed, so `attain credits NAME` shows one claimed. Only a SQL store keeps
proposals and ledgers; a store without them is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from attain.engine.claims import CreditState, Step
from attain.engine.negotiation import Caller, Side, earliest_effective
from attain.lifecycle.versions import latest_agreement
from attain.model.agreement import TakesEffect
from attain.ports import Store
from attain.services.credits import sync, take
from attain.services.proposals import accept, propose
from attain.storage.credit import SqlCredits
from attain.storage.proposal import SqlProposals
from attain.storage.store import SqlStore

PROVIDER = Caller(Side.PROVIDER, "demo:provider")
CUSTOMER = Caller(Side.CUSTOMER, "demo:customer")
CHANGED = ("cloud-uptime", "storage-availability", Decimal("0.9995"))
"""The agreement, the objective and the new target of the demo's accepted change."""


@dataclass(frozen=True)
class Dealings:
    """What the demo agreed and claimed: the new version's number and date, and the credit claimed."""

    version: int
    effective: str
    claimed: str | None


def demo_dealings(store: Store, names: list[str], now: int) -> Dealings | None:
    """Propose and accept the demo's change, record the credits owed and claim the first (None: not a SQL store)."""
    if not isinstance(store, SqlStore) or CHANGED[0] not in names:
        return None
    name, objective, target = CHANGED
    current = latest_agreement(store, name)
    spec = current.spec
    objectives = tuple(
        o.model_copy(update={"target": target}) if o.name == objective else o for o in current.objectives
    )
    changed = current.model_copy(update={"spec": spec.model_copy(update={"objectives": objectives})})
    clause = spec.changes
    period = None if clause is not None and clause.takes_effect is TakesEffect.ANY_DAY else spec.reporting.period
    day = earliest_effective(now, spec.time_zone, clause.notice if clause else None, period)
    proposals = SqlProposals(store.engine)
    note = "raise storage availability after the storage upgrade"
    made = propose(store, proposals, changed, PROVIDER, now, effective=day, note=note)
    applied = accept(store, proposals, name, made.number, CUSTOMER, now)
    ledger = SqlCredits(store.engine)
    owed = [e for n in names for e in sync(store, ledger, n, now) if e.state is CreditState.OWED]
    claimed = None
    if owed:
        first = owed[0]
        take(ledger, first.agreement, first.period, Step.CLAIM, CUSTOMER, now)
        claimed = f"{first.agreement} {first.period}"
    return Dealings(applied.version.version, applied.version.effective_from.isoformat(), claimed)
