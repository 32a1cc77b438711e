"""Names written in agreements: RFC 1123 labels, usable in URLs and Prometheus labels."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from attain.model.base import invalid, shown

_SLUG = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def parse_slug(value: Any) -> str:
    """Accept an RFC 1123 label: lower-case letters, digits and inner hyphens, at most 63."""
    valid = "use lower-case letters, digits and '-', starting and ending with a letter or digit"
    if not isinstance(value, str):
        raise invalid(f"expected a name, got {shown(value)}", valid)
    if not _SLUG.match(value) or len(value) > 63:
        raise invalid(f"not a valid name: {value!r}", valid + " (at most 63 characters)")
    return value


Slug = Annotated[
    str,
    PlainValidator(parse_slug),
    WithJsonSchema({"type": "string", "pattern": _SLUG.pattern, "maxLength": 63}),
]
"""A name usable in URLs and Prometheus labels (RFC 1123 label)."""
