r"""The audit trail: one hash-chained entry per change, appended in the change's own transaction.

Every write that changes what the store holds (a new agreement version, a recount, a batch of
measurements, a stored result, a token created or revoked) appends one entry: who (the actor of
the current context, `attain.actor`), when (the writer's clock, passed in as `now`), what (action,
subject, a few details), and the hashes of the thing before and after where it has one.

Entries form one chain per tenant (an agreement's name, or `STORE` for the store's own records
such as tokens): entry n of a tenant has position n and

    hash_n = sha256(hash_{n-1} ‖ "\n" ‖ canonical JSON of entry n),   hash_0 = 64 zeros,

where the canonical JSON holds every column but the hash, keys sorted, no spaces, UTF-8. The
head of each chain (`audit_heads`: position and hash) is updated in the same transaction; the
UPDATE that raises its position comes first, so concurrent writers to one tenant queue on that row
(PostgreSQL) or on the database's write lock (SQLite) and a chain never forks. The migration adds
triggers that refuse UPDATE and DELETE on `audit` on both engines; `verify` recomputes every chain
and names the first entry that was edited, deleted, inserted or reordered, and a head that does not
match its chain's last entry (a truncated tail).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from attain.actor import current_actor
from attain.storage import schema as s
from attain.storage.insert import dialect_insert

GENESIS = "0" * 64
"""The hash before a chain's first entry."""

STORE = "*"
"""The tenant of the store's own records (tokens): not any one agreement's."""


@dataclass(frozen=True)
class AuditEntry:
    """One entry of a tenant's chain, as stored."""

    tenant: str
    position: int
    at: int
    actor: str
    action: str
    subject: str
    detail: Mapping[str, Any]
    before: str | None
    after: str | None
    hash: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "tenant": self.tenant,
            "position": self.position,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "detail": dict(self.detail),
            "before": self.before,
            "after": self.after,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Break:
    """Where a chain stops verifying: the tenant, the position, and what is wrong there."""

    tenant: str
    position: int
    problem: str


def digest(data: Mapping[str, Any] | str) -> str:
    """The sha256 of a text, or of a mapping's canonical JSON: what `before` and `after` hold."""
    text = data if isinstance(data, str) else canonical(data)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(data: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no spaces: the same bytes for the same data on every engine."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous: str, entry: Mapping[str, Any]) -> str:
    r"""`sha256(previous ‖ "\n" ‖ canonical JSON of entry)`, the entry without its own hash."""
    return hashlib.sha256(f"{previous}\n{canonical(entry)}".encode()).hexdigest()


def append(
    conn: Connection,
    tenant: str,
    action: str,
    subject: str,
    now: int,
    *,
    detail: Mapping[str, Any] | None = None,
    before: str | None = None,
    after: str | None = None,
) -> AuditEntry:
    """Append one entry to `tenant`'s chain, inside the caller's transaction.

    Args:
        conn: the connection of the transaction that makes the change.
        tenant: the agreement's name, or `STORE`.
        action: what happened, e.g. `version.stored`, `batch.stored`, `token.revoked`.
        subject: what it happened to, e.g. `shop v2`, a batch key, `token 7`.
        now: the instant, microseconds since the epoch (the writer's clock).
        detail: a few JSON-native facts (no floats, no Decimals: write them as text).
        before: the hash of the thing before the change, if it had one.
        after: the hash of the thing after it.

    Returns:
        The entry as stored.
    """
    heads = s.audit_heads
    conn.execute(
        dialect_insert(conn, heads)
        .values(tenant=tenant, position=0, hash=GENESIS)
        .on_conflict_do_nothing(index_elements=[heads.c.tenant])
    )
    position, previous = conn.execute(
        update(heads)
        .where(heads.c.tenant == tenant)
        .values(position=heads.c.position + 1)
        .returning(heads.c.position, heads.c.hash)
    ).one()
    fields = AuditEntry(
        tenant, int(position), now, current_actor(), action, subject, dict(detail or {}), before, after, ""
    )
    entry = fields.as_dict()
    entry.pop("hash")
    hashed = chain_hash(previous, entry)
    conn.execute(s.audit.insert().values(**entry, hash=hashed))
    conn.execute(update(heads).where(heads.c.tenant == tenant).values(hash=hashed))
    return replace(fields, hash=hashed)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        tenant=row.tenant,
        position=int(row.position),
        at=int(row.at),
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        detail=row.detail,
        before=row.before,
        after=row.after,
        hash=row.hash,
    )


class SqlAudit:
    """Reads and verifies the audit trail of a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def entries(self, tenant: str | None = None, since: int | None = None) -> list[AuditEntry]:
        """The entries of one tenant (every tenant when None), oldest first; from `since` on when given."""
        t = s.audit
        query = select(t)
        if tenant is not None:
            query = query.where(t.c.tenant == tenant)
        if since is not None:
            query = query.where(t.c.at >= since)
        with self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query.order_by(t.c.at, t.c.tenant, t.c.position))]

    def heads(self) -> dict[str, tuple[int, str]]:
        """Each tenant's chain head: its last position and hash, as a report prints it."""
        t = s.audit_heads
        with self._engine.connect() as conn:
            return {row.tenant: (int(row.position), row.hash) for row in conn.execute(select(t).order_by(t.c.tenant))}

    def verify(self) -> list[Break]:
        """Recompute every chain; one `Break` per broken chain, at its first bad entry (empty: all verify)."""
        t = s.audit
        with self._engine.connect() as conn:
            rows = [_entry(row) for row in conn.execute(select(t).order_by(t.c.tenant, t.c.position, t.c.id))]
        heads = self.heads()
        chains: dict[str, list[AuditEntry]] = {}
        for entry in rows:
            chains.setdefault(entry.tenant, []).append(entry)
        breaks = [b for tenant, chain in chains.items() if (b := _first_break(tenant, chain)) is not None]
        for tenant, (position, head) in heads.items():
            chain = chains.get(tenant, [])
            last = chain[-1] if chain else None
            broken = any(b.tenant == tenant for b in breaks)
            if not broken and (last is None or (last.position, last.hash) != (position, head)):
                found = 0 if last is None else last.position
                problem = f"the head says {position} entries ending in {head[:12]}, the chain has {found}"
                breaks.append(Break(tenant, found + 1, problem))
        return sorted(breaks, key=lambda b: (b.tenant, b.position))


def _first_break(tenant: str, chain: list[AuditEntry]) -> Break | None:
    """The first entry of one tenant's chain (in stored position order) that does not verify."""
    previous = GENESIS
    for expected, entry in enumerate(chain, start=1):
        if entry.position != expected:
            missing = "missing" if entry.position > expected else "repeated"
            return Break(tenant, expected, f"entry {expected} is {missing} (next stored: {entry.position})")
        fields = entry.as_dict()
        stored = fields.pop("hash")
        if chain_hash(previous, fields) != stored:
            return Break(tenant, expected, "its content or its place does not match its hash")
        previous = stored
    return None
