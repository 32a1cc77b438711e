"""Notification history as response bodies."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody


class NotificationOut(StrictBody):
    """One message from the outbox, and where it stands."""

    id: int
    receiver: str = Field(description="The receiver's name in the agreement's `notify:`.")
    party: str = Field(description="The receiver's party: provider or customer.")
    channel: str = Field(description="alertmanager, webhook or email.")
    kind: str = Field(description="The event kind, e.g. breach, burn-rate, case.")
    key: str = Field(description="The condition's key, e.g. `breach/api-availability/2026-11`.")
    notice: str = Field(description="firing or resolved.")
    status: str = Field(description="pending, sent or dead (dead-lettered: no attempt is left).")
    failed: bool = Field(description="The last attempt failed: dead, or pending with an error, to be retried.")
    attempts: int
    created_at: str = Field(alias="createdAt", description="When it was enqueued, ISO 8601 UTC.")
    sent_at: str | None = Field(alias="sentAt", description="When it was delivered.")
    next_attempt_at: str | None = Field(alias="nextAttemptAt", description="While pending: when it is due (again).")
    last_error: str | None = Field(alias="lastError", description="The last failed attempt's error.")


class NotificationCountsOut(StrictBody):
    """How many of the agreement's messages (those the caller may see) stand at each status."""

    pending: int
    sent: int
    dead: int


class NotificationsOut(StrictBody):
    """An agreement's recent messages, newest first, and the counts per status of all of them."""

    agreement: str
    counts: NotificationCountsOut
    notifications: list[NotificationOut]
