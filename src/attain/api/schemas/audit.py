"""The audit trail as response bodies: entries, chain heads, and a verification."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from attain.api.schemas.body import StrictBody


class AuditEntryOut(StrictBody):
    """One entry of an audit chain."""

    chain: str = Field(description="The agreement's name, or `*` for the store's own records (tokens).")
    position: int = Field(description="The entry's place in its chain, from 1.")
    at: str = Field(description="When the change was made (the server's clock), ISO 8601 UTC.")
    actor: str = Field(description="Who made it: `token:7`, `token:7@Party`, `cli:user` or `system`.")
    action: str = Field(description="What happened, e.g. `version.stored`, `batch.stored`, `token.revoked`.")
    subject: str = Field(description="What it happened to, e.g. `shop v2`, a batch key.")
    detail: dict[str, Any]
    before: str | None = Field(description="sha256 of the thing before the change, where it has one.")
    after: str | None = Field(description="sha256 of the thing after the change, where it has one.")
    hash: str = Field(description="sha256(previous entry's hash ‖ newline ‖ canonical JSON of this entry).")


class ChainHeadOut(StrictBody):
    """A chain's last position and hash: what a report prints, to compare later."""

    position: int
    hash: str


class AuditBreakOut(StrictBody):
    """Where a chain stops verifying."""

    chain: str
    position: int
    problem: str


class VerificationOut(StrictBody):
    """Every chain recomputed: how many entries, each head, and the first break of each broken chain."""

    ok: bool
    entries: int
    heads: dict[str, ChainHeadOut]
    breaks: list[AuditBreakOut]
