"""Cross-references inside an agreement: names that must point at something that exists.

Problems are collected, not raised one by one, so that a user sees all of them at once; each
carries the path (relative to `spec`) of the field that holds the dangling name.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from attain.model.indicator import CaseIndicator

if TYPE_CHECKING:
    from attain.model.agreement import AgreementSpec

Path = tuple[str | int, ...]


def find_reference_problems(spec: AgreementSpec) -> list[tuple[Path, str, str]]:
    """Return (path, what is wrong, what would be valid) for each dangling or repeated name."""
    problems: list[tuple[Path, str, str]] = []
    objective_names = [o.name for o in spec.objectives]
    service_names = [s.name for s in spec.services]
    for name, count in Counter(objective_names).items():
        if count > 1:
            index = len(objective_names) - 1 - objective_names[::-1].index(name)
            problems.append((("objectives", index, "name"), f"objective {name!r} is defined twice", "rename one"))
    for name, count in Counter(service_names).items():
        if count > 1:
            index = len(service_names) - 1 - service_names[::-1].index(name)
            problems.append((("services", index, "name"), f"service {name!r} is defined twice", "rename one"))
    known_services = _choices(service_names)
    for index, objective in enumerate(spec.objectives):
        if objective.service is not None and objective.service not in service_names:
            problems.append((
                ("objectives", index, "service"),
                f"no service named {objective.service!r}",
                f"use one of {known_services}" if service_names else "declare it under spec.services",
            ))
        indicator = objective.indicator
        if isinstance(indicator, CaseIndicator) and indicator.calendar is not None:
            if indicator.calendar not in spec.calendars:
                problems.append((
                    ("objectives", index, "indicator", "calendar"),
                    f"no calendar named {indicator.calendar!r}",
                    f"use one of {_choices(list(spec.calendars))}" if spec.calendars else "declare it under spec.calendars",
                ))
    known_objectives = _choices(objective_names)
    for index, exclusion in enumerate(spec.exclusions):
        for position, name in enumerate(exclusion.objectives):
            if name not in objective_names:
                problems.append((
                    ("exclusions", index, "objectives", position),
                    f"no objective named {name!r}",
                    f"use one of {known_objectives}",
                ))
    if spec.termination is not None:
        for index, rule in enumerate(spec.termination.rights):
            name = rule.when.objective
            if name is not None and name not in objective_names:
                problems.append((
                    ("termination", "rights", index, "when", "objective"),
                    f"no objective named {name!r}",
                    f"use one of {known_objectives}, or leave it out for any objective",
                ))
    return problems


def check_references(spec: AgreementSpec) -> None:
    """Raise one error carrying every reference problem, or return when there is none."""
    problems = find_reference_problems(spec)
    if problems:
        raise PydanticCustomError(
            "attain_references",
            "{what}",
            {"what": problems[0][1], "valid": problems[0][2], "problems": problems},
        )


def _choices(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)
