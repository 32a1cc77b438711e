"""The imperative shell: what the CLI (and later the API) calls.

`files` works on files alone (validate, explain, evaluate against measurement files); `store`
works on the store (apply, ingest, status, stored evaluations, the demo).

The names below are imported on first use (PEP 562), so that importing one service module
(`attain.services.store` for `attain status`) does not load the YAML reader and the file
services with the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attain.formats.bundle import load_agreement
    from attain.services.files import (
        agreement_schema,
        copy_samples,
        create_from_template,
        evaluate_file,
        explain_file,
        schema_text,
        validate_files,
    )

_HOMES = {"load_agreement": "attain.formats.bundle"} | dict.fromkeys(
    (
        "agreement_schema",
        "copy_samples",
        "create_from_template",
        "evaluate_file",
        "explain_file",
        "schema_text",
        "validate_files",
    ),
    "attain.services.files",
)
"""Where each re-exported name lives."""

__all__ = [
    "agreement_schema",
    "copy_samples",
    "create_from_template",
    "evaluate_file",
    "explain_file",
    "load_agreement",
    "schema_text",
    "validate_files",
]


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
