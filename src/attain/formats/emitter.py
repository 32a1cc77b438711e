r"""YAML writers whose text reads back exactly: NEL, LS and PS are always written as escapes.

YAML 1.1 takes U+0085 (NEL), U+2028 (LS) and U+2029 (PS) for line breaks and folds them in plain,
single-quoted and block scalars, and attain's reader refuses them raw (`formats.source`). Every
YAML text attain writes (`attain/v1` agreements, `attain import`, OpenSLO export, Prometheus rules)
comes from `yaml_writer`, whose representer writes a string holding one of them, key or value,
double quoted, where the emitter writes them as `\N`, `\L` and `\P`. Comments cannot escape,
so `comment_text` writes them there as `\u0085`, `\u2028`, `\u2029`. (attain's reader refuses
NEL even escaped, as a C1 control character; it is escaped all the same, for other readers.)
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter, SafeRepresenter

BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML folds as line breaks outside double quotes, and attain's reader refuses raw."""


def has_break(text: str) -> bool:
    """Whether `text` holds NEL, LS or PS."""
    return any(c in text for c in BREAKS)


def _represent_str(representer: SafeRepresenter, data: str) -> ScalarNode:
    style = '"' if has_break(data) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class EscapingSafeRepresenter(SafeRepresenter):
    """The safe representer, with text holding a break double quoted and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - every value is written out
        """Always: attain's reader refuses anchors and aliases, so an object met twice is written twice."""
        return True


class EscapingRoundTripRepresenter(RoundTripRepresenter):
    """The round-trip representer, with text holding a break double quoted and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - every value is written out
        """Always: attain's reader refuses anchors and aliases, so an object met twice is written twice."""
        return True


EscapingSafeRepresenter.add_representer(str, _represent_str)
EscapingRoundTripRepresenter.add_representer(str, _represent_str)


def yaml_writer(typ: str = "safe", width: int = 100) -> YAML:
    """A block-style YAML writer (unicode kept, `width` columns) that escapes NEL, LS and PS.

    Args:
        typ: `safe` (plain data, keys in the given order) or `rt` (ruamel's scalar string types).
        width: The line width the emitter folds at.
    """
    yaml = YAML(typ=typ, pure=True)
    yaml.Representer = EscapingSafeRepresenter if typ == "safe" else EscapingRoundTripRepresenter
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = width
    if typ == "safe":
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    return yaml


def comment_text(text: str) -> str:
    r"""Text for a YAML comment line: line feeds as spaces, NEL, LS and PS as `\uXXXX` escapes."""
    flat = text.replace("\r", " ").replace("\n", " ")
    for c in BREAKS:
        flat = flat.replace(c, f"\\u{ord(c):04x}")
    return flat
