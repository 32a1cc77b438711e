"""The agreement: parties, purpose, scope, services, objectives, remedies, calendars and clauses.

Its document shape is the `attain/v1` envelope: `apiVersion`, `kind`, `metadata`, `spec`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from attain.model.base import LAX, Frozen
from attain.model.calendar import BusinessCalendar
from attain.model.credit import CreditPolicy, Fee
from attain.model.exclusion import Exclusion
from attain.model.notify import Notify
from attain.model.objective import Objective
from attain.model.quantity import Date, Duration, Slug
from attain.model.reference import check_references
from attain.model.termination import Termination
from attain.model.window import CalendarUnit
from attain.model.zone import TimeZoneName

API_VERSION = "attain/v1"


class Status(StrEnum):
    """Where an agreement stands in its life."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    TERMINATED = "terminated"


class Language(StrEnum):
    """Languages the agreement's documents are written in."""

    EN = "en"
    ZH_CN = "zh-CN"


class Party(Frozen):
    """A party to the agreement."""

    name: str
    contact: str | None = None
    address: str | None = None
    representative: str | None = None


class Parties(Frozen):
    """The provider, who promises, and the customer, who is promised."""

    provider: Party
    customer: Party


class Scope(Frozen):
    """What the agreement covers and what it does not."""

    description: str | None = None
    regions: Annotated[tuple[str, ...], LAX] = ()
    includes: Annotated[tuple[str, ...], LAX] = ()
    excludes: Annotated[tuple[str, ...], LAX] = ()


class Service(Frozen):
    """A service the agreement covers."""

    name: Slug
    title: str | None = None
    description: str | None = None
    owner: str | None = None


class Effective(Frozen):
    """The days the agreement is in force: from `from` until the end of `until` (if any)."""

    from_: Date = Field(alias="from")
    until: Date | None = None

    @model_validator(mode="after")
    def _order(self) -> Effective:
        from attain.model.quantity import invalid  # noqa: PLC0415

        if self.until is not None and self.until < self.from_:
            raise invalid("until comes before from", "until must be on or after from")
        return self


class Reporting(Frozen):
    """How often results are reported, and in which languages."""

    period: Annotated[CalendarUnit, LAX] = CalendarUnit.MONTH
    languages: Annotated[tuple[Annotated[Language, LAX], ...], LAX] = (Language.EN,)
    recipients: Annotated[tuple[str, ...], LAX] = ()


class Review(Frozen):
    """How often the parties review the agreement and its targets."""

    every: Annotated[CalendarUnit, LAX] = CalendarUnit.QUARTER


class TakesEffect(StrEnum):
    """When an accepted change may take effect: at a reporting period's start, or on any day."""

    PERIOD_START = "period-start"
    ANY_DAY = "any-day"


class Changes(Frozen):
    """How the agreement is changed: the clause, the notice before a change takes effect, and on which days."""

    clause: str
    notice: Duration | None = None
    takes_effect: Annotated[TakesEffect, LAX] = Field(
        default=TakesEffect.PERIOD_START, description="period-start (the default) or any-day."
    )


class AgreementSpec(Frozen):
    """Everything the agreement says."""

    title: str
    version: StrictInt = Field(default=1, ge=1)
    status: Annotated[Status, LAX] = Status.DRAFT
    language: Annotated[Language, LAX] = Language.EN
    time_zone: TimeZoneName = Field(default="UTC", description="Default zone for windows and times.")
    parties: Parties
    purpose: str
    scope: Scope = Field(default_factory=Scope)
    services: Annotated[tuple[Service, ...], LAX] = ()
    effective: Effective
    fee: Fee | None = None
    calendars: dict[Slug, BusinessCalendar] = Field(default_factory=dict)
    exclusions: Annotated[tuple[Exclusion, ...], LAX] = ()
    objectives: Annotated[tuple[Objective, ...], LAX] = Field(min_length=1)
    credit_policy: CreditPolicy = Field(default_factory=CreditPolicy)
    reporting: Reporting = Field(default_factory=Reporting)
    review: Review | None = None
    changes: Changes | None = None
    termination: Termination | None = None
    notify: Notify | None = Field(default=None, description="Who is told what, and how (operational).")

    @model_validator(mode="after")
    def _references(self) -> AgreementSpec:
        check_references(self)
        return self

    def objective(self, name: str) -> Objective:
        """The objective called `name`."""
        for objective in self.objectives:
            if objective.name == name:
                return objective
        raise KeyError(name)


class Metadata(Frozen):
    """Name and labels, as in Kubernetes and OpenSLO."""

    name: Slug
    display_name: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class Agreement(Frozen):
    """A service level agreement, one version of it."""

    api_version: Literal["attain/v1"]
    kind: Literal["Agreement"]
    metadata: Metadata
    spec: AgreementSpec

    @property
    def name(self) -> str:
        """The agreement's name (`metadata.name`)."""
        return self.metadata.name

    @property
    def objectives(self) -> tuple[Objective, ...]:
        """The agreement's objectives."""
        return self.spec.objectives
