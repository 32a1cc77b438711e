"""Reviews of an agreement: recording one the parties held, and when the next one is due.

An agreement with `review: {every: quarter}` is due for a review once a quarter
(`attain.engine.reviews`); a review is recorded with the date it was held, who took part, what
came of it and, when it led to a change, the number of the proposal. Each one is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from attain.engine.instant import from_us, iso_utc
from attain.engine.period import zone
from attain.engine.reviews import ReviewDue, review_due
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import Parse, parse_version, stored_versions
from attain.model import CalendarUnit
from attain.ports import Store, VersionReader
from attain.storage.standing_read import Review

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class ReviewState:
    """An agreement's reviews: how often, the next due date (None without a review clause), those held."""

    every: CalendarUnit | None
    due: ReviewDue | None
    held: list[Review]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json` and the API."""
        return {
            "every": None if self.every is None else self.every.value,
            "due": None if self.due is None else self.due.due.isoformat(),
            "overdue": None if self.due is None else self.due.overdue,
            "reviews": [review_data(r) for r in self.held],
        }


def review_data(review: Review) -> dict[str, Any]:
    """A review as plain data."""
    return {
        "number": review.number,
        "heldOn": review.held_on.isoformat(),
        "participants": list(review.participants),
        "outcome": review.outcome,
        "proposal": review.proposal,
        "recordedBy": review.recorded_by,
        "recordedAt": iso_utc(review.recorded_at),
    }


def review_state(store: Store, engine: Engine, name: str, now: int, parse: Parse | None = None) -> ReviewState:
    """The agreement's review cadence, the next due date at `now` (local date), and the reviews held.

    The latest version is parsed by `parse` (default `parse_version`): `status` passes the parse it
    evaluated with, so the version is not validated a second time.

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    from attain.storage.review import SqlReviews  # noqa: PLC0415 - SQLAlchemy only for the engine's reads

    return held_review_state(store, SqlReviews(engine).reviews(name), name, now, parse)


def held_review_state(
    store: VersionReader, held: list[Review], name: str, now: int, parse: Parse | None = None
) -> ReviewState:
    """As `review_state`, with the reviews `held` already read (`attain status` reads them without SQLAlchemy).

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    versions = stored_versions(store, name)
    spec = (parse or parse_version)(versions[-1]).spec
    if spec.review is None:
        return ReviewState(None, None, held)
    today = from_us(now).astimezone(zone(spec.time_zone)).date()
    last = held[-1].held_on if held else None
    return ReviewState(spec.review.every, review_due(spec.review.every, versions[0].effective_from, last, today), held)


def record_review(  # noqa: PLR0913 - what a review records
    store: Store,
    engine: Engine,
    name: str,
    *,
    held_on: date,
    participants: list[str],
    outcome: str,
    proposal: int | None,
    actor: str,
    now: int,
) -> Review:
    """Record a review held on `held_on`.

    Raises:
        InvalidInput: no such agreement, a date after today, no participant, no outcome, or a
            proposal number the agreement does not have.
    """
    from attain.storage.proposal import SqlProposals  # noqa: PLC0415 - SQLAlchemy only to record
    from attain.storage.review import SqlReviews  # noqa: PLC0415

    versions = stored_versions(store, name)
    today = from_us(now).astimezone(zone(parse_version(versions[-1]).spec.time_zone)).date()
    people = tuple(p.strip() for p in participants if p.strip())
    problems = []
    if held_on > today:
        problems.append(
            _problem(
                "heldOn", f"{held_on.isoformat()} is after today ({today.isoformat()})", "record a review once held"
            )
        )
    if not people:
        problems.append(_problem("participants", "no participant named", "name who took part, from both parties"))
    if not outcome.strip():
        problems.append(_problem("outcome", "no outcome", "say what came of it, in a sentence or two"))
    if proposal is not None and SqlProposals(engine).proposal(name, proposal) is None:
        problems.append(
            _problem("proposal", f"{name} has no proposal {proposal}", "name the proposal it led to, or none")
        )
    if problems:
        raise InvalidInput(problems)
    return SqlReviews(engine).record(name, held_on, people, outcome.strip(), proposal, actor, now)


def _problem(field: str, message: str, hint: str) -> Problem:
    return Problem("<store>", None, None, field, message, hint)
