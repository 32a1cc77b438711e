"""Who a command acts for: the provider (the command line's own user) or, on its behalf, the customer.

The command line runs as `cli:<login>` for the provider. A step only the customer may take (accept a
provider's proposal, claim a credit, exercise a right) is recorded `--on-behalf` of the customer,
with how the customer said so; the note is kept with the step and in the audit trail.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from attain.actor import current_actor
from attain.engine.negotiation import Caller, Side
from attain.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from attain.ports import Store

ON_BEHALF_LIMIT = 120
"""The longest on-behalf note, in characters: it is kept in the actor's name."""


def caller(on_behalf: str | None) -> Caller:
    """The provider as this command line's user, or, with a note, the customer through that user.

    Raises:
        InvalidInput: the note is empty or longer than `ON_BEHALF_LIMIT`.
    """
    if on_behalf is None:
        return Caller(Side.PROVIDER, current_actor())
    note = " ".join(on_behalf.split())
    if not note or len(note) > ON_BEHALF_LIMIT:
        problem = f"say in at most {ON_BEHALF_LIMIT} characters how the customer said so"
        hint = "e.g. 'e-mail of 2026-12-04'"
        raise InvalidInput([Problem("<command line>", None, None, "--on-behalf", problem, hint)])
    return Caller(Side.CUSTOMER, f"{current_actor()} for the customer ({note})")


def open_store_engine() -> tuple[Store, Engine]:
    """The configured store and its engine (migrated to the latest revision), for the ledgers beside it."""
    from attain.services.proposals import open_negotiation  # noqa: PLC0415 - SQLAlchemy only for store commands
    from attain.settings import Settings  # noqa: PLC0415

    store, proposals = open_negotiation(Settings.from_environ(os.environ, Path.cwd()))
    return store, proposals.engine
