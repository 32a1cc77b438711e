"""A stored agreement version as the store hands it out, apart from the other ports.

`attain.ports` re-exports it; the read commands import it from here, so that reading versions does
not build every port's record and protocol (about 15 ms of `attain summary`'s start-up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AgreementVersion:
    """One stored version of an agreement: the canonical document and when it is in force.

    `version` counts the stored versions of the agreement from 1; `effective_from` is the date the
    document states, and `effective_until` the day before the next version takes effect (None for
    the latest). A version never changes once stored.
    """

    name: str
    version: int
    document: str
    """The canonical `attain/v1` YAML (`attain.formats.native.dump_agreement`)."""
    digest: str
    """sha256 of `document`, hex."""
    effective_from: date
    effective_until: date | None
    status: str
    stored_at: int
    model: str | None = None
    """The validated agreement as JSON (`attain.formats.model_json.dump_model`), when stored with it."""
    model_revision: str | None = None
    """The `model_revision` the JSON was written under; another revision's JSON is not used."""
    recounted_at: int | None = None
    """When the minute counts were recounted for this version (None: a recount is still owed)."""
