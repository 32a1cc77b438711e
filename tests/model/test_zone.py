"""Time zones are IANA names from the tz database; a misspelt one is refused with the closest names."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError

from attain.errors import InvalidAgreement
from attain.model.zone import parse_time_zone
from attain.testing import agreement, agreement_model, ratio_objective


def test_known_names_are_accepted_as_written() -> None:
    """UTC, Europe/Berlin and Asia/Shanghai are names of the tz database and come back unchanged."""
    assert [parse_time_zone(z) for z in ("UTC", "Europe/Berlin", "Asia/Shanghai")] == [
        "UTC",
        "Europe/Berlin",
        "Asia/Shanghai",
    ]


def test_a_misspelt_name_suggests_the_closest() -> None:
    """`Europe/Berln` is refused, and the first suggestion is Europe/Berlin."""
    with pytest.raises(InvalidAgreement) as raised:
        agreement_model(agreement(time_zone="Europe/Berln", objectives=[ratio_objective()]))
    [problem] = raised.value.problems
    assert (problem.path, problem.message) == ("spec.timeZone", "unknown time zone 'Europe/Berln'")
    assert problem.hint.startswith("did you mean Europe/Berlin or ")


def test_an_unknown_name_without_neighbours_gets_an_example() -> None:
    """A name like nothing in the database is refused with an example of a valid one."""
    with pytest.raises(InvalidAgreement) as raised:
        agreement_model(agreement(time_zone="Mars/Olympus", objectives=[ratio_objective()]))
    assert [(p.path, p.message, p.hint) for p in raised.value.problems] == [
        ("spec.timeZone", "unknown time zone 'Mars/Olympus'", "use an IANA name such as Asia/Shanghai")
    ]


@pytest.mark.parametrize("value", [8, None, "utc+8", ""])
def test_anything_else_is_refused(value: object) -> None:
    """Offsets as numbers, nothing, an offset spelt as text and the empty name are not zones."""
    with pytest.raises(PydanticCustomError, match="unknown time zone"):
        parse_time_zone(value)
