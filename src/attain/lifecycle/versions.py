"""Stored agreement versions: loading them from a store, parsing them, and putting them in force.

The one place that turns a store's `AgreementVersion` records into agreements in force. The pure
rules it applies live in `attain.engine.versions` (the engine evaluates versions, and the storage
layer, which may not import this package, checks new versions by the same rule):

- Order: a store lists an agreement's versions by version number, oldest first; effective dates
  rise strictly with the number (`attain.engine.versions.supersede`, checked when a version is
  stored), so that order is also the order in which they take effect.
- In force: each version from the local midnight that begins its effective date, in its own time
  zone, until the next version's start (`attain.engine.versions.in_force`).
- Parsing: from the validated model JSON stored beside the document when it was written by this
  model revision, else from the canonical YAML document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from attain.errors import InvalidInput, Problem
from attain.formats.model_json import load_model, model_revision
from attain.stored_version import AgreementVersion

if TYPE_CHECKING:
    from attain.engine.versions import InForce
    from attain.model import Agreement
    from attain.ports import Store, VersionReader

Parse = Callable[[AgreementVersion], "Agreement"]
"""Turns a stored version into its agreement: `parse_version`, or a memo's cached parse."""


def stored_versions(store: VersionReader, name: str) -> list[AgreementVersion]:
    """Every stored version of an agreement, oldest first.

    Raises:
        InvalidInput: no agreement of that name is stored (the message lists the stored ones).
    """
    versions = sorted(store.versions(name), key=lambda v: v.version)
    if not versions:
        known = ", ".join(v.name for v in store.agreements()) or "none yet"
        hint = f"run `attain apply FILE` first (stored: {known})"
        raise InvalidInput([Problem("<store>", None, None, "agreement", f"no stored agreement named {name!r}", hint)])
    return versions


def parse_version(version: AgreementVersion) -> Agreement:
    """A stored version's agreement: from its model JSON when stored by this model revision, else its YAML."""
    if version.model is not None and version.model_revision == model_revision():
        return load_model(version.model)
    # the YAML reader loads only for a version stored under another model revision
    from attain.formats.native import parse_agreement  # noqa: PLC0415
    from attain.formats.source import read_text  # noqa: PLC0415

    return parse_agreement(read_text(version.document, f"{version.name} v{version.version}")[0])


def stored_agreements(store: Store, name: str) -> list[Agreement]:
    """Every stored version of an agreement, oldest first, parsed.

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    return [parse_version(v) for v in stored_versions(store, name)]


def latest_agreement(store: VersionReader, name: str, parse: Parse | None = None) -> Agreement:
    """The agreement of the latest stored version (only that one is parsed, by `parse`, else `parse_version`).

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    return (parse or parse_version)(stored_versions(store, name)[-1])


def versions_in_force(versions: Sequence[AgreementVersion], parse: Parse = parse_version) -> list[InForce]:
    """Stored versions (oldest first) parsed by `parse`, each with the instants it is in force."""
    from attain.engine.versions import in_force  # noqa: PLC0415 - the whole engine; `summary` reads no version in force

    return in_force([parse(v) for v in versions])


def load_in_force(store: Store, name: str) -> list[InForce]:
    """Every stored version of an agreement, parsed and in force (see the module docstring).

    Raises:
        InvalidInput: no agreement of that name is stored.
    """
    return versions_in_force(stored_versions(store, name))
