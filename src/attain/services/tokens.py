"""Tokens: random secrets shown once, stored as keyed digests, with a role and maybe a party.

The API takes a token as `Authorization: Bearer ...` and the dashboard also from its sign-in
cookie; both turn it into a `Principal` here, below either of them.

A secret is `attain_` followed by 43 URL-safe characters (32 random bytes); the prefix lets secret
scanners find leaked ones. Only its digest is stored, so a leaked database does not leak usable
tokens; the first 12 characters are kept as a prefix so that people can tell their tokens apart in
`attain token list`.

The digest is HMAC-SHA256 under the server's pepper (`ATTAIN_TOKEN_PEPPER`, never in the database),
so that a database dump alone cannot even test a guessed secret. Without a pepper the digest is plain
sha256, as before the pepper existed. Migration: a token stored before the pepper was set is found
by its sha256 digest once and its row rewritten under the keyed digest (`find_token`). The lookup is
an equality on the keyed digest, and the row found is compared again with `hmac.compare_digest`
(`SqlAccess.token_by_digest`): what timing could reveal is about the digest, which an attacker without the
pepper can neither compute nor steer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import parse_version
from attain.ports import Store
from attain.storage.access import SqlAccess, StoredToken

SECRET_PREFIX = "attain_"  # noqa: S105 - the prefix every secret starts with
SHOWN_PREFIX = 12
"""How many leading characters of a secret are stored to recognise it by."""


class Role(StrEnum):
    """What a token may do.

    `admin` everything; `editor` (provider staff) agreements and data; `viewer` read everything;
    `customer` read the agreements whose customer is the token's party, and nothing else.
    """

    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's id, role and (for a customer) party name."""

    token_id: int
    role: Role
    party: str | None

    def sees(self, customer: str) -> bool:
        """Whether this principal may see an agreement whose customer party is named `customer`."""
        return self.role is not Role.CUSTOMER or customer == self.party


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret, shown once, and what was stored."""

    secret: str
    stored: StoredToken


def digest(secret: str, pepper: bytes | None) -> str:
    """The hex digest under which a secret is stored: HMAC-SHA256 keyed by `pepper`, or sha256 without one."""
    if pepper is None:
        return hashlib.sha256(secret.encode()).hexdigest()
    return hmac.new(pepper, secret.encode(), hashlib.sha256).hexdigest()


def find_token(access: SqlAccess, secret: str) -> StoredToken | None:
    """The stored token of a secret (any state), upgrading an unkeyed digest to the keyed one when found.

    Returns None for a secret without the `attain_` prefix or one that no token has.
    """
    if not secret.startswith(SECRET_PREFIX):
        return None
    keyed = digest(secret, access.pepper)
    stored = access.token_by_digest(keyed)
    if stored is None and access.pepper is not None:
        unkeyed = digest(secret, None)
        stored = access.token_by_digest(unkeyed)
        if stored is not None:
            access.rehash_token(stored.id, unkeyed, keyed)
    return stored


def issue_token(
    access: SqlAccess, role: str, party: str | None, label: str, now: int, expires_at: int | None
) -> IssuedToken:
    """Create and store a token; a customer token needs a party, other roles take none."""
    try:
        chosen = Role(role)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise InvalidInput(
            [Problem("<token>", None, None, "role", f"unknown role {role!r}", f"use one of {valid}")]
        ) from None
    if (chosen is Role.CUSTOMER) != bool(party):
        hint = "a customer token needs --party (the agreement's customer name); other roles take none"
        raise InvalidInput([Problem("<token>", None, None, "party", "party does not fit the role", hint)])
    if expires_at is not None and expires_at <= now:
        raise InvalidInput(
            [Problem("<token>", None, None, "expires", "the expiry is in the past", "give a future time")]
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    stored = access.add_token(
        digest(secret, access.pepper), secret[:SHOWN_PREFIX], chosen.value, party or None, label, now, expires_at
    )
    return IssuedToken(secret, stored)


def customer_parties(store: Store) -> list[str]:
    """The customer parties of the stored agreements (their latest versions), sorted, each once.

    A customer token sees the agreements whose customer is its party, so a party named here by
    no agreement gives a token that sees nothing.
    """
    return sorted({parse_version(v).spec.parties.customer.name for v in store.agreements()})


def authenticate(access: SqlAccess, secret: str, now: int) -> Principal | None:
    """The principal a secret stands for at `now`, or None (unknown, revoked or expired)."""
    stored = find_token(access, secret)
    if stored is None or not stored.usable(now):
        return None
    return Principal(stored.id, Role(stored.role), stored.party)


def ensure_admin(access: SqlAccess, now: int) -> IssuedToken | None:
    """Issue an admin token when no usable one exists (a fresh store), else None."""
    if any(t.role == Role.ADMIN.value and t.usable(now) for t in access.tokens()):
        return None
    return issue_token(access, Role.ADMIN.value, None, "first admin (attain serve)", now, None)
