"""An agreement's termination and its reviews held, read through the driver's cursor (`SqlStore` and the reader).

`attain status` shows both beside the evaluation; reading them as plain SQL (the statements
`attain.storage.right` and `attain.storage.review` ran through SQLAlchemy Core) lets it read a
current SQLite store without importing SQLAlchemy (`attain.storage.reader`). The records are
defined here and re-exported by those modules, which write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attain.storage.driver import Driver, fetch


@dataclass(frozen=True)
class Ending:
    """An agreement the customer terminated: the right exercised, when, and the instant the agreement ends."""

    agreement: str
    right: int
    grants: str
    exercised_at: int
    ends_at: int
    actor: str
    note: str | None = None


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


def read_ending(driver: Driver, agreement: str) -> Ending | None:
    """The agreement's termination, or None."""
    rows = fetch(
        driver,
        "SELECT agreement, right_number, grants, exercised_at, ends_at, actor, note FROM terminations "  # noqa: S608 - marks only
        f"WHERE agreement = {driver.mark}",
        (agreement,),
    )
    return Ending(*rows[0]) if rows else None


def read_reviews(driver: Driver, agreement: str) -> list[Review]:
    """The agreement's reviews, oldest first."""
    rows = fetch(
        driver,
        "SELECT agreement, number, held_on, participants, outcome, proposal, recorded_by, recorded_at FROM reviews "  # noqa: S608
        f"WHERE agreement = {driver.mark} ORDER BY held_on, number",
        (agreement,),
    )
    return [
        Review(name, number, _date(held), tuple(driver.json(people)), outcome, proposal, by, at)
        for name, number, held, people, outcome, proposal, by, at in rows
    ]


def _date(value: object) -> date:
    """A stored date as `date` (SQLite keeps ISO text, PostgreSQL gives a `date`)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
