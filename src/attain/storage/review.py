"""`SqlReviews`: the reviews the parties held of an agreement, numbered per agreement, each audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Row, select

from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.insert import next_number


@dataclass(frozen=True)
class Review:
    """A review held: when, who took part, what came of it, and the proposal it led to."""

    agreement: str
    number: int
    held_on: date
    participants: tuple[str, ...]
    outcome: str
    proposal: int | None
    recorded_by: str
    recorded_at: int


def _review(row: Row[Any]) -> Review:
    values = row._asdict()
    values["participants"] = tuple(values["participants"])
    return Review(**values)


class SqlReviews:
    """The reviews of a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def reviews(self, agreement: str) -> list[Review]:
        """The agreement's reviews, oldest first."""
        t = s.reviews
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.agreement == agreement).order_by(t.c.held_on, t.c.number))
            return [_review(row) for row in rows]

    def record(
        self,
        agreement: str,
        held_on: date,
        participants: tuple[str, ...],
        outcome: str,
        proposal: int | None,
        actor: str,
        now: int,
    ) -> Review:
        """Record a review held, numbered after the agreement's last, and audit it."""
        t = s.reviews
        with self._engine.begin() as conn:
            number = next_number(conn, t, agreement)
            values = {
                "agreement": agreement,
                "number": number,
                "held_on": held_on,
                "participants": list(participants),
                "outcome": outcome,
                "proposal": proposal,
                "recorded_by": actor,
                "recorded_at": now,
            }
            conn.execute(t.insert().values(**values))
            detail = {"held_on": held_on.isoformat(), "participants": list(participants), "proposal": proposal}
            append(conn, agreement, "review.held", f"review {number}", now, detail=detail)
        return Review(agreement, number, held_on, participants, outcome, proposal, actor, now)
