"""The audit trail as the CLI and the API read it: entries, chain heads, and a verification.

The entries are written by the store inside each change's transaction (`attain.storage.audit`);
this module only opens the configured database and shapes what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from attain.engine.instant import iso_utc
from attain.settings import Settings
from attain.storage.audit import AuditEntry, Break, SqlAudit


def open_audit(settings: Settings) -> SqlAudit:
    """The audit trail of the configured store (migrated to the latest revision first)."""
    from attain.storage import connect, upgrade  # noqa: PLC0415 - SQLAlchemy only for store commands

    engine = connect(settings.database_url, unsafe_durability=settings.unsafe_durability)
    upgrade(engine)
    return SqlAudit(engine)


def entry_data(entry: AuditEntry) -> dict[str, Any]:
    """An entry as plain data, with its instant also in ISO 8601 (UTC)."""
    return {**entry.as_dict(), "at_iso": iso_utc(entry.at)}


@dataclass(frozen=True)
class Verification:
    """The outcome of recomputing every chain: how much was checked, each chain's head, what broke."""

    entries: int
    heads: dict[str, tuple[int, str]]
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        """True when every chain verifies."""
        return not self.breaks

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json` and the API."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "heads": {tenant: {"position": p, "hash": h} for tenant, (p, h) in self.heads.items()},
            "breaks": [{"tenant": b.tenant, "position": b.position, "problem": b.problem} for b in self.breaks],
        }


def verify(audit: SqlAudit) -> Verification:
    """Recompute every chain of the trail and report its heads and the first break of each."""
    return Verification(len(audit.entries()), audit.heads(), audit.verify())


def chain_head(engine: Engine, tenant: str) -> tuple[int, str] | None:
    """A chain's last position and hash (None before its first entry): what a page or a report prints."""
    return SqlAudit(engine).heads().get(tenant)
