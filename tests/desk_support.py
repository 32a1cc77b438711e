"""A service desk agreement (a case objective and a freshness objective) and its measurements, worked by hand.

At 15 November 2026 12:00 UTC (P1 goal 4 h, calendar time): t1 open since 09:00 (3 h, due 13:00,
at risk past 2 h); t2 paused after 30 min (no due); t3 met on the 14th; t4 open since 06:00,
breached at 10:00 and still running. Backups on 1, 2 and 4 November 00:00 and 14 November 12:00
(`maxGap: 24h`): gaps of 24 h, 48 h (24 h over) and 252 h (228 h over), then an open one.
"""

from __future__ import annotations

DESK = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: desk}
spec:
  title: Service desk
  parties: {provider: {name: ACME Cloud}, customer: {name: Example Shop}}
  purpose: Answers tickets and keeps backups.
  services: [{name: desk}]
  effective: {from: 2026-10-01}
  objectives:
    - name: response
      service: desk
      indicator:
        kind: case
        events: tickets
        clock: {start: opened, stop: resolved, pause: [waiting], resume: [replied]}
        goals: {P1: 4h}
      target: 90%
      window: month
    - name: backup
      service: desk
      indicator: {kind: freshness, events: backups, maxGap: 24h}
      target: 99%
      window: month
"""

TICKETS = """\
case,type,timestamp,priority
t1,opened,2026-11-15T09:00:00Z,P1
t2,opened,2026-11-15T10:00:00Z,P1
t2,waiting,2026-11-15T10:30:00Z,
t3,opened,2026-11-14T08:00:00Z,P1
t3,resolved,2026-11-14T10:00:00Z,
t4,opened,2026-11-15T06:00:00Z,P1
"""
BACKUPS = "timestamp\n2026-11-01T00:00:00Z\n2026-11-02T00:00:00Z\n2026-11-04T00:00:00Z\n2026-11-14T12:00:00Z\n"
