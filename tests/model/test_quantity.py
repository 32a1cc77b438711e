"""`attain.model.quantity` gathers the scalar types from the modules of their concepts."""

from __future__ import annotations

import importlib

import pytest

import attain.model.quantity

CONCEPTS = ("base", "date", "duration", "money", "number", "ratio", "slug")


@pytest.mark.parametrize("name", attain.model.quantity.__all__)
def test_each_name_is_the_one_of_its_concept_module(name: str) -> None:
    """Every re-exported name is the very object of its concept module, so both imports agree."""
    value = getattr(attain.model.quantity, name)
    homes = [c for c in CONCEPTS if getattr(importlib.import_module(f"attain.model.{c}"), name, None) is value]
    assert homes
