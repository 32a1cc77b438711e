"""Why a send failed, and whether trying again could help.

A `SendFailed` is what every sender raises; `permanent` decides what delivery does with it: a
transient failure (a timeout, a refused connection, HTTP 5xx, 408 or 429, an SMTP 4xx reply) is
retried with backoff, a permanent one (an address refused by the SSRF guard, HTTP 4xx, a missing
secret, an SMTP 5xx reply) is dead-lettered at once with its reason.
"""

from __future__ import annotations

from attain.errors import AttainError


class SendFailed(AttainError):
    """A message could not be delivered; `permanent` when trying again would fail the same way."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        self.reason = reason
        self.permanent = permanent
        super().__init__(reason)


class AddressRefused(SendFailed):
    """The address is one attain never sends to (SSRF guard): permanent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True)


def http_failure(target: str, status: int) -> SendFailed:
    """The failure an HTTP status other than 2xx means: 408, 429 and 5xx are transient, others permanent."""
    transient = status in {408, 429} or status >= 500
    what = "redirects are not followed" if 300 <= status < 400 else "the receiver refused the message"
    return SendFailed(
        f"{target}: HTTP {status}" + ("" if transient else f" ({what}; not retried)"), permanent=not transient
    )
