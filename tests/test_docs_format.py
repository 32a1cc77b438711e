"""docs/format.md stays true to the model: its examples load and it names every field."""

from __future__ import annotations

import copy
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from attain.formats.native import parse_agreement
from attain.formats.source import SourceDocument, read_text
from attain.model import Agreement, AgreementSpec, Objective

DOC = Path(__file__).resolve().parents[1] / "docs" / "format.md"

_FENCE = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _yaml_blocks() -> list[str]:
    """Every ```yaml block of the reference, in order."""
    return _FENCE.findall(DOC.read_text(encoding="utf-8"))


def _first_line(block: str) -> str:
    """The block's first line that is neither blank nor a comment."""
    for line in block.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return ""


def _is_agreement(block: str) -> bool:
    """Whether the block is a complete agreement (starts with `apiVersion: attain/v1`)."""
    return _first_line(block) == "apiVersion: attain/v1"


AGREEMENTS = [block for block in _yaml_blocks() if _is_agreement(block)]
FRAGMENTS = [block for block in _yaml_blocks() if not _is_agreement(block)]


def _label(block: str) -> str:
    """A short test id: the block's first meaningful line."""
    return _first_line(block)[:40] or "empty"


def _models(annotation: object, found: dict[type[BaseModel], None]) -> None:
    """Collect the model classes reachable from `annotation` into `found` (in discovery order)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found[annotation] = None
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def _aliases() -> list[tuple[str, str]]:
    """(model name, document field name) of every field reachable from Agreement."""
    found: dict[type[BaseModel], None] = {}
    _models(Agreement, found)
    return [(model.__name__, field.alias or name) for model in found for name, field in model.model_fields.items()]


def test_the_reference_exists_and_has_examples() -> None:
    """The reference has at least one complete agreement and a fragment per section."""
    assert DOC.is_file()
    assert AGREEMENTS, "docs/format.md needs a ```yaml block starting with apiVersion: attain/v1"
    assert len(FRAGMENTS) >= 20


@pytest.mark.parametrize("block", AGREEMENTS, ids=_label)
def test_every_complete_example_is_a_valid_agreement(block: str) -> None:
    """Each complete example in the reference parses as an attain/v1 agreement without error."""
    agreement = parse_agreement(read_text(block, "docs/format.md")[0])
    assert agreement.objectives


def test_the_model_walk_reaches_every_part() -> None:
    """The field walk finds models behind unions, tuples and dicts, so the alias check is complete."""
    found: dict[type[BaseModel], None] = {}
    _models(Agreement, found)
    names = {model.__name__ for model in found}
    assert {"CaseClock", "CalendarWindow", "BusinessCalendar", "BreachCount", "MetricSource"} <= names
    assert ("Effective", "from") in _aliases()


@pytest.mark.parametrize(("model", "alias"), _aliases(), ids=str)
def test_every_field_is_documented(model: str, alias: str) -> None:
    """Every document field name of every model type appears in backticks in the reference."""
    assert f"`{alias}`" in DOC.read_text(encoding="utf-8"), f"{model}.{alias} is not documented"


@pytest.mark.parametrize("block", FRAGMENTS, ids=_label)
def test_every_fragment_is_valid_yaml(block: str) -> None:
    """Each YAML fragment in the reference reads under attain's YAML 1.2 rules."""
    documents = read_text(block, "docs/format.md")
    assert documents
    assert all(document.data is not None for document in documents)


def _document_fields(model: type[BaseModel]) -> set[str]:
    """The document field names of one model type."""
    return {field.alias or name for name, field in model.model_fields.items()}


def _merged(fragment: dict[str, Any]) -> dict[str, Any] | None:
    """The reference's smallest agreement with `fragment` put in its place, or None if it has no place.

    Top-level keys of a fragment are agreement fields (`metadata`, `spec`), spec fields
    (`calendars`, `objectives`, ...) or fields of the smallest agreement's one objective
    (`indicator`, `credits`, ...). A business calendar named `office` is added for case indicators.
    """
    data: dict[str, Any] = copy.deepcopy(read_text(AGREEMENTS[0])[0].data)
    spec = data["spec"]
    spec["calendars"] = {"office": {"timeZone": "UTC", "hours": {"mon-fri": ["09:00-17:00"]}}}
    objective = spec["objectives"][0]
    for key, value in fragment.items():
        if key == "metadata":
            data[key] = value
        elif key == "spec":
            spec.update(value)
        elif key in _document_fields(AgreementSpec):
            spec[key] = value
        elif key in _document_fields(Objective):
            objective[key] = value
            if key == "indicator" and isinstance(value, dict) and value.get("kind") == "statistic":
                objective.pop("target", None)
        else:
            return None
    return data


def _section_fragments() -> list[str]:
    """The fragments that are one mapping, i.e. all but multi-document examples such as OpenSLO's."""
    result = []
    for block in FRAGMENTS:
        documents = read_text(block, "docs/format.md")
        if len(documents) == 1 and isinstance(documents[0].data, dict):
            result.append(block)
    return result


@pytest.mark.parametrize("block", _section_fragments(), ids=_label)
def test_every_section_fragment_fits_the_smallest_agreement(block: str) -> None:
    """Each one-document fragment, put into the smallest agreement, makes a valid agreement."""
    data = _merged(read_text(block, "docs/format.md")[0].data)
    assert data is not None, "the fragment's top-level keys are not agreement, spec or objective fields"
    parse_agreement(SourceDocument("docs/format.md", 0, data))
