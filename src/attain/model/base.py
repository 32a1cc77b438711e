"""The base of every model type: the frozen, strict, camelCase base class and the error every parser raises."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Strict
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError


class Frozen(BaseModel):
    """A frozen, strictly validated value whose field names are camelCase in documents.

    Strict mode means no silent coercion: `false` is not a number and `"5"` is not an integer.
    Fields that the format writes as text (percentages, durations, dates) declare their own
    parsers with `Annotated` validators (`attain.model.ratio`, `duration`, `date`, ...).
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
        # Validators are built on first use: a command that loads stored agreements from the cache
        # (`attain.services.agreement_cache`) never builds them, the others build those they use.
        defer_build=True,
    )


LAX = Strict(strict=False)
"""Marks a field whose document spelling is not its Python type: an enum written as its value
(`op: le`) or a tuple written as a YAML sequence. Items inside stay strict."""


def invalid(what: str, valid: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """Build the error every parser raises: what is wrong, and what would be valid.

    `at` locates the problem below the value being validated, e.g. `("credits", 1)` when an
    objective's validator finds a bad credit tier.
    """
    return PydanticCustomError("attain_invalid", "{what}", {"what": what, "valid": valid, "at": at})


def shown(value: object) -> str:
    """A document value as an error message quotes it: text in quotes, booleans as YAML writes them."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
