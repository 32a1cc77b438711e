"""`SqlAccess`: API tokens (stored as hashes) and remembered idempotent responses.

A token's secret is never stored: only its digest (HMAC-SHA256 under the server's pepper, or sha256
without one) and a short prefix to recognise it by.
An idempotent response is stored under (scope, key) with a fingerprint of the request; storing
the same (scope, key) twice keeps the first, so two racing requests agree on one response.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from attain.storage import schema as s
from attain.storage.audit import STORE, append


@dataclass(frozen=True)
class StoredToken:
    """A token as stored: never its secret."""

    id: int
    prefix: str
    role: str
    party: str | None
    label: str
    created_at: int
    expires_at: int | None
    revoked_at: int | None

    def usable(self, now: int) -> bool:
        """Whether the token authenticates at `now`: not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class Remembered:
    """A stored response to an idempotent request."""

    fingerprint: str
    status: int
    body: str


_TOKEN_COLUMNS = (
    s.tokens.c.id,
    s.tokens.c.prefix,
    s.tokens.c.role,
    s.tokens.c.party,
    s.tokens.c.label,
    s.tokens.c.created_at,
    s.tokens.c.expires_at,
    s.tokens.c.revoked_at,
)


_GENERATION = select(
    *(
        part.scalar_subquery()
        for part in (
            select(func.count()).select_from(s.ledger),
            select(func.max(s.ledger.c.stored_at)),
            select(func.count()).select_from(s.agreement_versions),
            select(func.count(s.agreement_versions.c.recounted_at)),
            select(func.count()).select_from(s.tokens),
            select(func.count(s.tokens.c.revoked_at)),
            select(func.count()).select_from(s.terminations),
            select(func.count()).select_from(s.reviews),
        )
    )
)
"""The statement behind `SqlAccess.generation`, built once (it runs on every API request)."""


class SqlAccess:
    """Tokens and idempotency records in the same database as the `SqlStore`.

    Args:
        engine: An engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine, pepper: bytes | None = None) -> None:
        self._engine = engine
        self.pepper = pepper
        """The key the token digests are made with (`attain.services.tokens.digest`); None: unkeyed."""

    def add_token(
        self, digest: str, prefix: str, role: str, party: str | None, label: str, now: int, expires_at: int | None
    ) -> StoredToken:
        """Store a new token by its digest and return it as stored."""
        values = {
            "digest": digest,
            "prefix": prefix,
            "role": role,
            "party": party,
            "label": label,
            "created_at": now,
            "expires_at": expires_at,
            "revoked_at": None,
        }
        with self._engine.begin() as conn:
            new_id = conn.execute(s.tokens.insert().values(**values)).inserted_primary_key
            assert new_id is not None
            detail = {"role": role, "party": party, "label": label, "prefix": prefix, "expires_at": expires_at}
            append(conn, STORE, "token.created", f"token {new_id[0]}", now, detail=detail)
            values.pop("digest")
            return StoredToken(id=int(new_id[0]), **values)  # type: ignore[arg-type]  # the columns above

    def token_by_digest(self, digest: str) -> StoredToken | None:
        """The token whose secret hashes to `digest`, or None."""
        with self._engine.connect() as conn:
            row = conn.execute(select(s.tokens.c.digest, *_TOKEN_COLUMNS).where(s.tokens.c.digest == digest)).first()
        # Compared again in constant time, so that no answer hinges on a database's string comparison.
        if row is None or not hmac.compare_digest(row[0].encode(), digest.encode()):
            return None
        return StoredToken(*row[1:])

    def rehash_token(self, token_id: int, old_digest: str, new_digest: str) -> None:
        """Replace a token's digest (an unkeyed one by its keyed one), if it still is `old_digest`."""
        with self._engine.begin() as conn:
            conn.execute(
                update(s.tokens)
                .where(s.tokens.c.id == token_id, s.tokens.c.digest == old_digest)
                .values(digest=new_digest)
            )

    def tokens(self) -> list[StoredToken]:
        """Every token, oldest first."""
        with self._engine.connect() as conn:
            return [StoredToken(*row) for row in conn.execute(select(*_TOKEN_COLUMNS).order_by(s.tokens.c.id))]

    def revoke_token(self, token_id: int, now: int) -> StoredToken | None:
        """Revoke a token (a revoked one keeps its first revocation time); None when unknown."""
        with self._engine.begin() as conn:
            revoked = conn.execute(
                update(s.tokens)
                .where(s.tokens.c.id == token_id, s.tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
                .returning(s.tokens.c.id)
            ).first()
            if revoked is not None:
                append(conn, STORE, "token.revoked", f"token {token_id}", now)
            row = conn.execute(select(*_TOKEN_COLUMNS).where(s.tokens.c.id == token_id)).first()
        return None if row is None else StoredToken(*row)

    def recall(self, scope: str, key: str) -> Remembered | None:
        """The response remembered for (scope, key), or None."""
        i = s.idempotency
        query = select(i.c.fingerprint, i.c.status, i.c.body).where(i.c.scope == scope, i.c.key == key)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Remembered(row.fingerprint, row.status, row.body)

    def remember(self, scope: str, key: str, response: Remembered, now: int) -> Remembered:
        """Remember a response; when (scope, key) is already stored, return the stored one instead."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    s.idempotency.insert().values(
                        scope=scope,
                        key=key,
                        fingerprint=response.fingerprint,
                        status=response.status,
                        body=response.body,
                        stored_at=now,
                    )
                )
        except IntegrityError:
            stored = self.recall(scope, key)
            if stored is not None:
                return stored
            raise
        return response

    def generation(self) -> tuple[int, ...]:
        """A cheap fingerprint of what is stored: batches, versions, recounts, tokens and revocations.

        It changes whenever a batch, a version or a token is stored, a new version's recount is
        done, a token is revoked, an agreement is terminated or a review recorded. Used to keep
        cached evaluations and token lookups only while nothing they read has changed. One
        statement, so one round trip per request.
        """
        with self._engine.connect() as conn:
            row = conn.execute(_GENERATION).one()
        return tuple(int(value or 0) for value in row)

    def newest_batches(self) -> list[tuple[str, int]]:
        """Each agreement with the instant its newest batch was stored, by name."""
        ledger = s.ledger
        query = select(ledger.c.agreement, func.max(ledger.c.stored_at)).group_by(ledger.c.agreement)
        with self._engine.connect() as conn:
            return [(row[0], int(row[1])) for row in conn.execute(query.order_by(ledger.c.agreement))]
