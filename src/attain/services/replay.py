"""What two versions would have said about past periods: the evidence of a negotiation (`attain diff --replay`).

Each version is evaluated alone over the stored measurements of the range, as if it had been in
force all along: per closed period and objective its attainment and status, and per period the
credit it would have owed. The stored minute counts of an objective are used when every stored
version measured that objective the same way (the same indicator); an objective whose indicator
differs is replayed from the stored raw events, so a changed filter or bound is judged exactly.
An objective fed by a metric query keeps no raw events: if its query changed, the replay uses the
counts measured by the stored query and says so in `notes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from attain.engine.credit import PeriodCredit
from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import EventTable
from attain.engine.period import local_midnight
from attain.engine.result import PeriodResult
from attain.errors import InvalidInput, Problem
from attain.formats.results import period_data
from attain.lifecycle.versions import stored_agreements
from attain.model import Agreement, Objective, stream_name
from attain.ports import Store
from attain.services.measurements import stored_measurements

LOOKBACK_US = 92 * 24 * 60 * US_PER_MINUTE
"""How far before the range raw events are read, as for a stored evaluation (`attain.services.measurements`)."""


@dataclass(frozen=True)
class ReplayRow:
    """One objective in one closed period, as each version would have judged it (None: not in that version)."""

    period: str
    objective: str
    before: PeriodResult | None
    after: PeriodResult | None


@dataclass(frozen=True)
class Replay:
    """Both versions over the same past periods, side by side."""

    agreement: str
    first: date
    end: date
    rows: list[ReplayRow]
    credits: list[tuple[str, PeriodCredit | None, PeriodCredit | None]]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json`: results as `attain evaluate -o json` writes a period."""
        return {
            "agreement": self.agreement,
            "from": self.first.isoformat(),
            "until": self.end.isoformat(),
            "periods": [
                {
                    "period": row.period,
                    "objective": row.objective,
                    "before": None if row.before is None else period_data(row.before),
                    "after": None if row.after is None else period_data(row.after),
                }
                for row in self.rows
            ],
            "credits": [
                {"period": period, "before": _credit(before), "after": _credit(after)}
                for period, before, after in self.credits
            ],
            "notes": self.notes,
        }


def _credit(credit: PeriodCredit | None) -> dict[str, Any] | None:
    if credit is None:
        return None
    amount = None if credit.payable is None else str(credit.payable)
    return {"share": str(credit.share), "payable": amount, "currency": credit.currency}


def replay(store: Store, before: Agreement, after: Agreement, first: date, end: date) -> Replay:
    """Evaluate `before` and `after` alone over the stored measurements of `[first, end)` (local dates).

    Raises:
        InvalidInput: the range is empty, or no agreement of that name is stored.
    """
    if end <= first:
        problem = f"the range {first.isoformat()}..{end.isoformat()} is empty"
        raise InvalidInput(
            [Problem("<command line>", None, None, "--replay", problem, "write FROM..UNTIL, FROM first")]
        )
    stored = stored_agreements(store, after.name)
    notes: list[str] = []
    sides = [_judge(store, agreement, stored, first, end, notes) for agreement in (before, after)]
    labels = sorted({(p.period, p.start) for side in sides for p in side[0].values()}, key=lambda x: x[1])
    names = [o.name for o in before.objectives] + [o.name for o in after.objectives]
    rows = [
        ReplayRow(period, name, sides[0][0].get((name, period)), sides[1][0].get((name, period)))
        for period, _ in labels
        for name in dict.fromkeys(names)
        if (name, period) in sides[0][0] or (name, period) in sides[1][0]
    ]
    periods = list(dict.fromkeys(label for label, _ in labels))
    owed = [(p, sides[0][1].get(p), sides[1][1].get(p)) for p in periods if p in sides[0][1] or p in sides[1][1]]
    return Replay(after.name, first, end, rows, owed, list(dict.fromkeys(notes)))


def _judge(
    store: Store, agreement: Agreement, stored: list[Agreement], first: date, end: date, notes: list[str]
) -> tuple[dict[tuple[str, str], PeriodResult], dict[str, PeriodCredit]]:
    zone = agreement.spec.time_zone
    since, at = local_midnight(first, zone), local_midnight(end, zone)
    measured = stored_measurements(store, agreement.name, [agreement], since, at)
    counts, events = dict(measured.counts), dict(measured.events)
    for objective in agreement.objectives:
        if objective.name not in counts or _measured_alike(objective, stored):
            continue
        if objective.indicator.fed_by_metric_source:
            notes.append(
                f"{objective.name}: its metric query differs from a stored version's; "
                "the replay uses the counts that query measured"
            )
            continue
        del counts[objective.name]
        stream = stream_name(objective)
        events[stream] = EventTable.from_events(store.events(stream, since - LOOKBACK_US, at, agreement.name))
    evaluation = evaluate(agreement, replace(measured, counts=counts, events=events), at, since)
    results = {
        (o.objective, p.period): p
        for o in evaluation.objectives
        for p in o.periods
        if p.closed and since <= p.start and p.end <= at
    }
    closed = {p for _, p in results}
    return results, {c.period: c for c in evaluation.credits if c.period in closed}


def _measured_alike(objective: Objective, stored: list[Agreement]) -> bool:
    """Whether every stored version measured this objective exactly as `objective` does."""
    for agreement in stored:
        mine = next((o for o in agreement.objectives if o.name == objective.name), None)
        if mine is None or mine.indicator != objective.indicator:
            return False
    return True
