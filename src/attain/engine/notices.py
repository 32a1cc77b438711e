"""What is worth telling someone, as data: conditions found in an evaluation, and the notices they cause.

The flow, each step pure except the last two:

    evaluation at `now` ──► conditions (one per thing that holds now, each with a stable key)
    conditions + the agreement's `notify:` routes ──► (receiver, condition) pairs
    pairs + the states remembered per (receiver, key) ──► notices to send, and the new states
    notices ──► the outbox (storage), in the same transaction as the new states
    the outbox ──► Alertmanager, webhooks, e-mail (delivery, at least once, retried)

A *resolvable* condition (a burn-rate tier firing, a silent source) fires when it first holds,
is repeated while it holds (every `repeatInterval`), and resolves once when it no longer holds.
A one-shot condition (a breach, a credit owed, a right arising, a budget threshold crossed, a
case reaching a share of its goal, a review due) is sent once per receiver, ever: its key names
the period, threshold or case, so the same fact found again at the next tick is recognised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, duration_us, iso_utc
from attain.engine.result import Evaluation, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.service_hours import service_clock
from attain.model import Agreement, CalendarWindow, Objective, stream_name
from attain.model.duration import format_duration
from attain.model.notify import EventKind, Notify
from attain.model.ratio import format_ratio


class NoticeStatus(StrEnum):
    """Whether a notice tells that a condition holds or that it no longer does."""

    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Condition:
    """Something that holds at the evaluation instant.

    Attributes:
        kind: The event kind routes select on.
        key: Stable across ticks for the same fact, unique within the agreement:
            `burn-rate/api-availability/page/60m-5m`, `budget/api-availability/2026-11/75%`,
            `breach/api-availability/2026-11`, `credit/2026-11`,
            `termination-right/api-availability/2026-11/renegotiate`, `case/p1-response/T-1042/50%`,
            `silent-source/api-availability/requests`, `review-due/2027-01-01T00:00:00Z`
            (`conditions` makes them; docs/notifications.md lists them).
        agreement: The agreement's name.
        objective: The objective it concerns, or None (a review due).
        severity: `page`, `ticket` (a burn-rate tier's own), `critical`, `warning` or `info`.
        since: µs instant the condition began (Alertmanager's startsAt).
        resolvable: True when it can stop holding and that is told (burn rate, silent source).
        facts: Name and value pairs, values as text (exact decimals, ISO instants), in order: what
            a message says (Alertmanager annotations, the webhook's, the e-mail's figures).
    """

    kind: EventKind
    key: str
    agreement: str
    objective: str | None
    severity: str
    since: int
    resolvable: bool
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """One message owed to one receiver.

    Attributes:
        receiver: The receiver's name in the agreement's `notify:`.
        condition: What it is about.
        status: Firing (first send or a repeat) or resolved.
        at: µs instant it was decided (the tick's `now`).
        sequence: 0 for the first firing notice, n for the n-th repeat; a resolved notice carries
            the sequence after the last firing one. With `dedup_key` it makes a repeated tick
            enqueue nothing twice.
    """

    receiver: str
    condition: Condition
    status: NoticeStatus
    at: int
    sequence: int = 0

    @property
    def dedup_key(self) -> str:
        """Unique per message: receiver, condition key, status and sequence."""
        return f"{self.receiver}|{self.condition.key}|{self.status.value}|{self.sequence}"


@dataclass(frozen=True, slots=True)
class NoticeState:
    """What was last told to one receiver about one condition key.

    Attributes:
        receiver: The receiver's name.
        key: The condition's key.
        kind: The condition's kind.
        firing: True while the last notice sent was a firing one.
        since: µs instant the condition began.
        last_sent: µs instant the last notice was decided.
        sequence: The last notice's sequence.
    """

    receiver: str
    key: str
    kind: EventKind
    firing: bool
    since: int
    last_sent: int
    sequence: int


class Channel(StrEnum):
    """How a message reaches its receiver."""

    ALERTMANAGER = "alertmanager"
    WEBHOOK = "webhook"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Envelope:
    """One notice addressed to one channel of one receiver, fixed when the notice is decided.

    The outbox stores it as JSON (`to_dict`), so a message is delivered as it was decided even if
    the agreement's `notify:` changes before delivery.

    Attributes:
        notice: What is told.
        channel: How.
        party: The receiver's party.
        language: `en` or `zh-CN`.
        agreement_title: The agreement's title, for the message's heading.
        url: Alertmanager's base URL or the webhook's URL; empty for e-mail.
        secret_env: For a webhook, the environment variable holding its HMAC secret, or None.
        to: For e-mail, the addresses (the receiver's own, or the party's contacts).
    """

    notice: Notice
    channel: Channel
    party: str
    language: str
    agreement_title: str
    url: str = ""
    secret_env: str | None = None
    to: tuple[str, ...] = ()

    @property
    def dedup_key(self) -> str:
        """Unique per message: the notice's key and the channel."""
        return f"{self.notice.dedup_key}|{self.channel.value}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form; `from_dict` reads it back equal."""
        c = self.notice.condition
        return {
            "notice": {
                "receiver": self.notice.receiver,
                "status": self.notice.status.value,
                "at": self.notice.at,
                "sequence": self.notice.sequence,
                "condition": {
                    "kind": c.kind.value,
                    "key": c.key,
                    "agreement": c.agreement,
                    "objective": c.objective,
                    "severity": c.severity,
                    "since": c.since,
                    "resolvable": c.resolvable,
                    "facts": [[name, value] for name, value in c.facts],
                },
            },
            "channel": self.channel.value,
            "party": self.party,
            "language": self.language,
            "agreementTitle": self.agreement_title,
            "url": self.url,
            "secretEnv": self.secret_env,
            "to": list(self.to),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Envelope:
        """The envelope `to_dict` wrote.

        Raises:
            KeyError, ValueError: `data` is not what `to_dict` writes.
        """
        n = data["notice"]
        c = n["condition"]
        condition = Condition(
            kind=EventKind(c["kind"]),
            key=str(c["key"]),
            agreement=str(c["agreement"]),
            objective=None if c["objective"] is None else str(c["objective"]),
            severity=str(c["severity"]),
            since=int(c["since"]),
            resolvable=bool(c["resolvable"]),
            facts=tuple((str(name), str(value)) for name, value in c["facts"]),
        )
        notice = Notice(str(n["receiver"]), condition, NoticeStatus(n["status"]), int(n["at"]), int(n["sequence"]))
        return cls(
            notice=notice,
            channel=Channel(data["channel"]),
            party=str(data["party"]),
            language=str(data["language"]),
            agreement_title=str(data["agreementTitle"]),
            url=str(data["url"]),
            secret_env=None if data["secretEnv"] is None else str(data["secretEnv"]),
            to=tuple(str(a) for a in data["to"]),
        )


HORIZON_US = 35 * US_PER_DAY
"""How far back a closed period's breach, credit or termination right, or a case's breach, is still
told: 35 days before `now`, so a month that just closed is told (even if the scheduler was down
for a few days) and the history before it is never announced again."""

RESOLVABLE: frozenset[EventKind] = frozenset({EventKind.BURN_RATE, EventKind.SILENT_SOURCE})
"""The kinds that stop holding and are then told as resolved; every other kind is one-shot."""


def conditions(
    agreement: Agreement,
    evaluation: Evaluation,
    now: int,
    *,
    last_seen: Mapping[str, int] | None = None,
    review_due: int | None = None,
) -> tuple[Condition, ...]:
    """Everything worth telling that holds at `now`, one `Condition` per fact (see docs/notifications.md).

    Args:
        agreement: The version in force (its `notify:`, objectives, parties); its name names the conditions.
        evaluation: What `attain.engine.evaluate` or `evaluate_versions` returned at `now`.
        now: The tick's instant, µs.
        last_seen: The instant of the latest measurement per stream name (`stream_name`); None
            skips silent sources. A stream the agreement reads but missing here was never seen.
        review_due: The instant the agreement's review falls due; told once it is reached.

    Returns:
        Burn-rate tiers firing; budget thresholds crossed in the open calendar period; breaches,
        credits and termination rights of calendar periods that ended within `HORIZON_US`; case
        warnings of open cases and case breaches decided within the horizon; silent streams;
        the review due. In that order, objectives in the evaluation's order.
    """
    notify = agreement.spec.notify or Notify()
    name = agreement.name
    windows = {o.name: o.window for o in agreement.objectives}
    calendar = {n for n, w in windows.items() if isinstance(w, CalendarWindow)}
    found: list[Condition] = []
    for result in evaluation.objectives:
        found += _burn_rates(name, result)
        if result.objective in calendar:
            found += _budget(name, result, notify.budget_thresholds, now)
            found += _breaches(name, result, now)
        found += _cases(name, result, now)
    found += _credits(name, evaluation, calendar, now)
    found += _rights(name, evaluation, calendar, now)
    if last_seen is not None:
        found += _silent(agreement, evaluation.since, now, last_seen, duration_us(notify.silent_after))
    if review_due is not None and review_due <= now:
        due = iso_utc(review_due)
        found.append(
            _condition(EventKind.REVIEW_DUE, f"review-due/{due}", name, None, "info", review_due, (("due", due),))
        )
    return tuple(found)


def _condition(
    kind: EventKind,
    key: str,
    agreement: str,
    objective: str | None,
    severity: str,
    since: int,
    facts: tuple[tuple[str, str], ...],
) -> Condition:
    """A condition, resolvable exactly when its kind is (`RESOLVABLE`)."""
    return Condition(kind, key, agreement, objective, severity, since, kind in RESOLVABLE, facts)


def _recent(instant: int, now: int) -> bool:
    """Whether `instant` lies within the horizon: `now − HORIZON_US < instant ≤ now`."""
    return now - HORIZON_US < instant <= now


def _burn_rates(agreement: str, result: ObjectiveEvaluation) -> list[Condition]:
    """One resolvable condition per firing tier, with its threshold and its windows' burn rates."""
    rates = dict(result.burn_rates)
    found = []
    for alert in result.alerts:
        if not alert.firing:
            continue
        long_m, short_m = alert.long_window // US_PER_MINUTE, alert.short_window // US_PER_MINUTE
        facts = [("threshold", str(alert.factor))]
        for window, minutes in ((alert.long_window, long_m), (alert.short_window, short_m)):
            rate = rates.get(window)
            if rate is not None:
                facts.append((f"burn_rate_{minutes}m", str(rate)))
        key = f"burn-rate/{result.objective}/{alert.severity}/{long_m}m-{short_m}m"
        found.append(
            _condition(
                EventKind.BURN_RATE,
                key,
                agreement,
                result.objective,
                alert.severity,
                alert.intervals[-1][0],
                tuple(facts),
            )
        )
    return found


def _budget(agreement: str, result: ObjectiveEvaluation, thresholds: tuple[Decimal, ...], now: int) -> list[Condition]:
    """Thresholds reached in the open period: `consumed ≥ threshold × allowed`, exactly."""
    current = result.current
    if current is None or current.closed or current.budget is None or current.budget.allowed <= 0:
        return []
    budget = current.budget
    found = []
    for share in thresholds:
        if Fraction(budget.consumed) < Fraction(share) * Fraction(budget.allowed):
            break  # thresholds rise strictly: none after this one is reached either
        shown = format_ratio(share)
        facts = (
            ("period", current.period),
            ("threshold", shown),
            ("consumed", str(budget.consumed)),
            ("allowed", str(budget.allowed)),
            ("unit", budget.unit),
        )
        found.append(
            _condition(
                EventKind.BUDGET,
                f"budget/{result.objective}/{current.period}/{shown}",
                agreement,
                result.objective,
                "warning" if share >= 1 else "info",
                now,
                facts,
            )
        )
    return found


def _period_facts(period: PeriodResult) -> tuple[tuple[str, str], ...]:
    facts = [("period", period.period)]
    if period.ratio is not None:
        facts.append(("attainment", format_ratio(period.ratio)))
    if period.statistic is not None:
        facts.append(("statistic", str(period.statistic)))
    if period.target is not None:
        facts.append(("target", format_ratio(period.target)))
    return tuple(facts)


def _breaches(agreement: str, result: ObjectiveEvaluation, now: int) -> list[Condition]:
    """Closed calendar periods that missed their commitment and ended within the horizon."""
    return [
        _condition(
            EventKind.BREACH,
            f"breach/{result.objective}/{p.period}",
            agreement,
            result.objective,
            "critical",
            p.end,
            _period_facts(p),
        )
        for p in result.periods
        if p.closed and p.status is Status.BREACHED and _recent(p.end, now)
    ]


def _credits(agreement: str, evaluation: Evaluation, calendar: set[str], now: int) -> list[Condition]:
    """Credits above zero for periods that ended within the horizon (all objectives combined: no objective)."""
    found = []
    for credit in evaluation.credits:
        ends = [
            p.end
            for o in evaluation.objectives
            if o.objective in calendar
            for p in o.periods
            if p.period == credit.period and p.closed
        ]
        if credit.share <= 0 or not ends or not _recent(max(ends), now):
            continue
        facts = [("period", credit.period), ("share", format_ratio(credit.share))]
        if credit.amount is not None:
            facts.append(("amount", str(credit.amount)))
            facts.append(("payable", str(credit.payable)))
            facts.append(("currency", credit.currency or ""))
        facts.append(("objectives", ", ".join(credit.triggered_by)))
        found.append(
            _condition(EventKind.CREDIT, f"credit/{credit.period}", agreement, None, "warning", max(ends), tuple(facts))
        )
    return found


def _rights(agreement: str, evaluation: Evaluation, calendar: set[str], now: int) -> list[Condition]:
    """Termination rights granted within the horizon, on calendar objectives."""
    found = []
    for grant in evaluation.termination:
        if grant.objective not in calendar or not _recent(grant.granted_at, now):
            continue
        rule = grant.rule
        facts = [("grants", rule.grants.value), ("periods", ", ".join(grant.periods))]
        if rule.notice is not None:
            facts.append(("notice", format_duration(rule.notice)))
        if rule.exercise_within is not None:
            facts.append(("exercise_until", iso_utc(grant.granted_at + duration_us(rule.exercise_within))))
        found.append(
            _condition(
                EventKind.TERMINATION_RIGHT,
                f"termination-right/{grant.objective}/{grant.periods[-1]}/{rule.grants.value}",
                agreement,
                grant.objective,
                "critical",
                grant.granted_at,
                tuple(facts),
            )
        )
    return found


def _case_severity(share: Decimal) -> str:
    """100% (breached): critical; from 75%: warning; below: info."""
    if share >= 1:
        return "critical"
    return "warning" if share >= Decimal("0.75") else "info"


def _cases(agreement: str, result: ObjectiveEvaluation, now: int) -> list[Condition]:
    """Warning shares reached by open cases, and breaches decided within the horizon (as 100%)."""
    found = []
    for case in result.cases or ():
        if not case.valid:
            continue
        reached: list[tuple[Decimal, int]] = []
        if case.met is None:
            reached = [(share, at) for share, at in case.warnings if at is not None and share < 1]
        elif case.met is False and case.decided_at is not None and _recent(case.decided_at, now):
            reached = [(Decimal(1), case.decided_at)]
        for share, at in reached:
            shown = format_ratio(share)
            facts = [("case", case.case), ("share", shown)]
            if case.priority is not None:
                facts.append(("priority", case.priority))
            if case.goal is not None:
                facts.append(("goal", _duration_text(case.goal)))
            if case.due is not None:
                facts.append(("due", iso_utc(case.due)))
            found.append(
                _condition(
                    EventKind.CASE,
                    f"case/{result.objective}/{case.case}/{shown}",
                    agreement,
                    result.objective,
                    _case_severity(share),
                    at,
                    tuple(facts),
                )
            )
    return found


def _duration_text(microseconds: int) -> str:
    """A duration in µs in the format's shorthand (`4h`, `1h30m`), whole seconds."""
    return format_duration(timedelta(microseconds=microseconds))


def _silent(agreement: Agreement, since: int, now: int, last_seen: Mapping[str, int], after: int) -> list[Condition]:
    """Event streams with nothing for longer than `after`, while an objective reading them is in service hours.

    Streams of incidents and case events are not watched: their silence is the normal state.
    """
    streams: dict[str, list[Objective]] = {}
    for objective in agreement.objectives:
        if objective.indicator.rows == "events":
            streams.setdefault(stream_name(objective), []).append(objective)
    found = []
    for stream, objectives in streams.items():
        seen = last_seen.get(stream)
        last = seen if seen is not None else since
        if now - last <= after or not any(_in_service(agreement, o, now) for o in objectives):
            continue
        facts = (
            ("stream", stream),
            ("last_seen", iso_utc(seen) if seen is not None else "never"),
            ("silent_after", _duration_text(after)),
            ("objectives", ", ".join(o.name for o in objectives)),
        )
        first = objectives[0].name
        found.append(
            _condition(
                EventKind.SILENT_SOURCE,
                f"silent-source/{first}/{stream}",
                agreement.name,
                first,
                "warning",
                last + after,
                facts,
            )
        )
    return found


def _in_service(agreement: Agreement, objective: Objective, now: int) -> bool:
    """Whether the objective counts at `now`: always without service hours, else inside them."""
    clock = service_clock(agreement, objective)
    return clock is None or bool(clock.open_intervals(now, now + 1))
