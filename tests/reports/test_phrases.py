"""The phrase table: one lookup over modules by concept, every phrase in both languages with the same slots."""

from __future__ import annotations

from string import Formatter
from types import ModuleType

import pytest

from attain.reports import phrases


def _slots(text: str) -> set[tuple[str, str | None]]:
    """The `{name}` and `{name!r}` slots of a phrase, with their conversions."""
    return {(name, conversion) for _, name, _, conversion in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("part", phrases.PARTS, ids=lambda part: part.__name__.rsplit(".", 1)[-1])
def test_every_phrase_of_a_part_exists_in_both_languages_with_the_same_slots(part: ModuleType) -> None:
    """Each phrase module has the same keys in English and Chinese, no empty phrase, and the same slots."""
    english, chinese = part.EN, part.ZH_CN
    assert english.keys() == chinese.keys()
    for key, text in english.items():
        assert text, key
        assert chinese[key], key
        assert _slots(text) == _slots(chinese[key]), key


def test_no_phrase_is_defined_in_two_modules() -> None:
    """A key belongs to one concept's module, so the joined table never silently overrides a phrase."""
    seen: dict[str, str] = {}
    for part in phrases.PARTS:
        for key in part.EN:
            assert key not in seen, f"{key} is in {seen.get(key)} and {part.__name__}"
            seen[key] = part.__name__
    assert seen.keys() == phrases.PHRASES["en"].keys() == phrases.PHRASES["zh-CN"].keys()
