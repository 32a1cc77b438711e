"""The agreement page's Notifications section: the latest messages sent about it, and where each stands.

Sent, waiting, failed (with the error and the next attempt) or dead-lettered, from the outbox
through `attain.services.notifications`; a customer sees only its own party's receivers'.
"""

from __future__ import annotations

from dataclasses import dataclass

from attain.model.notify import PartyRole
from attain.services.notifications import NotificationLine, counts_text, history, notification_lines
from attain.services.runtime import Runtime
from attain.services.tokens import Principal, Role
from attain.web.language import Words

SHOWN = 20
"""How many of the latest messages the page shows (`attain notifications` and the API list more)."""


@dataclass(frozen=True)
class NotificationSection:
    """The counts per status in words, and the latest messages."""

    counts: str
    lines: list[NotificationLine]


def notification_section(runtime: Runtime, name: str, principal: Principal, words: Words) -> NotificationSection:
    """The section for agreement `name` as `principal` may see it (the caller has checked it may see the agreement)."""
    party = PartyRole.CUSTOMER.value if principal.role is Role.CUSTOMER else None
    found = history(runtime.store, runtime.engine, name, limit=SHOWN, party=party)
    return NotificationSection(counts_text(found, words.locale), notification_lines(found, words.locale))
