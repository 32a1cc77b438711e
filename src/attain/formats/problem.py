"""Turning pydantic's validation errors into located, actionable problems.

Each error's location is walked through the document's data (skipping the tags pydantic adds
for tagged unions) to find the line and column; its type is translated into what is wrong and
what would be valid. Unknown fields list the fields that are valid at that place, read from the
JSON Schema of the type being validated.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from attain.errors import Problem
from attain.formats.source import Path, SourceDocument
from attain.model.indicator import INDICATOR_KINDS

_PLAIN = {
    "string_type": ("expected text", "quote the value"),
    "int_type": ("expected a whole number", "write digits only, e.g. 3"),
    "bool_type": ("expected true or false", "write true or false"),
    "dict_type": ("expected a mapping of keys to values", "write key: value lines"),
    "model_type": ("expected a mapping of keys to values", "write key: value lines"),
    "model_attributes_type": ("expected a mapping of keys to values", "write key: value lines"),
    "list_type": ("expected a list", "write a YAML list: [a, b] or lines starting with '- '"),
    "tuple_type": ("expected a list", "write a YAML list: [a, b] or lines starting with '- '"),
    "too_short": ("must not be empty", "give at least one entry"),
    "missing": ("is required", "add this field"),
    "union_tag_not_found": ("kind is missing", "add kind:"),
}


def problems_from_error(
    error: ValidationError, document: SourceDocument, root: Path, model: type[BaseModel]
) -> list[Problem]:
    """Translate every error of `error` into a Problem located in `document` under `root`."""
    problems: list[Problem] = []
    schema = model.model_json_schema(by_alias=True)
    for item in error.errors(include_url=False):
        ctx = item.get("ctx") or {}
        if item["type"] in ("attain_references", "attain_problems"):
            base = _data_path(document, root, tuple(item["loc"]))
            for sub, what, valid in ctx["problems"]:
                problems.append(document.problem((*base, *sub), what, valid))
            continue
        path = _data_path(document, root, tuple(item["loc"]))
        problems.append(_one(item, ctx, path, document, schema, root))
    ordered = sorted(_without_echoes(problems), key=lambda p: (p.line or 0, p.column or 0))
    return _merge_alternatives(_unique(ordered))


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """Fold the errors of a union's members at one place into one: "expected text or a list"."""
    merged: list[Problem] = []
    for problem in problems:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and (previous.line, previous.column, previous.path) == (problem.line, problem.column, problem.path)
            and previous.message.startswith("expected ")
            and problem.message.startswith("expected ")
        ):
            left, _, got = previous.message.rpartition(", got ")
            right = problem.message.rpartition(", got ")[0]
            message = f"{left} or {right.removeprefix('expected ')}, got {got}"
            merged[-1] = Problem(problem.file, problem.line, problem.column, problem.path, message, previous.hint)
        else:
            merged.append(problem)
    return merged


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop "must not be empty" on a list whose entries were rejected: it only echoes them."""
    paths = [p.path for p in problems]
    return [
        p for p in problems if not (p.message == "must not be empty" and any(q.startswith(p.path + "[") for q in paths))
    ]


def _one(
    item: Any, ctx: dict[str, Any], path: Path, document: SourceDocument, schema: dict[str, Any], root: Path
) -> Problem:
    kind = item["type"]
    if kind == "attain_invalid":
        return document.problem((*path, *ctx.get("at", ())), str(ctx["what"]), str(ctx["valid"]))
    if kind == "extra_forbidden":
        allowed = _allowed_keys(schema, document, root, path[len(root) : -1])
        hint = f"valid fields here: {', '.join(allowed)}" if allowed else "remove it"
        return document.problem(path, f"unknown field {path[-1]!r}", hint, key=True)
    if kind in ("enum", "literal_error"):
        return document.problem(path, f"unknown value {item['input']!r}", f"use one of {ctx.get('expected')}")
    if kind == "union_tag_invalid":
        return document.problem(
            (*path, "kind"), f"unknown kind {ctx.get('tag')!r}", f"use one of {ctx.get('expected_tags')}"
        )
    if kind == "missing":
        name = path[-1] if path else "value"
        return document.problem(path, "is required", f"add {name}:")
    message, hint = _PLAIN.get(kind, (str(item["msg"]), "see docs/format.md"))
    if kind in _PLAIN and kind not in ("missing", "too_short"):
        message = f"{message}, got {_shown(item.get('input'))}"
    if kind == "string_pattern_mismatch":
        message = f"{_shown(item.get('input'))} does not match the pattern {ctx.get('pattern')}"
    elif kind.startswith(("greater_", "less_", "string_too", "too_long")):
        text = str(item["msg"]).replace("Input should", "must").replace("Value should", "must")
        message = f"{text[:1].lower()}{text[1:]}, got {_shown(item.get('input'))}"
    return document.problem(path, message, hint)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _data_path(document: SourceDocument, root: Path, loc: Path) -> Path:
    """Follow `loc` through the data, dropping the labels pydantic adds for union members."""
    current: Any = document.data
    for part in root:
        current = current[part] if _has(current, part) else None
    path = list(root)
    for position, part in enumerate(loc):
        if _has(current, part):
            current = current[part]
            path.append(part)
        elif _is_label(part, current, last=position == len(loc) - 1):
            continue
        else:
            path.append(part)
            current = None
    return tuple(path)


_TYPE_LABELS = frozenset({"str", "int", "bool", "float", "decimal", "dict", "list", "tuple", "none"})


def _is_label(part: str | int, current: Any, *, last: bool) -> bool:
    """Whether a location part names a union member (a tag or a type), not a key of the data."""
    if not isinstance(part, str):
        return False
    if part in _TYPE_LABELS or "[" in part or part in INDICATOR_KINDS or part.endswith("-window"):
        return True
    return isinstance(current, dict) and not last


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _allowed_keys(schema: dict[str, Any], document: SourceDocument, root: Path, rel: Path) -> list[str]:
    """The property names the schema allows at `rel`, choosing union branches by the data."""
    defs = schema.get("$defs", {})
    node: Any = schema
    data: Any = document.data
    for part in root:
        data = data[part] if _has(data, part) else None
    for part in rel:
        node = _resolve(node, defs, data)
        data = data[part] if _has(data, part) else None
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            properties = node.get("properties", {})
            node = properties.get(part) or node.get("additionalProperties") or {}
    node = _resolve(node, defs, data)
    return sorted(node.get("properties", {}))


def _resolve(node: Any, defs: dict[str, Any], data: Any) -> Any:
    for _ in range(20):
        if not isinstance(node, dict):
            return {}
        if "$ref" in node:
            node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
        elif "anyOf" in node or "oneOf" in node:
            node = _branch(node, defs, data)
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return node
    return node


def _branch(node: dict[str, Any], defs: dict[str, Any], data: Any) -> Any:
    branches = node.get("oneOf") or node.get("anyOf") or []
    mapping = (node.get("discriminator") or {}).get("mapping", {})
    if isinstance(data, dict) and data.get("kind") in mapping:
        return {"$ref": mapping[data["kind"]]}
    keys = set(data) if isinstance(data, dict) else set()
    resolved = [_resolve(b, defs, data) if "$ref" in b else b for b in branches]
    objects = [b for b in resolved if isinstance(b, dict) and "properties" in b]
    if not objects:
        return resolved[0] if resolved else {}
    return max(objects, key=lambda b: len(keys & set(b["properties"])))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    result = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            result.append(problem)
    return result
