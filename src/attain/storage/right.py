"""`SqlRights`: termination rights granted to the customer, numbered per agreement, and their fate.

A right is recorded once (the agreement, objective, instant and grant are unique), numbered in
the order recorded; a move applies only from `open` (the UPDATE says so) and appends its audit
entry in the same transaction. Who may move it is checked by `attain.services.rights`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from attain.engine.rights import RightState
from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.driver import driver_of
from attain.storage.insert import next_number
from attain.storage.standing_read import Ending, read_ending


@dataclass(frozen=True)
class RightEntry:
    """A termination right and where it stands."""

    agreement: str
    number: int
    objective: str
    granted_at: int
    grants: str
    periods: tuple[str, ...]
    deadline: int | None
    state: RightState
    decided_by: str | None = None
    decided_at: int | None = None
    note: str | None = None


class RightMoved(Exception):
    """The right is no longer open."""

    def __init__(self, entry: RightEntry, why: str | None = None) -> None:
        said = why or f"right {entry.number} of {entry.agreement} is {entry.state.value} now"
        super().__init__(said)
        self.entry = entry


def _entry(row: Row[Any]) -> RightEntry:
    values = row._asdict()
    values["state"] = RightState(values["state"])
    values["periods"] = tuple(values["periods"])
    return RightEntry(**values)


class SqlRights:
    """The termination rights of a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def entries(self, agreement: str) -> list[RightEntry]:
        """The agreement's rights, by number."""
        t = s.rights
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.agreement == agreement).order_by(t.c.number))
            return [_entry(row) for row in rows]

    def entry(self, agreement: str, number: int) -> RightEntry | None:
        """One right, or None."""
        with self._engine.connect() as conn:
            return _one(conn, agreement, number)

    def record(self, granted: Sequence[tuple[str, str, int, str, tuple[str, ...], int | None]], now: int) -> int:
        """Record each (agreement, objective, granted_at, grants, periods, deadline) not yet recorded; how many."""
        t = s.rights
        recorded = 0
        with self._engine.begin() as conn:
            for agreement, objective, granted_at, grants, periods, deadline in granted:
                known = conn.execute(
                    select(t.c.number).where(
                        t.c.agreement == agreement,
                        t.c.objective == objective,
                        t.c.granted_at == granted_at,
                        t.c.grants == grants,
                    )
                ).first()
                if known is not None:
                    continue
                number = next_number(conn, t, agreement)
                conn.execute(
                    t.insert().values(
                        agreement=agreement,
                        number=number,
                        objective=objective,
                        granted_at=granted_at,
                        grants=grants,
                        periods=list(periods),
                        deadline=deadline,
                        state=RightState.OPEN.value,
                    )
                )
                detail = {"objective": objective, "grants": grants, "periods": list(periods)}
                append(conn, agreement, "right.granted", f"right {number}", now, detail=detail)
                recorded += 1
        return recorded

    def ending(self, agreement: str) -> Ending | None:
        """How the agreement was terminated, or None while it is not."""
        with self._engine.connect() as conn:
            return ending_in(conn, agreement)

    def move(
        self,
        entry: RightEntry,
        to: RightState,
        actor: str,
        now: int,
        note: str | None = None,
        ends_at: int | None = None,
    ) -> RightEntry:
        """Move an open right to `to`; with `ends_at`, the agreement is terminated then (same transaction).

        Raises:
            RightMoved: it is no longer open, or (with `ends_at`) the agreement is already terminated.
        """
        t = s.rights
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(t)
                .where(t.c.agreement == entry.agreement, t.c.number == entry.number)
                .where(t.c.state == RightState.OPEN.value)
                .values(state=to.value, decided_by=actor, decided_at=now, note=note)
                .returning(t.c.number)
            ).first()
            current = _one(conn, entry.agreement, entry.number)
            assert current is not None
            if changed is None:
                raise RightMoved(current)
            detail = {"objective": entry.objective, "grants": entry.grants, "note": note}
            append(conn, entry.agreement, f"right.{to.value}", f"right {entry.number}", now, detail=detail)
            if ends_at is not None:
                if ending_in(conn, entry.agreement) is not None:
                    raise RightMoved(entry, "the agreement is already terminated")
                conn.execute(
                    s.terminations.insert().values(
                        agreement=entry.agreement,
                        right_number=entry.number,
                        grants=entry.grants,
                        exercised_at=now,
                        ends_at=ends_at,
                        actor=actor,
                        note=note,
                    )
                )
                ended = {"right": entry.number, "grants": entry.grants, "endsAt": ends_at}
                append(conn, entry.agreement, "agreement.terminated", entry.agreement, now, detail=ended)
        return current


def ending_in(conn: Connection, agreement: str) -> Ending | None:
    """The agreement's termination read on `conn` (inside its transaction, if any), or None."""
    return read_ending(driver_of(conn), agreement)


def ending_of(engine: Engine, agreement: str) -> Ending | None:
    """The termination of `agreement` on the store behind `engine`, or None."""
    with engine.connect() as conn:
        return ending_in(conn, agreement)


def _one(conn: Connection, agreement: str, number: int) -> RightEntry | None:
    t = s.rights
    row = conn.execute(select(t).where(t.c.agreement == agreement, t.c.number == number)).first()
    return None if row is None else _entry(row)
