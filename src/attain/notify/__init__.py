"""Notices out: the senders of each channel, and the SSRF guard every URL passes.

    send = Notifier(NotifySettings.from_environ(os.environ), os.environ)
    send(envelope, delivery_id, now)        # raises SendFailed(permanent=True|False)

- `alertmanager`: `POST {url}/api/v2/alerts` of a Prometheus Alertmanager, resolved with `endsAt`;
- `webhook`: Alertmanager's webhook v4 JSON, signed with HMAC-SHA256 (`X-Attain-Signature`);
- `email`: SMTP, plain text and HTML, en and zh-CN;
- `address`: which hosts a URL may reach (never link-local or metadata; private only when allowed);
- `message`: what a notice says, the same on every channel.

Delivery itself (claiming from the outbox, retries, dead letters) is `attain.services.delivery`.
"""

from __future__ import annotations

from attain.notify.failure import AddressRefused, SendFailed
from attain.notify.notifier import Notifier, Send

__all__ = ["AddressRefused", "Notifier", "Send", "SendFailed"]
