"""An httpx transport that connects to the address the SSRF guard checked, and to no other.

A guard that resolves a name to check it and then lets the HTTP client resolve it again can be
fooled by DNS rebinding: the first answer is a public address, the second 127.0.0.1 or the cloud
metadata service. Here the name is resolved once per request, by the check (`attain.notify.address`),
which refuses the request unless every address passes; the connection then goes to the first
checked address, with the URL's own host kept in the Host header and, on https, as the TLS server
name, so the certificate is still checked against the name. Every request passes through the
transport, so a redirect, were one followed, is checked (and pinned) again at each hop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from attain.notify.address import IPAddress

Check = Callable[[str], IPAddress]
"""Resolve a URL's host once and check every address; return the one to connect to (or raise)."""


class PinnedTransport(httpx.BaseTransport):
    """Each request goes to the address `check` returned for its URL."""

    def __init__(self, check: Check, inner: httpx.BaseTransport | None = None, **options: Any) -> None:
        """Wrap `inner` (tests), or an `httpx.HTTPTransport` made with `options` (e.g. `verify`, `retries`)."""
        self._check = check
        self._inner = inner if inner is not None else httpx.HTTPTransport(**options)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Check the request's URL, then send it to the checked address."""
        address = self._check(str(request.url))
        host = request.url.host
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        request.url = request.url.copy_with(host=str(address))  # the Host header keeps the name
        return self._inner.handle_request(request)

    def close(self) -> None:
        """Close the pooled connections."""
        self._inner.close()
