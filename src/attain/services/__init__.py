"""The imperative shell: what the CLI (and later the API) calls.

`files` works on files alone (validate, explain, evaluate against measurement files); `store`
works on the store (apply, ingest, status, stored evaluations, the demo).
"""

from __future__ import annotations

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
