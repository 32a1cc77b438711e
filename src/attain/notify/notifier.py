"""The sender of every channel behind one call: `Notifier(settings, environ)(envelope, delivery, now)`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from attain.engine.notices import Channel, Envelope
from attain.notify.alertmanager import send_alertmanager
from attain.notify.email import send_email
from attain.notify.webhook import send_webhook
from attain.settings import NotifySettings

Send = Callable[[Envelope, str, int], None]
"""Deliver one envelope, given its delivery id (the outbox dedup key) and the µs instant now; raise on failure."""


@dataclass(frozen=True)
class Notifier:
    """Sends an envelope by its channel: Alertmanager, webhook or e-mail.

    Attributes:
        settings: The SMTP server, allow-list, timeout and public URL.
        environ: Where secrets are read from (webhook secrets, the SMTP password), at each send.
    """

    settings: NotifySettings
    environ: Mapping[str, str]

    def __call__(self, envelope: Envelope, delivery: str, now: int) -> None:
        """Send `envelope` once.

        Raises:
            SendFailed: it was not delivered; `permanent` says whether to try again.
        """
        if envelope.channel is Channel.ALERTMANAGER:
            send_alertmanager(envelope, self.settings)
        elif envelope.channel is Channel.WEBHOOK:
            send_webhook(envelope, delivery, self.settings, self.environ, now)
        else:
            send_email(envelope, delivery, self.settings, self.environ, now)
