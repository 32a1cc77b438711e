"""The native `attain/v1` format: YAML documents in, `Agreement` out, and back.

`parse_agreement` validates one document (`agreement_warnings` says what is doubtful in it);
`dump_agreement` writes the canonical YAML, which reads back to an equal agreement.
"""

from __future__ import annotations

import io
from typing import Any

from pydantic import ValidationError

from attain.errors import InvalidAgreement, Problem
from attain.formats.emitter import yaml_writer
from attain.formats.problem import problems_from_error
from attain.formats.source import SourceDocument
from attain.formats.tiers import tier_problems
from attain.model import Agreement


def is_agreement(data: Any) -> bool:
    """Whether a document declares itself an attain agreement."""
    return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("attain/")


def parse_agreement(document: SourceDocument, root: tuple[str | int, ...] = ()) -> Agreement:
    """Validate the document's data (or the part at `root`) as an agreement."""
    data = document.data
    for part in root:
        data = data[part]
    if isinstance(data, dict) and data.get("apiVersion") not in (None, "attain/v1"):
        raise InvalidAgreement(
            [document.problem((*root, "apiVersion"), f"unsupported apiVersion {data['apiVersion']!r}", "use attain/v1")]
        )
    try:
        return Agreement.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as error:
        found = problems_from_error(error, document, root, Agreement)
        # Tier overlaps are checked with the whole objective; an error elsewhere in it hides them.
        seen = {str(p) for p in found}
        hidden = [p for p in tier_problems(document, root)[0] if str(p) not in seen]
        ordered = sorted(found + hidden, key=lambda p: (p.line or 0, p.column or 0))
        raise InvalidAgreement(ordered) from None


def agreement_warnings(document: SourceDocument, root: tuple[str | int, ...] = ()) -> list[Problem]:
    """What is doubtful but not wrong in the agreement at `root`: today, gaps between credit tiers."""
    return tier_problems(document, root)[1]


def agreement_data(agreement: Agreement) -> dict[str, Any]:
    """The agreement as plain data in document spelling, defaults left out, `kind` first."""
    data: dict[str, Any] = _kind_first(agreement.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    return data


def _kind_first(data: Any) -> Any:
    if isinstance(data, dict):
        ordered = {"kind": data["kind"]} if "kind" in data else {}
        return ordered | {k: _kind_first(v) for k, v in data.items() if k != "kind"}
    if isinstance(data, list):
        return [_kind_first(item) for item in data]
    return data


def dump_agreement(agreement: Agreement) -> str:
    """Write the agreement as canonical `attain/v1` YAML."""
    data = agreement_data(agreement)
    return dump_yaml({"apiVersion": "attain/v1", **data})


def dump_yaml(data: Any) -> str:
    """Write plain data as block-style YAML 1.2 with keys in the given order.

    Text holding a character that YAML treats as a line break (NEL, LS, PS), key or value, is
    written double quoted with escapes, so that it reads back exactly (`formats.emitter`).
    """
    stream = io.StringIO()
    yaml_writer("rt").dump(data, stream)
    return stream.getvalue()
