"""When an agreement's next review is due: one per `review.every` period, counted from the last one.

An agreement that says `review: {every: quarter}` is reviewed once a quarter. The first review is
due by the end of the period in which the agreement took effect (a quarter from 2026-09-01 is due
by 2026-10-01, the next quarter's start); each later one by the end of the period after the one
in which the previous review was held. Pure: dates in, dates out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attain.engine.period import next_unit_start, unit_start
from attain.model import CalendarUnit


@dataclass(frozen=True)
class ReviewDue:
    """The date the next review is due by, and whether `today` is past it."""

    due: date
    overdue: bool


def review_due(every: CalendarUnit, effective_from: date, last_held: date | None, today: date) -> ReviewDue:
    """The next review's due date: the start of the period after the one holding the last review (or the start).

    Args:
        every: how often the agreement is reviewed.
        effective_from: the first version's effective date.
        last_held: the date the last review was held, if any.
        today: the local date now.
    """
    base = last_held if last_held is not None else effective_from
    due = next_unit_start(every, unit_start(every, base))
    return ReviewDue(due, today >= due)
