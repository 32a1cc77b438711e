"""A deadline for each request's headers under uvicorn, which has none of its own.

uvicorn closes a kept-alive connection that stays idle between requests (`timeout_keep_alive`),
but a client that connects and then sends its request line and headers a byte at a time holds the
connection, and a file descriptor, for as long as it keeps sending. `header_timeout_protocol`
gives uvicorn's httptools protocol a deadline: from the moment the connection opens, and again
from the first byte of each later request on it, the headers must be complete within `seconds`,
or the server answers `408 Request Timeout` and closes the connection (nginx's
`client_header_timeout`). Bodies are the application's: the token is checked before a body is
read (`attain.api.authenticate`), and the body limit bounds what an authorised caller can send.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DEFAULT_HEADER_TIMEOUT = 10.0
"""Seconds a client has to send a request's line and headers (nginx's default is 60)."""

_BODY = b"the request's headers came too slowly\n"
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
    + f"content-length: {len(_BODY)}\r\n\r\n".encode()
    + _BODY
)


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's headers (`header_timeout` seconds)."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Open the connection and start its first request's deadline."""
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        """A request begins (its first byte came): start its deadline unless one runs."""
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        """The headers are in, in time: stop the deadline."""
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the deadline with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:  # no earlier response still being written
            self.transport.write(TIMEOUT_RESPONSE)
        self.transport.close()


def header_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """The protocol class to give uvicorn (`http=`), with a deadline of `seconds` for each request's headers."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})
