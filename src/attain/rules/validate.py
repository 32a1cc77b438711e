"""What `sloth validate` checks on loaded SLOs, located in their files.

Per SLO: id, name and service are names (alphanumeric at both ends, `.`, `_`, `-` inside); the
objective lies in (0, 100]; label and annotation keys are Prometheus label names (`__name__`
excluded); exactly one SLI type; each query holds `{{.window}}` and has balanced brackets; error
and total queries differ; an enabled alert has a name. Across every input: no SLO id twice,
unless duplicates are ignored.

Sloth parses each query with the PromQL parser; attain checks only that brackets balance
outside string literals (promtool checks the generated rules in full).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attain.errors import Problem
from attain.rules.slo import AlertMeta, EventsSLI, PromSLO, RawSLI, SLOGroup

NAME = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
WINDOW_VARIABLE = re.compile(r"{{\s*\.window\s*}}")
_NAME_HINT = "start and end with a letter or digit; use only letters, digits, '.', '_' and '-'"


def validate_groups(groups: Iterable[SLOGroup], *, ignore_duplicates: bool = False) -> list[Problem]:
    """Every problem of every SLO of `groups`, and any SLO id given twice."""
    problems: list[Problem] = []
    seen: dict[str, PromSLO] = {}
    for group in groups:
        if not group.slos:
            problems.append(group.origin.problem(("slos",), "at least one SLO is required", "add one"))
        for slo in group.slos:
            problems += validate_slo(slo)
            if slo.id in seen and not ignore_duplicates:
                first = seen[slo.id].origin
                where = first.document.file if first.document else "another input"
                hint = f"first defined in {where}; rename one SLO or its service"
                problems.append(slo.origin.problem(("name",), f"SLO id {slo.id!r} is defined twice", hint))
            seen.setdefault(slo.id, slo)
    return problems


def validate_slo(slo: PromSLO) -> list[Problem]:
    """The problems of one SLO, each located at the field at fault."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    for field, value in (("name", slo.name), ("service", slo.service)):
        if not NAME.match(value):
            found.append(((field,), f"SLO {field} {value!r} is not a valid name", _NAME_HINT))
    if not found and not NAME.match(slo.id):
        found.append((("name",), f"SLO id {slo.id!r} is not a valid name", _NAME_HINT))
    if not 0 < slo.objective <= 100:
        found.append((("objective",), f"objective must be above 0 and at most 100, got {slo.objective}", "e.g. 99.9"))
    found += _label_problems(("labels",), slo.labels)
    found += _sli_problems(slo.sli)
    for key, meta in (("page_alert", slo.page), ("ticket_alert", slo.ticket)):
        found += _alert_problems(key, meta)
    return [slo.origin.problem(path, message, hint) for path, message, hint in found]


def _label_problems(path: tuple[str | int, ...], values: Iterable[str]) -> list[tuple[tuple[str | int, ...], str, str]]:
    return [
        ((*path, key), f"{key!r} is not a Prometheus label name", "use letters, digits and '_', not first a digit")
        for key in values
        if not LABEL_NAME.match(key) or key == "__name__"
    ]


def _sli_problems(sli: EventsSLI | RawSLI | None) -> list[tuple[tuple[str | int, ...], str, str]]:
    if sli is None:
        return [(("sli",), "exactly one SLI type is required", "give sli.events or sli.raw")]
    if isinstance(sli, EventsSLI):
        queries = [("events", "error_query", sli.error_query), ("events", "total_query", sli.total_query)]
    else:
        queries = [("raw", "error_ratio_query", sli.error_ratio_query)]
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    if isinstance(sli, EventsSLI) and sli.error_query == sli.total_query:
        found.append((("sli", "events"), "error and total queries are the same", "count bad events in error_query"))
    for kind, key, query in queries:
        path = ("sli", kind, key)
        if not WINDOW_VARIABLE.search(query):
            found.append((path, "the query has no {{.window}}", "write the range as [{{.window}}]"))
        if problem := bracket_problem(query):
            found.append((path, problem, "balance (), [] and {} in the query"))
    return found


def _alert_problems(key: str, meta: AlertMeta) -> list[tuple[tuple[str | int, ...], str, str]]:
    if meta.disabled:
        return []
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    if not meta.name:
        found.append((("alerting", "name"), f"alerting.name is required while {key} is enabled", "name the alert"))
    found += _label_problems(("alerting", key, "labels"), meta.labels)
    found += _label_problems(("alerting", key, "annotations"), meta.annotations)
    return found


def bracket_problem(query: str) -> str | None:
    """Why the brackets of a PromQL query do not balance outside string literals, or None."""
    closing = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    text = WINDOW_VARIABLE.sub("1m", query)
    quote: str | None = None
    escaped = False
    for char in text:
        if quote:
            escaped, quote = (False, quote) if escaped else (char == "\\", None if char == quote else quote)
            continue
        if char in "\"'`":
            quote = char
        elif char in "([{":
            stack.append(char)
        elif char in closing and (not stack or stack.pop() != closing[char]):
            return f"unbalanced {char!r} in the query"
    if quote:
        return "unterminated string in the query"
    return f"unclosed {stack[-1]!r} in the query" if stack else None
