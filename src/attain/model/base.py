"""The base class of every model type: frozen, strict, camelCase on the outside."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Strict
from pydantic.alias_generators import to_camel


class Frozen(BaseModel):
    """A frozen, strictly validated value whose field names are camelCase in documents.

    Strict mode means no silent coercion: `false` is not a number and `"5"` is not an integer.
    Fields that the format writes as text (percentages, durations, dates) declare their own
    parsers with `Annotated` validators in `attain.model.quantity`.
    """

    model_config = ConfigDict(
        strict=True,
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        use_enum_values=False,
        ser_json_timedelta="iso8601",
    )


LAX = Strict(strict=False)
"""Marks a field whose document spelling is not its Python type: an enum written as its value
(`op: le`) or a tuple written as a YAML sequence. Items inside stay strict."""
