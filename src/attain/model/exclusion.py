"""Exclusions: time that does not count against an objective.

One-off (`start` with `end` or `duration`) or recurring (`every`, an RFC 5545 RRULE, from
`start`, each occurrence lasting `duration`). Times are wall-clock times in `timeZone` (default:
the agreement's), so "every Sunday 02:00" stays 02:00 across daylight saving changes. Planned
maintenance counts as excluded only when announced at least `minimumNotice` before it starts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import Duration, LocalDateTime, NonNegativeDuration, invalid
from attain.model.zone import TimeZoneName


class ExclusionKind(StrEnum):
    """Why time is excluded."""

    MAINTENANCE = "maintenance"
    EMERGENCY_MAINTENANCE = "emergency-maintenance"
    FORCE_MAJEURE = "force-majeure"
    CUSTOMER_CAUSED = "customer-caused"
    THIRD_PARTY = "third-party"
    OTHER = "other"


class Exclusion(Frozen):
    """A reason, and where it has a schedule, the time it excludes."""

    kind: Annotated[ExclusionKind, LAX]
    description: str | None = None
    start: LocalDateTime | None = Field(default=None, description="First (or only) start, local.")
    end: LocalDateTime | None = Field(default=None, description="End of a one-off exclusion.")
    duration: Duration | None = Field(default=None, description="Length of each occurrence.")
    every: str | None = Field(default=None, description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU.")
    time_zone: TimeZoneName | None = None
    minimum_notice: NonNegativeDuration | None = Field(
        default=None, description="Maintenance counts only if announced this long in advance."
    )
    objectives: Annotated[tuple[str, ...], LAX] = Field(
        default=(), description="Objectives it applies to; empty means all."
    )

    @model_validator(mode="after")
    def _schedule(self) -> Exclusion:
        if self.end is not None and self.duration is not None:
            raise invalid("give end or duration, not both", "keep one of them")
        if (self.end is not None or self.duration is not None or self.every) and self.start is None:
            raise invalid("a scheduled exclusion needs start", "add start: 2026-01-04T02:00")
        if self.every is not None:
            if self.duration is None:
                raise invalid("a recurring exclusion needs duration", "add duration: 2h")
            _check_rrule(self)
        if self.start is not None and self.end is None and self.duration is None:
            raise invalid("an exclusion with start needs end or duration", "add duration: 2h")
        if self.end is not None and self.start is not None and self.end <= self.start:
            raise invalid("end must come after start", "check the dates")
        maintenance = (ExclusionKind.MAINTENANCE, ExclusionKind.EMERGENCY_MAINTENANCE)
        if self.minimum_notice is not None and self.kind not in maintenance:
            raise invalid("minimumNotice applies to maintenance only", "remove it")
        return self


def _check_rrule(exclusion: Exclusion) -> None:
    from dateutil.rrule import rrulestr  # noqa: PLC0415 - only recurring exclusions need it

    text = exclusion.every or ""
    valid = "write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=SU;BYHOUR=2 (no DTSTART; use start)"
    if "DTSTART" in text.upper() or text.upper().startswith("RRULE:"):
        raise invalid("every holds only the rule's parts", valid)
    try:
        rrulestr(text, dtstart=exclusion.start)
    except (ValueError, TypeError) as error:
        raise invalid(f"not a valid RRULE: {error}", valid) from None
