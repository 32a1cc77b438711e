"""Credit tiers checked from the document alone, whatever else in it is wrong.

The model checks an objective's tiers together only once the whole objective is valid, so a
wrong window or indicator would hide an overlap. Here each tier and target is read on its own
from the document's data and `tier_findings` runs over the tiers that read; its errors join the
document's other problems and its warnings (a gap between tiers) are reported beside them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from attain.errors import Problem
from attain.formats.source import Path, SourceDocument
from attain.model.credit import CreditTier, TierFinding, tier_findings
from attain.model.quantity import Ratio

_RATIO: TypeAdapter[Decimal] = TypeAdapter(Ratio)


def tier_problems(document: SourceDocument, root: Path = ()) -> tuple[list[Problem], list[Problem]]:
    """The errors and the warnings about every objective's credit tiers in the agreement at `root`.

    Tiers that do not read on their own (a bad edge, a missing credit) are left out here: the
    validation of the document reports them.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for index, entry in enumerate(_objectives(document.data, root)):
        base = (*root, "spec", "objectives", index)
        for finding in _findings(entry):
            problem = document.problem((*base, *finding.at), finding.what, finding.valid)
            (warnings if finding.warning else errors).append(problem)
    return errors, warnings


def _findings(entry: Any) -> list[TierFinding]:
    if not isinstance(entry, dict) or not isinstance(entry.get("credits"), list):
        return []
    read: list[tuple[int, CreditTier]] = []
    for position, data in enumerate(entry["credits"]):
        try:
            read.append((position, CreditTier.model_validate(data, by_alias=True, by_name=False)))
        except ValidationError:
            continue
    findings = tier_findings(tuple(tier for _, tier in read), _target(entry.get("target")))
    # tier_findings numbers the tiers it was given; put back each tier's place in the document.
    return [
        TierFinding(("credits", read[int(f.at[1])][0], *f.at[2:]), f.what, f.valid, warning=f.warning) for f in findings
    ]


def _target(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return _RATIO.validate_python(value)
    except ValidationError:
        return None


def _objectives(data: Any, root: Path) -> list[Any]:
    for part in root:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int):
            data = data[part]
    spec = data.get("spec") if isinstance(data, dict) else None
    objectives = spec.get("objectives") if isinstance(spec, dict) else None
    return objectives if isinstance(objectives, list) else []
