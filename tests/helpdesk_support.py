"""A help desk resolving tickets in business hours (Mon–Fri 09:00–17:00 UTC), its tickets, and their state worked by hand.

Evaluated on Sunday 15 November 2026 at 12:00 UTC: the weekend counts no business time, so the
tickets opened on Friday are due on Monday the 16th. Goals: P1 6 business hours (360 min), P2 12
(720 min); warnings at 50% and 75% of the goal.

| case | priority | clock | elapsed (business minutes) | 50% | 75% | due |
|---|---|---|---|---|---|---|
| b1 | P1 | opened Wed 11th 12:00 | Wed 300 + Thu 480 + Fri 480 = 1260 (350%) | Wed 15:00 | Wed 16:30 | Thu 12th 10:00 (300 + 60), breached, running |
| w3 | P1 | opened Fri 13th 11:45 | 315 (87.5%) | Fri 14:45 | Fri 16:15 | Mon 16th 09:45 (315 + 45) |
| w2 | P2 | opened Fri 13th 09:30 | 450 (62.5%) | Fri 15:30 (09:30 + 360) | — | Mon 16th 13:30 (450 + 270) |
| s1 | P1 | opened Sat 14th 10:00 | 0: counts from Mon 09:00 | — | — | Mon 16th 15:00 |
| p1 | P2 | opened Thu 12th 16:00, waiting Fri 11:00 | Thu 60 + Fri 120 = 180 (25%), paused | — | — | none while paused |
| r1 | P1 | opened Fri 13th 16:00, resolved 16:45 | 45 (12.5%), met | — | — | none (stopped short of it) |
"""

from __future__ import annotations

from typing import Any

AT = "2026-11-15T12:00:00Z"

HELPDESK = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: helpdesk}
spec:
  title: Help desk
  parties: {provider: {name: ACME Cloud}, customer: {name: Example Shop}}
  purpose: Resolves tickets in business hours.
  services: [{name: helpdesk}]
  effective: {from: 2026-10-01}
  calendars:
    office:
      timeZone: UTC
      hours: {mon-fri: ["09:00-17:00"]}
  objectives:
    - name: resolution
      service: helpdesk
      indicator:
        kind: case
        events: tickets
        clock: {start: opened, stop: resolved, pause: [waiting], resume: [replied]}
        time: business
        calendar: office
        goals: {P1: 6h, P2: 12h}
      target: 90%
      window: month
"""

TICKET_ROWS = [
    ("b1", "opened", "2026-11-11T12:00:00Z", "P1"),
    ("w3", "opened", "2026-11-13T11:45:00Z", "P1"),
    ("w2", "opened", "2026-11-13T09:30:00Z", "P2"),
    ("s1", "opened", "2026-11-14T10:00:00Z", "P1"),
    ("p1", "opened", "2026-11-12T16:00:00Z", "P2"),
    ("p1", "waiting", "2026-11-13T11:00:00Z", None),
    ("r1", "opened", "2026-11-13T16:00:00Z", "P1"),
    ("r1", "resolved", "2026-11-13T16:45:00Z", None),
]

TICKETS = "case,type,timestamp,priority\n" + "".join(f"{c},{t},{at},{p or ''}\n" for c, t, at, p in TICKET_ROWS)


def _warnings(half: str | None, three_quarters: str | None) -> list[dict[str, Any]]:
    return [
        {"share": "0.5", "percent": "50%", "reachedAt": half},
        {"share": "0.75", "percent": "75%", "reachedAt": three_quarters},
    ]


def _case(case: str, priority: str, state: str, clock: str, started: str, **rest: Any) -> dict[str, Any]:
    return {"case": case, "priority": priority, "state": state, "clock": clock, "started": started} | rest


CASES = [
    _case(
        "b1", "P1", "breached", "running", "2026-11-11T12:00:00Z", atRisk=False, stopped=None,
        goalMinutes="360", elapsedMinutes="1260", remainingMinutes="-900", used="3.5", usedPercent="350%",
        due="2026-11-12T10:00:00Z", decidedAt="2026-11-12T10:00:00Z", warning=None, warningPercent=None,
        warnings=_warnings("2026-11-11T15:00:00Z", "2026-11-11T16:30:00Z"),
    ),
    _case(
        "p1", "P2", "paused", "paused", "2026-11-12T16:00:00Z", atRisk=False, stopped=None,
        goalMinutes="720", elapsedMinutes="180", remainingMinutes="540", used="0.25", usedPercent="25%",
        due=None, decidedAt=None, warning=None, warningPercent=None, warnings=_warnings(None, None),
    ),
    _case(
        "r1", "P1", "met", "stopped", "2026-11-13T16:00:00Z", atRisk=False, stopped="2026-11-13T16:45:00Z",
        goalMinutes="360", elapsedMinutes="45", remainingMinutes="315", used="0.125", usedPercent="12.5%",
        due=None, decidedAt="2026-11-13T16:45:00Z", warning=None, warningPercent=None, warnings=_warnings(None, None),
    ),
    _case(
        "s1", "P1", "open", "running", "2026-11-14T10:00:00Z", atRisk=False, stopped=None,
        goalMinutes="360", elapsedMinutes="0", remainingMinutes="360", used="0", usedPercent="0%",
        due="2026-11-16T15:00:00Z", decidedAt=None, warning=None, warningPercent=None, warnings=_warnings(None, None),
    ),
    _case(
        "w2", "P2", "open", "running", "2026-11-13T09:30:00Z", atRisk=True, stopped=None,
        goalMinutes="720", elapsedMinutes="450", remainingMinutes="270", used="0.625", usedPercent="62.5%",
        due="2026-11-16T13:30:00Z", decidedAt=None, warning="0.5", warningPercent="50%",
        warnings=_warnings("2026-11-13T15:30:00Z", None),
    ),
    _case(
        "w3", "P1", "open", "running", "2026-11-13T11:45:00Z", atRisk=True, stopped=None,
        goalMinutes="360", elapsedMinutes="315", remainingMinutes="45", used="0.875", usedPercent="87.5%",
        due="2026-11-16T09:45:00Z", decidedAt=None, warning="0.75", warningPercent="75%",
        warnings=_warnings("2026-11-13T14:45:00Z", "2026-11-13T16:15:00Z"),
    ),
]  # fmt: skip
"""Every case as the JSON of `attain evaluate`/`status --output json` and the API's status gives it, by case id."""

COUNTS = {"open": 3, "paused": 1, "met": 1, "breached": 1}
"""w3, w2 and s1 open; p1 paused; r1 met; b1 breached (and still running). w3 and w2 are at risk."""
