"""`SqlCredits`: the credit ledger, one entry per closed period owing a credit, and its moves.

An entry is recorded once per agreement and period (the primary key: the period's label and its
start, since one label can name two periods of an agreement), with what the version that
judged the period said: the share of the fee, the amount and currency, the objectives that
triggered it, and the claim deadline. Each move applies only from the state it starts from (the
UPDATE says so), so two people moving one entry at once cannot both succeed, and appends its
audit entry in the same transaction. Who may move it is checked by the caller
(`attain.services.credits`, by the rules of `attain.engine.claims`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from attain.engine.claims import CreditState
from attain.storage import schema as s
from attain.storage.audit import append, digest
from attain.storage.insert import dialect_insert


@dataclass(frozen=True)
class CreditEntry:
    """A credit owed for one period, and where it stands."""

    agreement: str
    period: str
    version: int
    share: Decimal
    amount: Decimal | None
    currency: str | None
    objectives: tuple[str, ...]
    state: CreditState
    owed_at: int
    deadline: int | None
    claimed_by: str | None = None
    claimed_at: int | None = None
    decided_by: str | None = None
    decided_at: int | None = None
    reason: str | None = None
    reference: str | None = None
    issued_at: int | None = None
    uncapped: Decimal | None = None
    """The amount before `creditPolicy.maxPerYear` lowered it (None: not capped)."""
    capped: str | None = None
    """Why and when it was capped, in words (None: not capped)."""
    start: int = 0
    """The period's start (µs): with `period` it names the period (column `start_at`)."""


class CreditMoved(Exception):
    """The entry is no longer in the state the move starts from."""

    def __init__(self, entry: CreditEntry) -> None:
        super().__init__(f"the credit of {entry.agreement} {entry.period} is {entry.state.value} now")
        self.entry = entry


def _entry(row: Row[Any]) -> CreditEntry:
    values = row._asdict()
    values["start"] = values.pop("start_at")
    values["state"] = CreditState(values["state"])
    values["objectives"] = tuple(values["objectives"])
    return CreditEntry(**values)


def _said(entry: CreditEntry) -> dict[str, Any]:
    """What an entry says, for its audit hash: the figures and its state."""
    amount = None if entry.amount is None else str(entry.amount)
    return {"period": entry.period, "share": str(entry.share), "amount": amount, "state": entry.state.value}


class SqlCredits:
    """The credit ledger of a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def entries(self, agreement: str) -> list[CreditEntry]:
        """The agreement's entries, by period label, then start."""
        t = s.credit_ledger
        query = select(t).where(t.c.agreement == agreement).order_by(t.c.period, t.c.start_at)
        with self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def entry(self, agreement: str, period: str, start: int) -> CreditEntry | None:
        """The entry of the period labelled `period` that starts at `start`, or None."""
        with self._engine.connect() as conn:
            return _one(conn, agreement, period, start)

    def record(self, owed: Sequence[CreditEntry], now: int) -> list[CreditEntry]:
        """Record each entry not yet in the ledger (as `owed`); the ones recorded now, audited."""
        t = s.credit_ledger
        recorded = []
        with self._engine.begin() as conn:
            for entry in owed:
                values = {**entry.__dict__, "state": entry.state.value, "objectives": list(entry.objectives)}
                values["start_at"] = values.pop("start")
                inserted = conn.execute(
                    dialect_insert(conn, t)
                    .values(**values)
                    .on_conflict_do_nothing(index_elements=list(t.primary_key))
                    .returning(t.c.period)
                ).first()
                if inserted is not None:
                    detail = {"share": str(entry.share), "objectives": list(entry.objectives), "version": entry.version}
                    append(
                        conn,
                        entry.agreement,
                        "credit.owed",
                        entry.period,
                        now,
                        detail=detail,
                        after=digest(_said(entry)),
                    )
                    recorded.append(entry)
        return recorded

    def move(
        self,
        entry: CreditEntry,
        to: CreditState,
        actor: str,
        now: int,
        *,
        reason: str | None = None,
        reference: str | None = None,
    ) -> CreditEntry:
        """Move an entry from its current state to `to`, recording who, when and why.

        Raises:
            CreditMoved: someone moved it first.
        """
        t = s.credit_ledger
        values: dict[str, Any] = {"state": to.value}
        if to is CreditState.CLAIMED:
            values |= {"claimed_by": actor, "claimed_at": now}
        elif to is CreditState.ISSUED:
            values |= {"issued_at": now, "reference": reference}
        else:
            values |= {"decided_by": actor, "decided_at": now, "reason": reason}
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(t)
                .where(
                    t.c.agreement == entry.agreement,
                    t.c.period == entry.period,
                    t.c.start_at == entry.start,
                    t.c.state == entry.state.value,
                )
                .values(**values)
                .returning(t.c.period)
            ).first()
            current = _one(conn, entry.agreement, entry.period, entry.start)
            assert current is not None
            if changed is None:
                raise CreditMoved(current)
            detail = {"from": entry.state.value, "reason": reason, "reference": reference}
            append(
                conn,
                entry.agreement,
                f"credit.{to.value}",
                entry.period,
                now,
                detail=detail,
                before=digest(_said(entry)),
                after=digest(_said(current)),
            )
        return current


def _one(conn: Connection, agreement: str, period: str, start: int) -> CreditEntry | None:
    t = s.credit_ledger
    row = conn.execute(select(t).where(t.c.agreement == agreement, t.c.period == period, t.c.start_at == start)).first()
    return None if row is None else _entry(row)
