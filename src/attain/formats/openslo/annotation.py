"""The annotations that carry in OpenSLO what OpenSLO cannot state, as compact JSON under `attain.dev/`.

Keys: `attain.dev/agreement` on the agreement's Service (with `SPLIT_KEYS` beside it),
`attain.dev/service` on each service's Service, `attain.dev/objective` or `attain.dev/fields` on
an SLO. Values are JSON read back with exact decimals.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from attain.errors import InvalidAgreement, Problem
from attain.formats.openslo import v1
from attain.formats.openslo.decode import OpenSLOObject

PREFIX = "attain.dev/"
AGREEMENT_KEY = f"{PREFIX}agreement"
SERVICE_KEY = f"{PREFIX}service"
OBJECTIVE_KEY = f"{PREFIX}objective"
FIELDS_KEY = f"{PREFIX}fields"
SPLIT_KEYS: dict[str, str] = {
    "parties": f"{PREFIX}parties",
    "calendars": f"{PREFIX}calendars",
    "exclusions": f"{PREFIX}exclusions",
    "termination": f"{PREFIX}termination",
    "creditPolicy": f"{PREFIX}credit-policy",
}
"""Agreement spec fields carried under their own annotation key, by their document name."""

_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def object_metadata(
    name: str, title: str | None, labels: dict[str, str], annotations: dict[str, str]
) -> dict[str, Any]:
    """An object's `metadata`: its name, display name (the title), labels and annotations (when any)."""
    data: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if title is not None:
        data["displayName"] = title
    if annotations:
        data["annotations"] = annotations
    return data


def annotations_of(obj: OpenSLOObject) -> dict[str, str]:
    """The annotations of a decoded object; empty when it has none."""
    metadata = obj.model.metadata
    return metadata.annotations or {} if isinstance(metadata, v1.Metadata) else {}


def dump_annotation(value: Any) -> str:
    """Compact JSON, non-ASCII kept, with characters YAML folds or refuses written as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def load_annotation(text: str) -> Any:
    """JSON text with decimals read exactly, as attain's ratios and money require."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidAgreement([annotation_problem(f"an annotation is not JSON: {error}", "re-export it")]) from None


def annotation_problem(message: str, hint: str) -> Problem:
    """The problem of exported objects that do not read back, located at their annotations."""
    return Problem("<openslo>", None, None, "metadata.annotations", message, hint)
