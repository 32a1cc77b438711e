"""A small agreement and its measurements, shared by the conditions and routing tests.

`shop` (UTC, in force from 2026-10-01): `api-availability` (99% of `requests` not errors per
month, a 2%-in-1h page tier, 10% credit below 99%, a renegotiation right after one breached month)
and `support-response` (tickets answered within 4 h, 90% per month, warnings at 50% and 75%).

Measurements, evaluated at 2026-11-15T12:00Z:
- October: 100 requests (one a minute from Oct 10 00:00), 2 errors: 98%, breached; ticket T-3
  opened Oct 1 00:00, closed 06:00: breached at 04:00, so October's tickets are 0 of 1.
- November: 1,140 good requests from Nov 2 00:00, then one a minute from Nov 15 11:00 to 11:59,
  the last ten (11:50-11:59) errors: 1,200 valid, 10 bad, budget 12, 83.3% of it spent. The 1 h
  window reaches 9 bad of 59 (15.25% > 14.4 × 1%) at the minute end 11:59, so the page fires from
  11:59; at 12:00 the burn rates are 16.67 (1 h: 10 of 60 ÷ 1%) and 100 (5 m: 5 of 5 ÷ 1%).
- Tickets T-1 opened Nov 15 08:30 (open: 50% at 10:30, 75% at 11:30, due 12:30); T-2 opened
  Nov 14 06:00 (open, breached at 10:00 Nov 14); T-4 opened Nov 15 11:00, closed 11:30 (met).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import CaseEvent, Event, EventTable, Measurements
from attain.engine.result import Evaluation
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.model import Agreement

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata:
  name: shop
spec:
  title: Shop SLA
  parties:
    provider: {name: Provider Ltd, contact: noc@provider.example}
    customer: {name: Customer Ltd, contact: sla@customer.example}
  purpose: Keeps the shop up.
  effective: {from: 2026-10-01}
  fee: {amount: "1000.00", currency: EUR, per: month}
  objectives:
    - name: api-availability
      indicator: {kind: ratio, events: requests, bad: {where: {status: error}}}
      target: 99%
      window: {calendar: month}
      alerting:
        tiers: [{longWindow: 1h, shortWindow: 5m, budgetConsumed: 2%, severity: page}]
      credits: [{below: 99%, credit: 10%}]
    - name: support-response
      indicator:
        kind: case
        events: tickets
        clock: {start: opened, stop: closed}
        goals: {"*": 4h}
      target: 90%
      window: {calendar: month}
  termination:
    clause: Renegotiate after a bad month.
    rights:
      - when: {objective: api-availability, breachedConsecutivePeriods: 1}
        grants: renegotiate
        exerciseWithin: 30d
"""


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a UTC time in 2026."""
    return to_us(datetime(2026, month, day, hour, minute, tzinfo=UTC))


NOW = utc(11, 15, 12)


def agreement(text: str = AGREEMENT) -> Agreement:
    """The agreement in `text` (the shop by default)."""
    [document] = read_text(text, "shop.yaml")
    return parse_agreement(document)


def _requests() -> list[Event]:
    october = [Event(utc(10, 10) + i * US_PER_MINUTE, None, {"status": "error" if i < 2 else "ok"}) for i in range(100)]
    early = [Event(utc(11, 2) + i * US_PER_MINUTE, None, {"status": "ok"}) for i in range(1140)]
    last_hour = [Event(utc(11, 15, 11, i), None, {"status": "error" if i >= 50 else "ok"}) for i in range(60)]
    return october + early + last_hour


def _ticket(case: str, kind: str, at: int) -> CaseEvent:
    return CaseEvent(case, kind, at, {})


TICKETS = [
    _ticket("T-3", "opened", utc(10, 1)),
    _ticket("T-3", "closed", utc(10, 1, 6)),
    _ticket("T-2", "opened", utc(11, 14, 6)),
    _ticket("T-1", "opened", utc(11, 15, 8, 30)),
    _ticket("T-4", "opened", utc(11, 15, 11)),
    _ticket("T-4", "closed", utc(11, 15, 11, 30)),
]


def measurements() -> Measurements:
    """The shop's requests and tickets."""
    return Measurements(events={"requests": EventTable.from_events(_requests())}, cases={"tickets": TICKETS})


def evaluated(at: int = NOW, text: str = AGREEMENT) -> tuple[Agreement, Evaluation]:
    """The agreement and its evaluation at `at`."""
    shop = agreement(text)
    return shop, evaluate(shop, measurements(), at)


def facts(pairs: Any) -> dict[str, str]:
    """A condition's facts as a mapping."""
    return dict(pairs)
