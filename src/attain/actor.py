"""Who makes the changes the store records: set at the edges, read by the audit trail.

The CLI runs every command as `cli:<user>`; the API and the dashboard run each request as the
caller's token (`token:<id>`, with `@<party>` for a customer's). The store appends audit entries
with `current_actor()` (`attain.storage.audit`), so no write method needs an extra argument. A
context variable is safe across threads and asyncio tasks: each request sees its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM = "system"
"""The actor of changes no person or token asked for (the runtime's own jobs)."""

_ACTOR: ContextVar[str] = ContextVar("attain_actor", default=SYSTEM)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Record `actor` as the author of every change made inside the block."""
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def act_as(actor: str) -> None:
    """Record `actor` as the author of the changes made from here on in this context (a request's task)."""
    _ACTOR.set(actor)


def current_actor() -> str:
    """Who the changes made now are recorded as: `system` unless set."""
    return _ACTOR.get()
