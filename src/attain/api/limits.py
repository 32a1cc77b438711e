"""A request body limit enforced while reading, for declared and chunked bodies alike.

A request that declares a `Content-Length` over the limit is refused at once, without reading its
body. Any other body is counted as it arrives: the first chunk that takes the total over the limit
ends the request with 413, so at most one chunk beyond the limit is ever read (the server hands over
chunks of at most 64 KiB).
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attain.api.errors import error_body

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
"""8 MiB: about 50,000 event rows in one push."""


class BodyTooLarge(HTTPException):
    """Raised inside `receive` when the body passes the limit.

    An `HTTPException`, so that FastAPI's body parsing passes it on unchanged to the API's error
    handler instead of turning it into a 400.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _message(max_bytes), headers={"connection": "close"})


def _message(max_bytes: int) -> str:
    return f"the request body is over the limit of {max_bytes} bytes; send it in smaller batches"


class BodyLimit:
    """ASGI middleware refusing bodies over `max_bytes` with the API's 413 error document."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; answer 413 as soon as it is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(413, _message(self.max_bytes))).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
