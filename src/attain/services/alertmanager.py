"""Incidents received from Alertmanager (its webhook v4 payload), exactly once per alert.

Each alert of a payload is one incident of an availability objective fed by incidents. Where it
goes is read from the alert's labels:

- `agreement` (required): a stored agreement the caller may see.
- `objective`: an objective of that agreement whose indicator is availability from incidents; the
  incident goes to the stream that objective reads.
- `stream`: instead of `objective` (or with it, then they must agree), the incident stream itself.
- neither: the agreement's one incident stream, when it has exactly one.

An incident is the pair fingerprint + `startsAt`: it is stored once, under the batch key
`alertmanager:<agreement>:<stream>:<fingerprint>:<startsAt µs>`, open (no end) while the alert
fires. A resolved alert stores its end as a batch of its own (the same key + `:resolved`) that
ends the open incident at `endsAt`; a resolved alert for an incident never seen firing stores the
whole incident, already ended. Every write goes through the ingestion ledger, so an alert re-sent
every minute, or a retried POST, stores nothing twice. The incident keeps the alert's labels and
`fingerprint` as attributes, so an indicator's `where` (e.g. `severity: critical`) applies.

Every alert is checked before anything is stored: one bad alert refuses the whole payload, each
problem named by the alert's index and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from attain.engine.measurement import Incident
from attain.engine.versions import in_force
from attain.errors import InvalidInput, Problem
from attain.ingestion.batches import Target, late_data
from attain.ingestion.reader import RowError, parse_instant
from attain.ingestion.run import build_batch
from attain.lifecycle.versions import stored_agreements
from attain.model import Agreement, stream_name
from attain.ports import IncidentEnd, Store

SOURCE = "alertmanager"
"""The source recorded in the ledger for what Alertmanager sent."""

FINGERPRINT = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
"""What a fingerprint may be (Alertmanager's are 16 hex digits); it goes into ledger keys."""

_ZERO_TIME = -62135596800000000
"""Go's zero time (0001-01-01T00:00:00Z) in µs: what Alertmanager sends as `endsAt` when unknown."""


@dataclass(frozen=True)
class Received:
    """What became of one alert.

    `action` is `opened` (a firing alert's new, open incident), `closed` (a resolved alert ended
    its open incident), `recorded` (a resolved alert for an incident never seen firing: stored
    whole) or `known` (nothing new: a re-sent alert).
    """

    index: int
    agreement: str
    stream: str
    incident: str
    start: int
    end: int | None
    action: str


@dataclass(frozen=True)
class _Alert:
    index: int
    target: Target
    start: int
    end: int | None
    attributes: dict[str, Any]

    @property
    def key(self) -> str:
        fingerprint = self.attributes["fingerprint"]
        return f"{SOURCE}:{self.target.agreement}:{self.target.stream}:{fingerprint}:{self.start}"


def receive_alerts(
    store: Store, alerts: Sequence[Mapping[str, Any]], may_see: Callable[[str], bool], now: int
) -> list[Received]:
    """Record the incidents of Alertmanager's alerts (see the module docstring).

    Args:
        store: Where to store.
        alerts: The payload's `alerts`, each with `status`, `labels`, `startsAt`, `endsAt`, `fingerprint`.
        may_see: Whether the caller may write to the agreement of this name (one it cannot see is
            refused as unknown).
        now: The current instant (µs).

    Raises:
        InvalidInput: an alert that cannot be matched or read, each named by `alerts[i]...`; nothing stored.
    """
    agreements: dict[str, list[Agreement] | None] = {}
    parsed, problems = [], []
    for index, alert in enumerate(alerts):
        try:
            parsed.append(_parse(store, index, alert, may_see, agreements))
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return [_store(store, alert, agreements[alert.target.agreement] or [], now) for alert in parsed]


def _parse(
    store: Store,
    index: int,
    alert: Mapping[str, Any],
    may_see: Callable[[str], bool],
    agreements: dict[str, list[Agreement] | None],
) -> _Alert:
    labels = alert["labels"]
    name = labels.get("agreement")
    if not name:
        raise _refuse(index, "labels.agreement", "has no agreement label", "label the alert with agreement=<name>")
    if name not in agreements:
        agreements[name] = _stored(store, name) if may_see(name) else None
    versions = agreements[name]
    if versions is None:
        raise _refuse(index, "labels.agreement", f"no agreement named {name!r}", "name a stored agreement")
    target = _target(index, versions[-1], labels.get("objective"), labels.get("stream"))
    start, end = _span(index, alert)
    fingerprint = alert["fingerprint"]
    if not FINGERPRINT.match(fingerprint):
        hint = "Alertmanager's own fingerprint (16 hex digits) or up to 64 letters, digits, '.', '_', '-'"
        raise _refuse(index, "fingerprint", f"not a fingerprint: {fingerprint!r}", hint)
    return _Alert(index, target, start, end, {**labels, "fingerprint": fingerprint})


def _stored(store: Store, name: str) -> list[Agreement] | None:
    try:
        return stored_agreements(store, name)
    except InvalidInput:
        return None


def _target(index: int, agreement: Agreement, objective: str | None, stream: str | None) -> Target:
    fed = {o.name: stream_name(o) for o in agreement.objectives if o.indicator.rows == "incidents"}
    streams = sorted(set(fed.values()))
    if objective is not None:
        if objective not in fed:
            valid = ", ".join(fed) or "none: it has no availability objective fed by incidents"
            message = f"{agreement.name} has no objective {objective!r} fed by incidents"
            raise _refuse(index, "labels.objective", message, f"use one of {valid}")
        if stream is not None and stream != fed[objective]:
            message = f"objective {objective!r} reads stream {fed[objective]!r}, not {stream!r}"
            raise _refuse(index, "labels.stream", message, "drop the stream label or make them agree")
        stream = fed[objective]
    elif stream is not None and stream not in streams:
        valid = ", ".join(streams) or "none: it has no availability objective fed by incidents"
        message = f"no objective of {agreement.name} reads incidents from {stream!r}"
        raise _refuse(index, "labels.stream", message, f"use one of {valid}")
    elif stream is None:
        if len(streams) != 1:
            valid = ", ".join(fed) or "none: it has no availability objective fed by incidents"
            message = f"{agreement.name} has {len(streams)} incident streams; the alert names none"
            raise _refuse(index, "labels.objective", message, f"label the alert with objective=<one of {valid}>")
        stream = streams[0]
    return Target(agreement.name, stream, "incidents", "value")


def _span(index: int, alert: Mapping[str, Any]) -> tuple[int, int | None]:
    instants = {}
    for field in ("startsAt", "endsAt"):
        try:
            instants[field] = parse_instant(alert.get(field), field, None)
        except RowError as error:
            if field == "startsAt" or alert["status"] == "resolved":
                raise _refuse(index, field, str(error), "an RFC 3339 instant, e.g. 2026-11-15T10:00:00Z") from None
    start = instants["startsAt"]
    if alert["status"] == "firing":
        return start, None
    end = instants["endsAt"]
    if end == _ZERO_TIME or end < start:
        hint = "a resolved alert's endsAt is when it stopped firing, at or after startsAt"
        raise _refuse(index, "endsAt", f"{alert['endsAt']!r} is not after startsAt {alert['startsAt']!r}", hint)
    return start, end


def _refuse(index: int, field: str, message: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<request>", None, None, f"alerts[{index}].{field}", message, hint)])


def _store(store: Store, alert: _Alert, agreements: list[Agreement], now: int) -> Received:
    versions = in_force(agreements)
    results = [r for r in store.results(alert.target.agreement) if _reads(agreements, r.objective, alert.target.stream)]
    incident = Incident(alert.start, alert.end, alert.attributes)
    opened = build_batch(alert.key, alert.target, SOURCE, [incident], versions, results, now)
    recorded = store.store_batch(opened, now)
    closed = False
    if alert.end is not None:
        ending = build_batch(f"{alert.key}:resolved", alert.target, SOURCE, [], versions, results, now)
        adjustments = late_data(results, [alert.end], ending.key, now)
        ending = replace(ending, rows=1, adjustments=adjustments, incident_ends=[IncidentEnd(alert.key, alert.end)])
        closed = store.store_batch(ending, now)
    action = (
        "recorded" if recorded and alert.end is not None else "opened" if recorded else "closed" if closed else "known"
    )
    target = alert.target
    return Received(alert.index, target.agreement, target.stream, alert.key, alert.start, alert.end, action)


def _reads(agreements: Sequence[Agreement], objective: str, stream: str) -> bool:
    return any(stream_name(o) == stream for a in agreements for o in a.objectives if o.name == objective)
