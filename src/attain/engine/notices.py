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
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from attain.model.notify import EventKind

if TYPE_CHECKING:
    from attain.engine.result import Evaluation
    from attain.model import Agreement


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
        credits and termination rights of calendar periods that ended within the horizon
        (`attain.engine.conditions.HORIZON_US`, 35 days); case
        warnings of open cases and case breaches decided within the horizon; silent streams;
        the review due. In that order, objectives in the evaluation's order.
    """
    from attain.engine.conditions import find_conditions  # noqa: PLC0415 - it builds on this module's types

    return find_conditions(agreement, evaluation, now, last_seen=last_seen, review_due=review_due)
