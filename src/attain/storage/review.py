"""`SqlReviews`: the reviews the parties held of an agreement, numbered per agreement, each audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.driver import driver_of
from attain.storage.insert import next_number
from attain.storage.standing_read import Review, read_reviews


class SqlReviews:
    """The reviews of a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def reviews(self, agreement: str) -> list[Review]:
        """The agreement's reviews, oldest first."""
        with self._engine.connect() as conn:
            return read_reviews(driver_of(conn), agreement)

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
