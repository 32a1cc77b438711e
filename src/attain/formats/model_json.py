"""The validated agreement as JSON, stored beside its YAML document so that loading needs no YAML parse.

Kept apart from `attain.formats.native` so that reading stored versions (`attain status`) loads
neither the YAML library nor the document checks; `native` re-exports these names.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import attain.model as model_package

if TYPE_CHECKING:
    from attain.model import Agreement


@functools.cache
def model_revision() -> str:
    """A fingerprint of the agreement model's code: stored model JSON of another revision is not trusted.

    The sha256 of the sources of `attain.model`, so that any change to the model (a field, a
    default, a validator) makes a stored `dump_model` text stale, to be parsed again from its YAML.
    Computed once per process.
    """
    hashed = hashlib.sha256()
    for path in sorted(Path(model_package.__file__).parent.glob("*.py")):
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def dump_model(agreement: Agreement) -> str:
    """The validated agreement as JSON (document spelling), which `load_model` reads back equal, quickly.

    Stored beside the canonical YAML so that loading a stored version needs no YAML parse (a
    100-objective agreement: a few ms instead of a tenth of a second).
    """
    return agreement.model_dump_json(by_alias=True)


def load_model(text: str) -> Agreement:
    """An agreement from `dump_model`'s JSON, validated again (pydantic's JSON mode)."""
    from attain.model import Agreement  # noqa: PLC0415 - the model's revision is read without building it

    return Agreement.model_validate_json(text, by_alias=True, by_name=False)
