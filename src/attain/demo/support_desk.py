"""support-desk's story: tickets on the agreement's own business calendar, a short-staffed bad month.

Tickets are fewer on weekends and public holidays, and their clocks run across weekends and
Chinese public holidays.
"""

from __future__ import annotations

import numpy as np

from attain.demo.span import Rows, Span, Table
from attain.engine.business_time import Clock, clock_for
from attain.engine.instant import US_PER_MINUTE
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import CaseIndicator

_FIRST_RESPONSE = {"P1": 60, "P2": 240, "P3": 480}
_RESOLUTION = {"P1": 240, "P2": 960, "P3": 2400}
"""Goals in business minutes, as in the template."""


def _office_clock() -> Clock:
    agreement = parse_agreement(read_text(template_text("support-desk", "en"), "support-desk.yaml")[0])
    indicator = agreement.spec.objectives[0].indicator
    assert isinstance(indicator, CaseIndicator)
    return clock_for(indicator, agreement.spec.calendars)


def generate_tables(span: Span, rng: np.random.Generator) -> list[Table]:
    """About 4.5 tickets a working day and 0.8 a day off; 22% late in the bad month, else 2%."""
    clock = _office_clock()
    rows: Rows = []
    for number, created in enumerate(_ticket_times(span, clock, rng), start=1):
        late = 0.22 if span.in_bad(created) else 0.02
        rows.extend(_ticket(span, clock, rng, (f"SD-{number:05d}", created), late))
    return [Table("ticket_events", ("case", "type", "timestamp", "priority", "channel"), rows)]


def _ticket_times(span: Span, clock: Clock, rng: np.random.Generator) -> list[int]:
    """Creation instants: in office hours on working days, fewer and later on days off."""
    found: list[int] = []
    for day in span.days():
        working = bool(clock.open_intervals(span.wall(day, 0), span.wall(day, 23, 59)))
        for _ in range(int(rng.poisson(4.5 if working else 0.8))):
            minute = int(rng.integers(8 * 60 + 30, 18 * 60 + 30) if working else rng.integers(10 * 60, 20 * 60))
            created = span.wall(day, minute // 60, minute % 60)
            if span.start <= created < span.end:
                found.append(created)
    return sorted(found)


def _business_minutes(rng: np.random.Generator, goal: int, late: bool) -> int:
    if late:
        return int(goal * rng.uniform(1.15, 2.5))
    return max(5, int(goal * 0.95 * rng.beta(2.0, 4.0)))


def _ticket(span: Span, clock: Clock, rng: np.random.Generator, ticket: tuple[str, int], late: float) -> Rows:
    """One ticket's events: created, first response, perhaps a wait on the customer, resolved."""
    case, created = ticket
    priority = str(rng.choice(["P1", "P2", "P3"], p=[0.1, 0.35, 0.55]))
    respond = _business_minutes(rng, _FIRST_RESPONSE[priority], rng.random() < late)
    resolve = max(_business_minutes(rng, _RESOLUTION[priority], rng.random() < late), respond + 30)
    events = [("created", created), ("first_response", clock.add(created, respond * US_PER_MINUTE))]
    if rng.random() < 0.25:
        active = respond + int((resolve - respond) * rng.uniform(0.2, 0.6))
        paused = clock.add(created, active * US_PER_MINUTE)
        replied = paused + int(rng.integers(2 * 60, 4 * 24 * 60)) * US_PER_MINUTE
        events += [("waiting_on_customer", paused), ("customer_replied", replied)]
        events.append(("resolved", clock.add(replied, (resolve - active) * US_PER_MINUTE)))
    else:
        events.append(("resolved", clock.add(created, resolve * US_PER_MINUTE)))
    channel = str(rng.choice(["portal", "e-mail", "phone"], p=[0.55, 0.3, 0.15]))
    return [
        (case, kind, span.iso(at), priority if kind == "created" else "", channel if kind == "created" else "")
        for kind, at in events
        if at < span.end
    ]
