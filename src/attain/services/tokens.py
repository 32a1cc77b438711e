"""Tokens: random secrets shown once, stored as sha256 digests, with a role and maybe a party.

The API takes a token as `Authorization: Bearer ...` and the dashboard also from its sign-in
cookie; both turn it into a `Principal` here, below either of them.

A secret is `attain_` followed by 43 URL-safe characters (32 random bytes). Only its digest is
stored, so a leaked database does not leak usable tokens; the first 12 characters are kept as a
prefix so that people can tell their tokens apart in `attain token list`.
"""

from __future__ import annotations

import hashlib
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


def digest(secret: str) -> str:
    """The sha256 hex digest under which a secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


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
        digest(secret), secret[:SHOWN_PREFIX], chosen.value, party or None, label, now, expires_at
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
    if not secret.startswith(SECRET_PREFIX):
        return None
    stored = access.token_by_digest(digest(secret))
    if stored is None or not stored.usable(now):
        return None
    return Principal(stored.id, Role(stored.role), stored.party)


def ensure_admin(access: SqlAccess, now: int) -> IssuedToken | None:
    """Issue an admin token when no usable one exists (a fresh store), else None."""
    if any(t.role == Role.ADMIN.value and t.usable(now) for t in access.tokens()):
        return None
    return issue_token(access, Role.ADMIN.value, None, "first admin (attain serve)", now, None)
