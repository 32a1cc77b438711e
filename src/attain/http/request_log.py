"""One log line per HTTP request, written with structlog: method, path, status, duration, client.

    logger = request_logger(settings)         # level and format (console or JSON) from the settings
    app.add_middleware(RequestLog, logger=logger)

The line names the request by its method and path only: never its query string (which may
carry a secret such as `?token=`), never a header (`Authorization`, `Cookie`), never a body, so
that no token reaches a log; a token pasted into the path itself is cut to its recognisable prefix
(`redact`). Lines go to the standard library's logger `attain.http`, rendered
already; `attain serve` sends that logger to stderr (`log_to`), and tests read it with `caplog`.
A request answered 5xx is logged as an error, any other as info.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, TextIO

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attain.errors import InvalidInput, Problem
from attain.settings import LOG_FORMAT_VARIABLE, LOG_FORMATS, LOG_LEVEL_VARIABLE, LOG_LEVELS, Settings

LOGGER_NAME = "attain.http"
"""The standard library logger the lines are handed to."""

_SECRET = re.compile(r"(attain_[A-Za-z0-9_-]{5})[A-Za-z0-9_-]+")
"""A token in text: its prefix and the 12 characters `attain token list` shows are kept, the rest cut."""


def redact(text: str) -> str:
    """`text` with every token secret in it cut to its first 12 characters (`attain_ABCDE…`)."""
    return _SECRET.sub(r"\1…", text)


_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


def check_log_settings(settings: Settings) -> None:
    """Raise InvalidInput naming the valid values when the settings' log level or format is not one of them."""
    problems = [
        Problem("<environment>", None, None, variable, f"unknown value {value!r}", f"use one of {', '.join(valid)}")
        for variable, value, valid in (
            (LOG_LEVEL_VARIABLE, settings.log_level, LOG_LEVELS),
            (LOG_FORMAT_VARIABLE, settings.log_format, LOG_FORMATS),
        )
        if value not in valid
    ]
    if problems:
        raise InvalidInput(problems)


def request_logger(settings: Settings) -> Any:
    """A structlog logger for request lines at the settings' level, rendered as console text or JSON.

    Raises:
        InvalidInput: the settings' log level or format is not a valid one (see `check_log_settings`).
    """
    check_log_settings(settings)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.wrap_logger(
        logging.getLogger(LOGGER_NAME),
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[settings.log_level]),
        cache_logger_on_first_use=True,
    )


def log_to(stream: TextIO, settings: Settings) -> None:
    """Send the request lines to `stream` (`attain serve`: stderr), one line each, at the settings' level."""
    logger = logging.getLogger(LOGGER_NAME)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers = [handler]
    logger.setLevel(_LEVELS.get(settings.log_level, logging.INFO))
    logger.propagate = False


class RequestLog:
    """ASGI middleware logging every HTTP request once it is answered (or fails)."""

    def __init__(self, app: ASGIApp, logger: Any) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, then log one line about it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            client = scope.get("client")
            log = self.logger.error if status >= 500 else self.logger.info
            log(
                "request",
                method=str(scope.get("method", "")),
                path=redact(str(scope.get("path", ""))),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                client=client[0] if client else None,
            )
