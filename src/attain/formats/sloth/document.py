"""The strict base of Sloth's document types, and validation that locates every problem."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from attain.errors import InvalidAgreement
from attain.formats.problem import problems_from_error
from attain.formats.source import SourceDocument

SlothModelT = TypeVar("SlothModelT", bound=BaseModel)


class SlothModel(BaseModel):
    """A part of a Sloth document: frozen, strict, and refusing unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def validate_document(model: type[SlothModelT], document: SourceDocument) -> SlothModelT:
    """The document's data as `model`.

    Raises:
        InvalidAgreement: Listing every field that is unknown, missing or of the wrong type.
    """
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise InvalidAgreement(problems_from_error(error, document, (), model)) from None
