"""Who may do what: the actions routes and pages require, and which roles hold them.

Every API route and dashboard page declares its action (`require(...)`, `require_page(...)`); a
test walks every route and fails if one has no policy. A customer holds only `READ` and
`NEGOTIATE`, and only on agreements whose customer party is its own: a foreign agreement answers 404, exactly like an
unknown one, so a customer cannot even learn that it exists.
"""

from __future__ import annotations

from enum import StrEnum

from attain.services.tokens import Role


class Action(StrEnum):
    """What a route does, for the policy check."""

    READ = "read"
    """Read an agreement and its results (customers: their own only)."""
    OPERATE = "operate"
    """Read what is provider-wide: metrics, every agreement's ledger."""
    WRITE_AGREEMENTS = "write:agreements"
    """Create agreement versions."""
    WRITE_DATA = "write:data"
    """Push measurements."""
    NEGOTIATE = "negotiate"
    """Propose, accept, reject and withdraw changes (customers: on their own agreements)."""
    ADMIN = "admin"
    """Manage tokens."""


GRANTS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.EDITOR: frozenset({Action.READ, Action.OPERATE, Action.WRITE_AGREEMENTS, Action.WRITE_DATA, Action.NEGOTIATE}),
    Role.VIEWER: frozenset({Action.READ, Action.OPERATE}),
    Role.CUSTOMER: frozenset({Action.READ, Action.NEGOTIATE}),
}


def allows(role: Role, action: Action) -> bool:
    """Whether the role holds the action."""
    return action in GRANTS[role]
