"""One HTTP POST to a checked address: what Alertmanager and webhook sends share.

The URL passes the SSRF guard (`attain.notify.address`) first, and the connection goes to the
address that was checked (`attain.notify.pinned`), with the URL's own host in the Host header and,
on https, as the TLS server name (so the certificate is still checked against the name). Redirects are not followed
and proxies from the environment are not used: either would reach an address nobody checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from attain.notify.address import check_url, safe_url
from attain.notify.failure import SendFailed, http_failure
from attain.notify.pinned import PinnedTransport


def post(url: str, body: bytes, headers: Mapping[str, str], allow: Sequence[str], timeout_seconds: int) -> None:
    """POST `body` as JSON to `url` and return when it was answered 2xx.

    Raises:
        AddressRefused: the SSRF guard refuses the URL (permanent).
        SendFailed: no answer in time, or not a 2xx answer (see `http_failure`).
    """
    transport = PinnedTransport(lambda checked: check_url(checked, allow).address)
    try:
        with httpx.Client(
            transport=transport, timeout=timeout_seconds, follow_redirects=False, trust_env=False
        ) as client:
            response = client.post(url, content=body, headers={**headers, "Content-Type": "application/json"})
    except httpx.HTTPError as error:
        raise SendFailed(f"{safe_url(url)}: {type(error).__name__}: {error}", permanent=False) from error
    if not 200 <= response.status_code < 300:
        raise http_failure(safe_url(url), response.status_code)
