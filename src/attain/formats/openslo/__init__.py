"""OpenSLO support: decode, validate, encode and convert to attain objectives.

Supported apiVersions are `openslo/v1` (every kind), `openslo/v1alpha` (Service, SLO) and
`openslo.com/v2alpha` (every kind). `decode` checks the shape of each object, `validate_openslo`
checks what the reference validator `oslo validate` checks, and `objective_data` turns an
`openslo/v1` SLO into attain objectives.
"""

from __future__ import annotations

from attain.formats.openslo.base import parse_shorthand
from attain.formats.openslo.convert import objective_data
from attain.formats.openslo.decode import (
    MODELS,
    OpenSLOObject,
    decode,
    dump_openslo,
    encode,
    load_openslo_file,
)
from attain.formats.openslo.validate import findings_each, validate_each, validate_openslo, warn_openslo

__all__ = [
    "MODELS",
    "OpenSLOObject",
    "decode",
    "dump_openslo",
    "encode",
    "findings_each",
    "load_openslo_file",
    "objective_data",
    "parse_shorthand",
    "validate_each",
    "validate_openslo",
    "warn_openslo",
]
