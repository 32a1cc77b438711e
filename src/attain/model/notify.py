"""Who is told what: receivers (Alertmanager, webhook, e-mail) and the routes that pick them by event.

The `notify:` block of an agreement is operational (the provider edits it without the customer's
approval), with one safeguard: a receiver marked `party: customer` is only ever sent the events
the customer is meant to see (breaches, credits, termination rights, reviews due), never the
provider's internal pages (burn rates, budget thresholds, case warnings, silent sources).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictBool, model_validator

from attain.model.base import LAX, Frozen, invalid
from attain.model.quantity import Duration, Ratio, Slug


class EventKind(StrEnum):
    """What happened, as routes name it."""

    BURN_RATE = "burn-rate"
    BUDGET = "budget"
    BREACH = "breach"
    CREDIT = "credit"
    TERMINATION_RIGHT = "termination-right"
    CASE = "case"
    SILENT_SOURCE = "silent-source"
    REVIEW_DUE = "review-due"


CUSTOMER_FACING: frozenset[EventKind] = frozenset(
    {EventKind.BREACH, EventKind.CREDIT, EventKind.TERMINATION_RIGHT, EventKind.REVIEW_DUE}
)
"""The events a customer's receiver may be sent; every other kind is the provider's own business."""


class PartyRole(StrEnum):
    """Which side of the agreement a receiver belongs to."""

    PROVIDER = "provider"
    CUSTOMER = "customer"


class AlertmanagerTarget(Frozen):
    """An Alertmanager: alerts are POSTed to `{url}/api/v2/alerts`."""

    url: str = Field(description="Alertmanager's base URL, e.g. http://alertmanager:9093.")


class WebhookTarget(Frozen):
    """An HTTP endpoint sent Alertmanager's webhook (version 4) JSON, signed with HMAC-SHA256."""

    url: str
    secret_env: str | None = Field(
        default=None,
        description="Name of the environment variable holding the signing secret (never the secret itself).",
    )


class EmailTarget(Frozen):
    """E-mail addresses; none given means the receiver's party's contact from `parties`."""

    to: Annotated[tuple[str, ...], LAX] = ()


class Receiver(Frozen):
    """A named destination, for one party, reached in exactly one way."""

    name: Slug
    party: Annotated[PartyRole, LAX] = PartyRole.PROVIDER
    language: str | None = Field(default=None, description="en or zh-CN; default: the agreement's language.")
    alertmanager: AlertmanagerTarget | None = None
    webhook: WebhookTarget | None = None
    email: EmailTarget | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Receiver:
        given = [t for t in (self.alertmanager, self.webhook, self.email) if t is not None]
        if len(given) != 1:
            raise invalid("give exactly one of alertmanager, webhook and email", "e.g. webhook: {url: https://…}")
        if self.language not in (None, "en", "zh-CN"):
            raise invalid(f"unknown language {self.language!r}", "en or zh-CN")
        return self


class Route(Frozen):
    """Events of these kinds (and severities, and objectives) go to these receivers."""

    events: Annotated[tuple[Annotated[EventKind, LAX], ...], LAX] = Field(min_length=1)
    severities: Annotated[tuple[str, ...], LAX] = Field(default=(), description="Empty: every severity.")
    objectives: Annotated[tuple[Slug, ...], LAX] = Field(default=(), description="Empty: every objective.")
    receivers: Annotated[tuple[Slug, ...], LAX] = Field(min_length=1)


DEFAULT_THRESHOLDS: tuple[Decimal, ...] = (Decimal("0.5"), Decimal("0.75"), Decimal(1))


class Notify(Frozen):
    """Receivers, routes, and the knobs that keep a flapping objective from sending a storm."""

    receivers: Annotated[tuple[Receiver, ...], LAX] = ()
    routes: Annotated[tuple[Route, ...], LAX] = ()
    repeat_interval: Duration = Field(
        default=timedelta(hours=4),
        description="A condition still firing is sent again after this long (Alertmanager receivers: every minute).",
    )
    budget_thresholds: Annotated[tuple[Ratio, ...], LAX] = Field(
        default=DEFAULT_THRESHOLDS, description="Shares of a period's error budget consumed that notify once each."
    )
    silent_after: Duration = Field(
        default=timedelta(minutes=30),
        description="A stream with no measurement for this long, while its objective is in force, is silent.",
    )
    send_resolved: StrictBool = True

    @model_validator(mode="after")
    def _thresholds(self) -> Notify:
        shares = list(self.budget_thresholds)
        if shares != sorted(set(shares)) or any(not 0 < s <= 1 for s in shares):
            raise invalid(
                "budgetThresholds must rise strictly, each above 0% and at most 100%", "e.g. [50%, 75%, 100%]"
            )
        return self

    def receiver(self, name: str) -> Receiver:
        """The receiver called `name`."""
        for receiver in self.receivers:
            if receiver.name == name:
                return receiver
        raise KeyError(name)
