"""Alertmanager's webhook payload (version 4) and what attain made of each alert."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from attain.api.schemas.body import StrictBody


class _Loose(BaseModel):
    """Strict types, but fields Alertmanager adds beyond those read here are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_by_name=True, validate_by_alias=True)


class AlertIn(_Loose):
    """One alert: `status`, `labels` (which route it, see docs/notifications.md), the instants, `fingerprint`."""

    status: Literal["firing", "resolved"]
    labels: dict[str, str] = Field(description="`agreement` (required), `objective` or `stream`, and any others.")
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: str = Field(alias="startsAt", max_length=64, description="RFC 3339: when the alert began to fire.")
    ends_at: str = Field(
        default="", alias="endsAt", max_length=64, description="RFC 3339: when it stopped (read for resolved alerts)."
    )
    fingerprint: str = Field(max_length=64, description="Alertmanager's identity of the alert's label set.")


class WebhookIn(_Loose):
    """Alertmanager's webhook payload, version 4."""

    version: Literal["4"]
    status: Literal["firing", "resolved"] | None = None
    receiver: str | None = None
    group_key: str | None = Field(default=None, alias="groupKey")
    alerts: list[AlertIn] = Field(min_length=1, max_length=10_000)


class ReceivedOut(StrictBody):
    """What became of one alert: `opened`, `closed`, `recorded` (resolved, never seen firing) or `known`."""

    index: int
    agreement: str
    stream: str
    incident: str = Field(description="The incident's batch key: fingerprint + startsAt.")
    start: str
    end: str | None
    action: Literal["opened", "closed", "recorded", "known"]


class ReceivedAlertsOut(StrictBody):
    """One entry per alert of the payload, in its order."""

    alerts: list[ReceivedOut]
